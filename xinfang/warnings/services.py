"""Acknowledging (签收) and handling (处置) a warning, who and when. A warning is found through the
user's scope (404 otherwise); its recipients and the office may act on it, the others read only."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.alerts.models import Alert
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core.errors import EditConflict
from xinfang.core.inputs import control_problem
from xinfang.core.scoping import get_scoped_or_404

from .models import Warning

NOTE_MAX = 500


def may_act(user, warning: Warning) -> bool:
    return user.role == Role.OFFICE or Alert.objects.filter(warning=warning, recipient_id=user.pk).exists()


def _for_action(warning_id: int, user) -> Warning:
    warning = get_scoped_or_404(Warning.objects.select_for_update(of=("self",)), user, pk=warning_id)
    if not may_act(user, warning):
        raise PermissionDenied("只有预警的接收人或联席办可以签收、处置预警")
    return warning


def _read_own(warning: Warning, user, now) -> None:
    Alert.objects.filter(warning=warning, recipient_id=user.pk, read_at__isnull=True).update(read_at=now)


@transaction.atomic
def warning_acknowledge(*, warning_id: int, acting_user) -> Warning:
    """签收: the first acknowledgement stands (a second one changes nothing)."""
    warning = _for_action(warning_id, acting_user)
    now = timezone.now()
    _read_own(warning, acting_user, now)
    if warning.acknowledged_at is None:
        warning.acknowledged_at, warning.acknowledged_by = now, acting_user
        warning.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit_record(event=AuditEventType.UPDATE, user=acting_user, target=warning, new={"签收": True})
    return warning


@transaction.atomic
def warning_handle(*, warning_id: int, acting_user, note: str) -> Warning:
    """处置: what was done, once; acknowledges it too if nobody had."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写处置情况"})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"处置情况不能超过 {NOTE_MAX} 字（现有 {len(note)} 字）"})
    if problem := control_problem(note):
        raise ValidationError({"note": problem})
    warning = _for_action(warning_id, acting_user)
    if warning.handled_at is not None:
        raise EditConflict(
            f"该预警已由{warning.handled_by.full_name or warning.handled_by.username}"
            f"于 {timezone.localtime(warning.handled_at):%Y-%m-%d %H:%M} 处置"
        )
    now = timezone.now()
    _read_own(warning, acting_user, now)
    if warning.acknowledged_at is None:
        warning.acknowledged_at, warning.acknowledged_by = now, acting_user
    warning.handled_at, warning.handled_by, warning.handled_note = now, acting_user, note
    warning.save(
        update_fields=["acknowledged_at", "acknowledged_by", "handled_at", "handled_by", "handled_note"]
    )
    audit_record(event=AuditEventType.UPDATE, user=acting_user, target=warning, new={"处置": note})
    return warning
