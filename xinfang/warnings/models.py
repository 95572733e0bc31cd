from django.db import models

from xinfang.accounts.choices import Role
from xinfang.core.scoping import Scope

from .choices import Level

# Roles that see every warning of their town (the board); the others see the warnings sent to them.
BOARD_ROLES = frozenset({Role.OFFICE, Role.LEADER, Role.SUPERVISOR, Role.COUNTY})


def _received(user) -> models.Q:
    return models.Q(inbox__recipient_id=user.pk)


class WarningState(models.TextChoices):
    OPEN = "open", "待签收"
    ACKNOWLEDGED = "acknowledged", "已签收"
    HANDLED = "handled", "已处置"


class Warning(models.Model):
    """预警: one rule's finding about one object in one state. Stored once (the unique constraint): a
    second scan, or two scans at once, find it again and store nothing; a new state (a later
    percentage, overdue, a new deadline) is a new warning."""

    town = models.ForeignKey("org.Town", on_delete=models.CASCADE, related_name="+", verbose_name="镇")
    rule = models.CharField("规则", max_length=60)
    level = models.CharField("等级", max_length=10, choices=Level.choices)
    subject = models.CharField("对象", max_length=120)
    state = models.CharField("状态", max_length=60)
    text = models.CharField("内容", max_length=500)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="信访事项",
    )
    key_person = models.ForeignKey(
        "stability.KeyPerson",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="重点人员",
    )
    village = models.ForeignKey(
        "org.Village",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="村（居）",
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="部门",
    )
    url = models.CharField("处理页面", max_length=200, blank=True)
    created_at = models.DateTimeField("预警时间", db_index=True)
    # The scan (or event) that stored it: a scan finds its own new rows by this mark, so two scans at
    # once each send only what they stored.
    batch = models.CharField("批次", max_length=32, db_index=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签收人",
    )
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    handled_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处置人",
    )
    handled_at = models.DateTimeField("处置时间", null=True, blank=True)
    handled_note = models.CharField("处置情况", max_length=500, blank=True)

    scope = Scope(
        town="town",
        village="village",
        village_optional=True,
        extra={role: _received for role in set(Role.values) - BOARD_ROLES},
    )

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "subject", "state"], name="warning_once"),
        ]
        indexes = [
            models.Index(fields=["town", "created_at"], name="warning_board"),
            models.Index(fields=["town", "rule"], name="warning_town_rule"),
        ]

    def __str__(self):
        return self.text

    @property
    def status(self) -> str:
        if self.handled_at:
            return WarningState.HANDLED
        if self.acknowledged_at:
            return WarningState.ACKNOWLEDGED
        return WarningState.OPEN

    @property
    def status_label(self) -> str:
        return WarningState(self.status).label

    @property
    def audit_label(self) -> str:
        return f"预警{self.pk}"


class Channel(models.TextChoices):
    SMS = "sms", "短信"
    WEBHOOK = "webhook", "政务群机器人"


class Delivery(models.Model):
    """One attempt to send a warning out of the platform (the inbox copy is the Alert row itself)."""

    warning = models.ForeignKey(
        Warning, on_delete=models.CASCADE, related_name="deliveries", verbose_name="预警"
    )
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    recipient = models.CharField("接收方", max_length=100)
    attempt = models.PositiveSmallIntegerField("第几次")
    ok = models.BooleanField("成功")
    response = models.CharField("应答", max_length=500, blank=True)
    at = models.DateTimeField("时间")

    scope = Scope(town="warning__town", roles=frozenset({Role.OFFICE, Role.SUPERVISOR, Role.COUNTY}))

    class Meta:
        verbose_name = "预警推送记录"
        verbose_name_plural = "预警推送记录"
        ordering = ["at", "id"]
