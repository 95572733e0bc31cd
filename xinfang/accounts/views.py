from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinfang.core.access import roles_required

from .forms import LoginForm
from .services import UNLOCK_ROLES, account_unlock


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/"

    def form_valid(self, form):
        messages.success(self.request, "密码已修改。")
        return super().form_valid(form)


def lockout_message(username: str) -> str:
    attempt = AccessAttempt.objects.filter(username=username).order_by("-attempt_time").first()
    minutes = settings.XINFANG_LOCKOUT_MINUTES
    text = f"账号“{username}”因连续 {settings.AXES_FAILURE_LIMIT} 次密码错误已被锁定 {minutes} 分钟。"
    if attempt is not None:
        unlock_at = timezone.localtime(attempt.attempt_time + get_cool_off())
        text += f"请于 {unlock_at:%H:%M} 后再试，"
    else:
        text += "请稍后再试，"
    return text + "或联系安全管理员解锁。锁定期间即使输入正确密码也无法登录。"


def lockout_response(request, original_response=None, credentials=None):
    """Axes calls this on a locked-out attempt: the sign-in page again, with the reason in Chinese."""
    username = get_client_username(request, credentials) or ""
    form = LoginForm(request, initial={"username": username})
    return render(
        request,
        "accounts/login.html",
        {"form": form, "lockout_message": lockout_message(username), "locked_username": username},
        status=403,
    )


@require_POST
@roles_required(*UNLOCK_ROLES)
def unlock(request, username: str):
    """The security administrator lifts a lock-out before it ends by itself."""
    account, _ = account_unlock(username=username, acting_user=request.user)
    messages.success(request, f"已解除账号“{account.username}”的登录锁定。")
    return redirect("home")
