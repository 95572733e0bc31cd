import dataclasses

from django.db import models

from xinfang.accounts.choices import Role
from xinfang.cases.models import CASE_PART_SCOPE

from .choices import NoticeStatus, NoticeTarget

__all__ = ["NOTICE_SCOPE", "SUPPORTING_LABEL", "AssignmentNotice", "NoticeStatus", "NoticeTarget"]

SUPPORTING_LABEL = "配合（部门）"

_case_lines = CASE_PART_SCOPE.extra[Role.DEPARTMENT]

# A notice is seen exactly when its case is (the village sees its own village's cases, a department
# the cases of its lines and those assigned to it), and a department also sees every notice ever
# addressed to it, also after an objection moved the case on to another department.
NOTICE_SCOPE = dataclasses.replace(
    CASE_PART_SCOPE,
    extra={
        **CASE_PART_SCOPE.extra,
        Role.DEPARTMENT: lambda user: _case_lines(user) | models.Q(department_id=user.department_id),
    },
)


class AssignmentNotice(models.Model):
    """交办单: the notice that assigns a case to the village (属地) or to the line (条线).

    Sent when the office assigns the case; the receiving unit acknowledges it (签收) before
    `ack_due_at` (the town's notice_ack_hours after sending), or it is listed for the office.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="notices", verbose_name="信访事项"
    )
    target = models.CharField("交办对象", max_length=20, choices=NoticeTarget.choices)
    village = models.ForeignKey(
        "org.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignment_notices",
        verbose_name="接收村（居）",
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignment_notices",
        verbose_name="接收部门",
    )
    requirements = models.TextField("办理要求")
    sent_at = models.DateTimeField("发送时间")
    sent_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="发送人"
    )
    ack_due_at = models.DateTimeField("签收时限", db_index=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签收人",
    )
    # A notice not yet acknowledged when the line objects to the assignment (交办异议) is withdrawn:
    # the case goes back to the office, and the next assignment sends new notices.
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    # A supporting department (配合部门) is sent its own notice, marked 配合: it helps the lead
    # department, which answers for the case. (A database default too: the generated history
    # writes notices in bulk without naming this column.)
    supporting = models.BooleanField("配合", default=False, db_default=False)
    # The case as it was sent (owner, responsible persons, deadline, plan …): the 交办单 is a record
    # of what the unit was asked, not of what the case says today.
    snapshot = models.JSONField("交办时的事项情况", default=dict, blank=True)
    withdrawn_reason = models.CharField("撤回原因", max_length=300, blank=True)

    scope = NOTICE_SCOPE

    class Meta:
        verbose_name = "交办单"
        verbose_name_plural = "交办单"
        ordering = ["-sent_at", "id"]
        indexes = [
            # The open notices (not yet signed for, not withdrawn): every desk counts them.
            models.Index(
                fields=["case", "ack_due_at"],
                condition=models.Q(acknowledged_at__isnull=True, withdrawn_at__isnull=True),
                name="notice_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(target=NoticeTarget.VILLAGE, village__isnull=False, department__isnull=True)
                    | models.Q(target=NoticeTarget.DEPARTMENT, village__isnull=True, department__isnull=False)
                ),
                name="notice_one_receiving_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(supporting=False) | models.Q(target=NoticeTarget.DEPARTMENT),
                name="notice_supporting_is_a_department",
            ),
        ]

    def __str__(self):
        return f"{self.case.number} 交办单（{self.unit_name}）"

    @property
    def audit_label(self) -> str:
        return f"{self.case.number} 交办单 {self.pk}"

    @property
    def target_label(self) -> str:
        """属地（村居）, 条线（部门）, or 配合（部门） for a supporting department's notice."""
        return SUPPORTING_LABEL if self.supporting else self.get_target_display()

    @property
    def unit_name(self) -> str:
        unit = self.village if self.target == NoticeTarget.VILLAGE else self.department
        return unit.name if unit else ""

    def status(self, now) -> str:
        if self.withdrawn_at is not None:
            return NoticeStatus.WITHDRAWN
        if self.acknowledged_at is not None:
            return NoticeStatus.ACKNOWLEDGED
        return NoticeStatus.OVERDUE if now > self.ack_due_at else NoticeStatus.PENDING

    def is_receiver(self, user) -> bool:
        """Whether the user acknowledges for the receiving unit: the village's clerk for the village
        notice, a user of the department for the line notice."""
        if self.target == NoticeTarget.VILLAGE:
            return user.role == Role.VILLAGE and user.village_id == self.village_id
        return user.role == Role.DEPARTMENT and user.department_id == self.department_id
