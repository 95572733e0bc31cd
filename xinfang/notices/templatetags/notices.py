from django import template
from django.utils import timezone

from ..selectors import notices_for_case
from ..timing import timing_text

register = template.Library()


@register.inclusion_tag("notices/_case_notices.html", takes_context=True)
def case_notices(context, case):
    """The case page's card of assignment notices: to whom, their status, the 交办单 to download and,
    for the receiving unit, the 签收 button."""
    request = context["request"]
    user = request.user
    now = timezone.now()
    rows = [
        {"notice": n, "status": n.status(now), "timing": timing_text(n, now), "can_ack": n.is_receiver(user)}
        for n in notices_for_case(user=user, case_id=case.pk)
    ]
    return {
        "case": case,
        "rows": rows,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
