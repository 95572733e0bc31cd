from django.db import models

from xinfang.accounts.choices import Role
from xinfang.core.scoping import Scope

from .choices import AlertKind


def _own(user) -> models.Q:
    return models.Q(recipient_id=user.pk)


class Alert(models.Model):
    """A message to one named user about a case that needs them now (a rebound today; the warnings
    of the campaign's mechanisms later). Each user sees only their own."""

    town = models.ForeignKey("org.Town", on_delete=models.CASCADE, related_name="+", verbose_name="镇")
    recipient = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="alerts", verbose_name="接收人"
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="信访事项",
    )
    kind = models.CharField("类型", max_length=30, choices=AlertKind.choices)
    text = models.CharField("内容", max_length=300)
    created_at = models.DateTimeField("时间", db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    scope = Scope(town="town", extra={role: _own for role in Role.values})

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="alert_inbox")]

    def __str__(self):
        return self.text
