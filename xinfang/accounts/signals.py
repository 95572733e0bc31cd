"""Every sign-in, failed sign-in, lock-out and sign-out goes to the audit log."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record

from .models import User


def _known_user(username: str | None):
    if not username:
        return None
    return User.objects.filter(username=username).select_related("town").first()


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit_record(event=AuditEventType.LOGIN_SUCCESS, user=user, target=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(event=AuditEventType.LOGOUT, user=user, target=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    user = _known_user(username)
    # Refused because the account was already locked (axes counted nothing), not the failure that
    # locks it (see on_locked_out).
    locked = bool(
        request is not None
        and getattr(request, "axes_locked_out", False)
        and getattr(request, "axes_failures_since_start", None) is None
    )
    audit_record(
        event=AuditEventType.LOGIN_FAILURE,
        user=user,
        username=username,
        target=user,
        success=False,
        detail="账号锁定期间尝试登录" if locked else ("密码错误" if user else "用户名不存在"),
        request=request,
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    # Axes sends this signal twice over: when the failure that locks the account is counted, and
    # again for every attempt refused during the lock. Only the first is a lock-out; a refused attempt
    # is already a failed sign-in row ("账号锁定期间尝试登录"). Axes counts the failures only in the
    # first case, so a count on the request tells them apart.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    user = _known_user(username)
    audit_record(
        event=AuditEventType.LOCKOUT,
        user=user,
        username=username or "",
        target=user,
        success=False,
        detail="连续登录失败次数达到上限，账号被临时锁定",
        request=request,
    )


@receiver(pre_save, sender=User)
def note_password_change(sender, instance, **kwargs):
    if instance.pk is None:
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_changed = stored is not None and stored != instance.password


@receiver(post_save, sender=User)
def audit_password_change(sender, instance, created, **kwargs):
    """Whoever changes a password, through whatever page, leaves a row (never the password itself)."""
    if not created and getattr(instance, "_password_changed", False):
        instance._password_changed = False
        audit_record(event=AuditEventType.UPDATE, target=instance, detail="修改密码")
