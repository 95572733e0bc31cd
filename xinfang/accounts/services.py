"""Writes on accounts made from the pages. Each checks the role itself (PermissionDenied), whatever the
view in front of it already checked, and writes its audit row in the same transaction."""

from axes.utils import reset
from django.core.exceptions import PermissionDenied
from django.db import transaction

from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core.scoping import get_scoped_or_404

from .choices import Role
from .models import User

# 三员分立: only the security administrator lifts a lock-out.
UNLOCK_ROLES = frozenset({Role.SECADMIN})


@transaction.atomic
def account_unlock(*, username: str, acting_user) -> tuple[User, int]:
    """Lifts the account's lock-out before it ends by itself; returns the account and how many failed
    attempts were cleared."""
    if acting_user.role not in UNLOCK_ROLES:
        raise PermissionDenied("解除登录锁定由安全管理员操作，您的角色不能解除锁定。")
    account = get_scoped_or_404(User.objects.all(), acting_user, username=username)
    removed = reset(username=account.username)
    audit_record(
        event=AuditEventType.UPDATE,
        user=acting_user,
        target=account,
        detail=f"解除登录锁定（清除 {removed} 条失败记录）",
    )
    return account, removed
