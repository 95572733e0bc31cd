"""What the warning pages and the API read: everything in a few queries, plain data to the templates."""

from dataclasses import dataclass

from xinfang.alerts.models import Alert
from xinfang.core.scoping import get_scoped_or_404, scope

from .choices import Level
from .models import Delivery, Warning, WarningState
from .registry import RULES

STATUS_FILTERS = {
    WarningState.OPEN: {"acknowledged_at__isnull": True, "handled_at__isnull": True},
    WarningState.ACKNOWLEDGED: {"acknowledged_at__isnull": False, "handled_at__isnull": True},
    WarningState.HANDLED: {"handled_at__isnull": False},
}


def rule_name(key: str) -> str:
    return RULES[key].name if key in RULES else key


def rule_choices() -> list[tuple[str, str]]:
    return [(k, r.name) for k, r in RULES.items()]


def object_of(w: Warning) -> dict:
    """What the warning is about, for the API and the pages."""
    if w.key_person_id:
        return {
            "type": "key_person",
            "id": w.key_person_id,
            "label": f"重点人员{w.key_person.petitioner.name}",
        }
    if w.case_id:
        return {"type": "case", "id": w.case_id, "label": w.case.number}
    if w.village_id:
        return {"type": "village", "id": w.village_id, "label": w.village.name}
    if w.department_id:
        return {"type": "department", "id": w.department_id, "label": w.department.name}
    kind, _, rest = w.subject.partition(":")
    return {"type": kind, "id": None, "label": rest}


def _related(qs):
    return qs.select_related("case", "key_person__petitioner", "village", "department")


def board(*, user, level: str = "", rule: str = "", status: str = ""):
    """The warnings the user may see (the town's for the office, leaders and supervision; the ones
    sent to them for the others), newest first."""
    qs = _related(scope(Warning.objects.all(), user))
    if level in Level.values:
        qs = qs.filter(level=level)
    if rule:
        qs = qs.filter(rule=rule)
    if status in STATUS_FILTERS:
        qs = qs.filter(**STATUS_FILTERS[status])
    return qs


def my_warnings(*, user, unread: bool = False, level: str = "", rule: str = ""):
    """The caller's own inbox rows that are warnings."""
    qs = scope(Alert.objects.filter(warning__isnull=False), user).select_related(
        "warning__case", "warning__key_person__petitioner", "warning__village", "warning__department"
    )
    if unread:
        qs = qs.filter(read_at__isnull=True)
    if level:
        qs = qs.filter(level=level)
    if rule:
        qs = qs.filter(kind=rule)
    return qs


@dataclass
class Detail:
    warning: Warning
    rule_name: str
    object: dict
    recipients: list  # (name, unit, read_at)
    deliveries: list
    mine: Alert | None


def detail(*, user, pk: int) -> Detail:
    w = get_scoped_or_404(
        _related(Warning.objects.select_related("acknowledged_by", "handled_by")), user, pk=pk
    )
    inbox = list(w.inbox.select_related("recipient").order_by("id"))
    return Detail(
        warning=w,
        rule_name=rule_name(w.rule),
        object=object_of(w),
        recipients=[
            (a.recipient.full_name or a.recipient.username, a.recipient.get_role_display(), a.read_at)
            for a in inbox
        ],
        deliveries=list(scope(Delivery.objects.filter(warning=w), user)),
        mine=next((a for a in inbox if a.recipient_id == user.pk), None),
    )
