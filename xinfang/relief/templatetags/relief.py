from django import template

from ..choices import ReliefKind
from ..selectors import relief_list, relief_total
from ..services import RECORD_ROLES, yuan
from ..views import form_key

register = template.Library()


@register.filter
def money(amount) -> str:
    """1234.5 → 1,234.50."""
    return yuan(amount)


@register.inclusion_tag("relief/_case_reliefs.html", takes_context=True)
def case_reliefs(context, case):
    """The case page's relief card: the reliefs the user may see with their total and, for those who may
    record relief, the form (holding what was typed when the last entry was refused)."""
    request = context["request"]
    user = request.user
    reliefs = list(relief_list(user=user, case_id=case.pk))
    can_record = user.role in RECORD_ROLES
    refused = request.session.pop(form_key(case.pk), None) or {}
    petitioners = []
    if can_record:
        from xinfang.cases.models import Petitioner

        petitioners = list(Petitioner.objects.filter(petitions__case=case).distinct().order_by("pk"))
    return {
        "case": case,
        "reliefs": reliefs,
        "total": relief_total(reliefs),
        "can_record": can_record,
        "kinds": ReliefKind.choices,
        "petitioners": petitioners,
        "form": refused.get("data", {}),
        "errors": refused.get("errors", {}),
    }
