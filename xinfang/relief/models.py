from django.db import models

from xinfang.cases.models import CASE_PART_SCOPE

from .choices import ReliefKind

__all__ = ["Relief", "ReliefKind"]


class Relief(models.Model):
    """专项救助、社会救济: help given to a petitioner in hardship (三到位一处理: 困难的帮扶救助), on a case.

    Seen exactly when its case is. Amounts are in yuan.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="reliefs", verbose_name="信访事项"
    )
    petitioner = models.ForeignKey(
        "cases.Petitioner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reliefs",
        verbose_name="救助对象",
        help_text="本事项的信访人之一；不填则为本事项的信访人",
    )
    kind = models.CharField("救助类型", max_length=20, choices=ReliefKind.choices)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    given_on = models.DateField("救助日期", db_index=True)
    approved_by = models.CharField("批准人", max_length=60)
    approval_number = models.CharField("批准文号", max_length=60, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    scope = CASE_PART_SCOPE

    class Meta:
        verbose_name = "专项救助"
        verbose_name_plural = "专项救助"
        ordering = ["given_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="relief_amount_positive")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} 元"

    @property
    def audit_label(self) -> str:
        # The audit log names only the case number, never the person helped.
        return f"{self.case.number} 救助 {self.pk}"
