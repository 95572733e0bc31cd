"""督查督办: the supervision team (纪委牵头的联合督查专班) issues supervision notices (督办单) to a
village or a department about a case, a key person or a theme, with a reply deadline; the unit
replies; the team closes the notice. Overdue notices warn the office (warning_rules). Supervision
visits (督查) record what the team found where.

Who reads what: the office, the town's leaders and the team read every notice of the town, the
county reads across towns; a village or a department reads the notices addressed to it; nobody else
(a grid worker, the administrators) reads any.
"""

import datetime as dt

from django.db import models
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.core.scoping import Scope

from .choices import NoticeStatus, Subject, UnitKind

READERS = frozenset({Role.OFFICE, Role.LEADER, Role.SUPERVISOR, Role.COUNTY, Role.VILLAGE, Role.DEPARTMENT})
VISIT_READERS = frozenset({Role.OFFICE, Role.LEADER, Role.SUPERVISOR, Role.COUNTY})


def _own_department(user) -> models.Q:
    if not user.department_id:
        return models.Q(pk__in=[])
    return models.Q(department_id=user.department_id)


class SupervisionNotice(models.Model):
    """督办单: one notice to one unit (a village or a department)."""

    town = models.ForeignKey("org.Town", on_delete=models.PROTECT, related_name="+", verbose_name="镇")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("编号", max_length=40)
    unit_kind = models.CharField("督办对象类型", max_length=20, choices=UnitKind.choices)
    village = models.ForeignKey(
        "org.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="督办村（居）",
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="督办部门",
    )
    subject = models.CharField("督办内容", max_length=20, choices=Subject.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="信访事项",
    )
    key_person = models.ForeignKey(
        "stability.KeyPerson",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="重点人员",
    )
    theme = models.CharField("督办事项", max_length=200, help_text="督办什么，一句话")
    requirements = models.TextField("督办要求")
    reply_due = models.DateField("回复期限", db_index=True)
    status = models.CharField(
        "状态", max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED, db_index=True
    )
    issued_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="下发人"
    )
    issued_at = models.DateTimeField("下发时间")
    first_reply_at = models.DateTimeField("首次回复时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办结人",
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    close_note = models.CharField("办结意见", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope = Scope(town="town", village="village", roles=READERS, extra={Role.DEPARTMENT: _own_department})

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "seq"], name="supervision_notice_number_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(unit_kind="village", village__isnull=False, department__isnull=True)
                    | models.Q(unit_kind="department", village__isnull=True, department__isnull=False)
                ),
                name="supervision_notice_one_unit",
            ),
        ]
        indexes = [models.Index(fields=["town", "status", "reply_due"], name="supervision_notice_due")]

    def __str__(self):
        return f"{self.number}（{self.unit_name}）"

    @property
    def audit_label(self) -> str:
        return f"督办单 {self.number}"

    @property
    def unit(self):
        return self.village if self.unit_kind == UnitKind.VILLAGE else self.department

    @property
    def unit_name(self) -> str:
        unit = self.unit
        return unit.name if unit else ""

    @property
    def subject_text(self) -> str:
        """What the notice is about, in one line: the case or key person, then the theme."""
        if self.subject == Subject.CASE and self.case_id:
            return f"信访事项 {self.case.number}（{self.case.title}）：{self.theme}"
        if self.subject == Subject.KEY_PERSON and self.key_person_id:
            return f"重点人员 {self.key_person.petitioner.name}：{self.theme}"
        return self.theme

    def status_on(self, today: dt.date) -> str:
        """The status as shown: an issued notice past its deadline is overdue."""
        if self.status == NoticeStatus.ISSUED and today > self.reply_due:
            return NoticeStatus.OVERDUE
        return self.status

    def days_overdue(self, today: dt.date) -> int:
        return max(0, (today - self.reply_due).days) if self.status == NoticeStatus.ISSUED else 0

    def replied_late(self) -> bool:
        """Replied, but after the deadline (counted against the unit in the assessment)."""
        if self.first_reply_at is None:
            return False
        return timezone.localtime(self.first_reply_at).date() > self.reply_due

    def is_addressee(self, user) -> bool:
        """Whether the user replies for the unit the notice is addressed to."""
        if self.unit_kind == UnitKind.VILLAGE:
            return user.role == Role.VILLAGE and user.village_id == self.village_id
        return user.role == Role.DEPARTMENT and user.department_id == self.department_id


class SupervisionReply(models.Model):
    """The unit's reply (回复): what it did; several replies are kept in order."""

    notice = models.ForeignKey(
        SupervisionNotice, on_delete=models.CASCADE, related_name="replies", verbose_name="督办单"
    )
    text = models.TextField("回复内容")
    replied_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="回复人"
    )
    replied_at = models.DateTimeField("回复时间")

    scope = Scope(
        town="notice__town",
        village="notice__village",
        roles=READERS,
        extra={
            Role.DEPARTMENT: lambda user: models.Q(
                notice__in=SupervisionNotice.objects.filter(_own_department(user))
            )
        },
    )

    class Meta:
        verbose_name = "督办回复"
        verbose_name_plural = "督办回复"
        ordering = ["replied_at", "id"]

    @property
    def audit_label(self) -> str:
        return f"督办单 {self.notice.number} 的回复"


class SupervisionVisit(models.Model):
    """督查: a visit of the team to units, with what it found and the notices it led to."""

    town = models.ForeignKey("org.Town", on_delete=models.PROTECT, related_name="+", verbose_name="镇")
    day = models.DateField("督查日期", db_index=True)
    villages = models.ManyToManyField(
        "org.Village", blank=True, related_name="+", verbose_name="督查村（居）"
    )
    departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="+", verbose_name="督查部门"
    )
    findings = models.TextField("督查发现")
    problems = models.TextField("存在问题", blank=True)
    notices = models.ManyToManyField(
        SupervisionNotice, blank=True, related_name="visits", verbose_name="据此下发的督办单"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    scope = Scope(town="town", roles=VISIT_READERS)

    class Meta:
        verbose_name = "督查记录"
        verbose_name_plural = "督查记录"
        ordering = ["-day", "-id"]

    @property
    def audit_label(self) -> str:
        return f"督查记录 {self.day:%Y-%m-%d}"
