from django.db import models

from xinfang.accounts.choices import Role
from xinfang.core.scoping import Scope

from .choices import AlertKind


def _own(user) -> models.Q:
    return models.Q(recipient_id=user.pk)


class Alert(models.Model):
    """A message to one named user: the one inbox. A reminder of a domain app (a rebound, a key
    person met too rarely) or a user's copy of a warning (xinfang.warnings, with its level, the
    rule's name and the warning's page). Each user sees only their own."""

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
    # An AlertKind, or the warning rule's code for a warning's copy.
    kind = models.CharField("类型", max_length=60)
    # A warning's copy: its level and rule name, where it is acted on. The warning engine sits above
    # this app and writes these rows; the foreign key names it by label only (no import upward).
    level = models.CharField("预警等级", max_length=10, blank=True)
    label = models.CharField("类型名称", max_length=60, blank=True)
    url = models.CharField("链接", max_length=200, blank=True)
    warning = models.ForeignKey(
        "warnings.Warning",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inbox",
        verbose_name="预警",
    )
    text = models.CharField("内容", max_length=300)
    created_at = models.DateTimeField("时间", db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    scope = Scope(town="town", extra={role: _own for role in Role.values})

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created_at", "-id"]
        # The inbox newest first, unread or all: a busy office has tens of thousands of rows.
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"], name="alert_inbox"),
            models.Index(fields=["recipient", "created_at"], name="alert_recent"),
        ]
        constraints = [
            # A warning reaches each person once, however many scans find it.
            models.UniqueConstraint(
                fields=["warning", "recipient"],
                condition=models.Q(warning__isnull=False),
                name="alert_warning_once",
            )
        ]

    def __str__(self):
        return self.text

    @property
    def kind_label(self) -> str:
        if self.label:
            return self.label
        return AlertKind(self.kind).label if self.kind in AlertKind.values else self.kind
