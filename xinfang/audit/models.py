from django.db import models
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.core.scoping import Scope

from .choices import AuditEventType


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志只能追加，不能修改")

    def delete(self):
        raise PermissionError("审计日志只能追加，不能删除")


class AuditEvent(models.Model):
    """One row per sign-in, change, and view of unmasked personal data. Never updated, never deleted.

    The user and town are kept as plain references (no cascade, no constraint), so deleting an account
    or a town can never reach into the log.
    """

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="账号",
    )
    username = models.CharField("用户名", max_length=150, blank=True, db_index=True)
    town = models.ForeignKey(
        "org.Town",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="镇",
    )
    ip_address = models.GenericIPAddressField("地址", null=True, blank=True)
    event = models.CharField("事件", max_length=30, choices=AuditEventType.choices, db_index=True)
    target_type = models.CharField("对象类型", max_length=60, blank=True)
    target_id = models.CharField("对象编号", max_length=60, blank=True)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    success = models.BooleanField("是否成功", default=True)
    old_values = models.JSONField("原值", null=True, blank=True)
    new_values = models.JSONField("新值", null=True, blank=True)
    detail = models.TextField("说明", blank=True)

    objects = AuditEventQuerySet.as_manager()
    scope = Scope(town="town", town_optional=True, roles=frozenset({Role.AUDITADMIN}))

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["town", "-created_at"], name="audit_town_time")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_event_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除")
