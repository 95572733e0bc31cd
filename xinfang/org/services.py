"""Writes on the organisation made from the pages. Each checks the role itself (PermissionDenied),
whatever the view in front of it already checked."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from xinfang.accounts.choices import PERSONAL_DATA_ROLES
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record

from . import selectors
from .models import Person


@transaction.atomic
def person_phone_reveal(*, person_id: int, acting_user) -> Person:
    """One full phone number shown on purpose: only to the roles that need it, each view audited."""
    person = selectors.person_get(user=acting_user, pk=person_id)
    if acting_user.role not in PERSONAL_DATA_ROLES:
        raise PermissionDenied(
            f"{acting_user.get_role_display()}不能查看完整手机号，只有信访联席办、镇领导、督查专班可以查看。"
        )
    audit_record(
        event=AuditEventType.VIEW_PERSONAL_DATA,
        user=acting_user,
        target=person,
        detail="查看完整手机号",
    )
    return person
