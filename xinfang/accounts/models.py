import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from xinfang.core.scoping import Scope

from .choices import Role


class User(AbstractUser):
    """An account: one role, one town (none for the county bureau), and the unit the role works in."""

    full_name = models.CharField("姓名", max_length=40, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    town = models.ForeignKey(
        "org.Town",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="所属镇",
    )
    village = models.ForeignKey(
        "org.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="所属村（居）",
    )
    grid = models.ForeignKey(
        "org.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="所属网格",
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="所属部门",
    )
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name="对应人员",
    )

    scope = Scope(town="town", roles=frozenset({Role.SECADMIN}))

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"
        ordering = ["id"]

    def __str__(self):
        return (
            f"{self.full_name or self.username}（{self.get_role_display()}）" if self.role else self.username
        )

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def unit_name(self) -> str:
        """The unit the user speaks for, as shown in the top bar and on /api/v1/me."""
        if self.role == Role.COUNTY:
            return "县信访局"
        if self.grid_id:
            return f"{self.village.name} · {self.grid.name}"
        if self.village_id:
            return self.village.name
        if self.department_id:
            return self.department.name
        if self.person_id:
            return self.person.title
        return self.town.name if self.town_id else ""

    def clean(self):
        super().clean()
        errors = {}
        if self.role != Role.COUNTY and not self.town_id:
            errors["town"] = "除县信访局外，每个账号都必须属于一个镇。"
        if self.role in (Role.VILLAGE, Role.GRID) and not self.village_id:
            errors["village"] = "村（居）和网格员账号必须选择所属村（居）。"
        if self.role == Role.GRID and not self.grid_id:
            errors["grid"] = "网格员账号必须选择所属网格。"
        if self.grid_id and self.village_id and self.grid.village_id != self.village_id:
            errors["grid"] = "所选网格不属于所选村（居）。"
        if self.role == Role.DEPARTMENT and not self.department_id:
            errors["department"] = "部门账号必须选择所属部门。"
        if self.role == Role.LEADER and not (self.person_id and self.person.is_leader):
            errors["person"] = "镇领导账号必须对应一位镇党政负责人。"
        for field in ("village", "department", "person"):
            obj = getattr(self, field)
            if obj is not None and self.town_id and obj.town_id != self.town_id:
                errors[field] = "所选单位或人员不属于该账号所在的镇。"
        if errors:
            raise ValidationError(errors)


def lockout_active(username: str) -> bool:
    """True while the account is locked after too many wrong passwords (django-axes' record)."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt
    from django.conf import settings

    return AccessAttempt.objects.filter(
        username=username,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - get_cool_off(),
    ).exists()


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def user_for(self, raw: str):
        # key_hash is unique: no ORDER BY (first() would add one, a third of this lookup's time).
        found = list(
            self.filter(key_hash=_hash_token(raw), revoked_at__isnull=True, user__is_active=True)
            .select_related("user__town__time_limits")
            .order_by()[:1]
        )
        if not found:
            return None
        token = found[0]
        # A locked account is locked everywhere: its tokens stop working until the lock ends or the
        # security administrator lifts it, as its password does.
        if lockout_active(token.user.username):
            return None
        # One write per minute at most, so a busy integration does not write on every call.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user


class ApiToken(models.Model):
    """A bearer token for an integration. Only the SHA-256 of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="账号")
    name = models.CharField("用途", max_length=60, blank=True)
    prefix = models.CharField("前缀", max_length=8, help_text="令牌的前 8 位，便于辨认")
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()
    # The county bureau's accounts belong to no town: their tokens are listed for the security
    # administrators, who can revoke them, as well as their own town's.
    scope = Scope(town="user__town", town_optional=True, roles=frozenset({Role.SECADMIN}))

    class Meta:
        verbose_name = "访问令牌"
        verbose_name_plural = "访问令牌"

    def __str__(self):
        return f"{self.prefix}…（{self.user.username}）"

    @classmethod
    def issue(cls, *, user: User, name: str = "") -> tuple["ApiToken", str]:
        raw = "xf_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:8], key_hash=_hash_token(raw))
        return token, raw
