"""一案一责、一案一策 for prominent cases: the task force (工作专班), the plan judged by 三到位一处理,
its dated milestones (锚定序时) and the progress entered against each."""

from django.db import models

from xinfang.accounts.choices import Role
from xinfang.cases.models import CASE_PART_SCOPE, CASE_READERS, _accused, _department_cases
from xinfang.core.scoping import Scope

from .choices import Judgement

# A milestone's progress is seen exactly when the milestone's case is.
MILESTONE_PART_SCOPE = Scope(
    town="milestone__case__town",
    village="milestone__case__village",
    roles=CASE_READERS,
    extra={Role.DEPARTMENT: lambda user: _department_cases(user, prefix="milestone__case__")},
    hide=lambda user: _accused(user, prefix="milestone__case__"),
)


class TaskForceMember(models.Model):
    """One member of a case's task force. Exactly one member leads it (checked by the service)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="task_force", verbose_name="信访事项"
    )
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name="人员")
    role = models.CharField("专班职务", max_length=20, help_text="如 组长、副组长、成员")
    is_leader = models.BooleanField("专班组长", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)

    scope = CASE_PART_SCOPE

    class Meta:
        verbose_name = "工作专班成员"
        verbose_name_plural = "工作专班成员"
        ordering = ["case", "-is_leader", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="task_force_member_unique"),
        ]

    def __str__(self):
        return f"{self.role} {self.person.name}"

    @property
    def audit_label(self) -> str:
        return f"{self.case.number} 专班成员 {self.pk}"


class CasePlan(models.Model):
    """化稳方案: the judgement of 三到位一处理, the measures and the rebound-prevention measures."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="case_plan", verbose_name="信访事项"
    )
    # The findings of 三到位一处理, codes of Judgement in their order; more than one when the claim is,
    # say, unreasonable and the petitioner in hardship (教育到位 and 帮扶到位).
    judgements = models.JSONField("三到位一处理", default=list, blank=True)
    measures = models.TextField("化解稳控措施", blank=True)
    rebound_measures = models.TextField("防反弹措施", blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+", verbose_name="修改人"
    )
    # Raised by each save: a form or API call that saw an older version is refused, not written over.
    version = models.PositiveIntegerField("版本", default=1)

    scope = CASE_PART_SCOPE

    class Meta:
        verbose_name = "化稳方案"
        verbose_name_plural = "化稳方案"

    def __str__(self):
        return f"{self.case.number} 化稳方案"

    @property
    def audit_label(self) -> str:
        return f"{self.case.number} 化稳方案"

    @property
    def judgement_labels(self) -> list[str]:
        return [Judgement(j).label for j in self.judgements if j in Judgement.values]

    @property
    def judgement_text(self) -> str:
        """诉求无理→教育到位；生活困难→帮扶到位"""
        return "；".join(self.judgement_labels)


class Milestone(models.Model):
    """A dated step of the plan (锚定序时): due by a day, done on a day."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="milestones", verbose_name="信访事项"
    )
    title = models.CharField("工作节点", max_length=100)
    due_on = models.DateField("完成时限", db_index=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+", verbose_name="添加人"
    )
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    scope = CASE_PART_SCOPE

    class Meta:
        verbose_name = "工作节点"
        verbose_name_plural = "工作节点"
        ordering = ["case", "due_on", "order", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"], name="milestone_open_due")]

    def __str__(self):
        return f"{self.title}（{self.due_on:%Y-%m-%d}）"

    @property
    def audit_label(self) -> str:
        return f"{self.case.number} 工作节点 {self.pk}"


class MilestoneProgress(models.Model):
    """What was done towards a milestone, on a day."""

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="progress", verbose_name="工作节点"
    )
    on = models.DateField("日期")
    text = models.CharField("进展情况", max_length=300)
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="填报人")
    created_at = models.DateTimeField("填报时间", auto_now_add=True)

    scope = MILESTONE_PART_SCOPE

    class Meta:
        verbose_name = "节点进展"
        verbose_name_plural = "节点进展"
        ordering = ["milestone", "on", "id"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.text}"

    @property
    def audit_label(self) -> str:
        return f"{self.milestone.case.number} 节点进展 {self.pk}"
