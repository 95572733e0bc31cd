from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm


def failures_for(username: str) -> int:
    attempt = AccessAttempt.objects.filter(username=username).order_by("-attempt_time").first()
    return attempt.failures_since_start if attempt else 0


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误（密码区分大小写）。",
        "inactive": "该账号已停用，请联系安全管理员。",
    }

    username = forms.CharField(
        label="用户名",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            username = self.cleaned_data.get("username", "")
            used = failures_for(username)
            limit = settings.AXES_FAILURE_LIMIT
            left = max(limit - used, 0)
            message = self.error_messages["invalid_login"]
            if 0 < left < limit:
                message += f"再错 {left} 次，账号将被锁定 {settings.XINFANG_LOCKOUT_MINUTES} 分钟。"
            raise forms.ValidationError(message, code="invalid_login") from None
