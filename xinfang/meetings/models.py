"""Meetings (工作专班会议, 联席会议, 向党委会报告), their follow-up tasks and the joint meeting's
ownership decisions; leader reception days (领导接访) and the petitions received there.

The reception link lives here, not in cases: cases sits below meetings and never imports it."""

from django.db import models

from xinfang.accounts.choices import WORK_ROLES
from xinfang.core.scoping import Scope

from .choices import MeetingKind

MEETING_READERS = frozenset(WORK_ROLES)


class Meeting(models.Model):
    town = models.ForeignKey("org.Town", on_delete=models.PROTECT, related_name="+", verbose_name="镇")
    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField("日期", db_index=True)
    place = models.CharField("地点", max_length=100)
    title = models.CharField("议题", max_length=100, blank=True)
    # The leader who convenes a task-force meeting (包案领导) or chairs the others.
    host = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name="主持人",
    )
    attendees = models.ManyToManyField("org.Person", blank=True, related_name="+", verbose_name="参会人员")
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="+", verbose_name="研究的信访事项")
    key_persons = models.ManyToManyField(
        "stability.KeyPerson", blank=True, related_name="+", verbose_name="研究的重点人员"
    )
    decisions = models.TextField("会议决定", blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope = Scope(town="town", roles=MEETING_READERS)

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["town", "kind", "held_on"], name="meeting_town_kind_day")]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}"

    @property
    def audit_label(self) -> str:
        return str(self)


class FollowUpTask(models.Model):
    """A task a meeting gives somebody, with a date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tasks", verbose_name="会议")
    what = models.CharField("任务", max_length=200)
    owner = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name="责任人")
    due_on = models.DateField("完成时限")
    done_on = models.DateField("完成日期", null=True, blank=True)

    scope = Scope(town="meeting__town", roles=MEETING_READERS)

    class Meta:
        verbose_name = "会议交办任务"
        verbose_name_plural = "会议交办任务"
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.what


class OwnerDecision(models.Model):
    """A joint meeting names the owner of a case waiting for it (待联席会议确定); the case itself
    records it through cases.transitions.case_owner_from_joint_meeting."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="owner_decisions", verbose_name="联席会议"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="信访事项"
    )
    lead_leader = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name="包案领导"
    )
    lead_department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="牵头部门",
    )
    responsible_persons = models.ManyToManyField(
        "org.Person", blank=True, related_name="+", verbose_name="责任人"
    )

    scope = Scope(town="meeting__town", roles=MEETING_READERS)

    class Meta:
        verbose_name = "联席会议确定包案"
        verbose_name_plural = "联席会议确定包案"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="owner_decision_once")]


class Reception(models.Model):
    """主动接待 / 领导接访: a town leader receives petitioners on a day at a place."""

    town = models.ForeignKey("org.Town", on_delete=models.PROTECT, related_name="+", verbose_name="镇")
    held_on = models.DateField("接待日期", db_index=True)
    place = models.CharField("接待地点", max_length=100)
    leader = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="receptions", verbose_name="接访领导"
    )
    notes = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    scope = Scope(town="town", roles=MEETING_READERS)

    class Meta:
        verbose_name = "领导接访"
        verbose_name_plural = "领导接访"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.leader.name}接访"

    @property
    def audit_label(self) -> str:
        return f"{self.held_on:%Y-%m-%d} 领导接访"


class ReceptionPetition(models.Model):
    """A petition received at a reception day."""

    reception = models.ForeignKey(
        Reception, on_delete=models.CASCADE, related_name="links", verbose_name="领导接访"
    )
    petition = models.OneToOneField(
        "cases.Petition", on_delete=models.CASCADE, related_name="+", verbose_name="信访记录"
    )
    linked_at = models.DateTimeField("关联时间", auto_now_add=True)

    scope = Scope(
        town="reception__town",
        village="petition__case__village",
        village_optional=True,
        roles=MEETING_READERS,
    )

    class Meta:
        verbose_name = "接访登记"
        verbose_name_plural = "接访登记"
        ordering = ["id"]
