"""考核问责: the town's scoring rules (its configuration file's `scoring:` section) and the
accountability records (问责) the supervision team keeps. Scores themselves are not stored: they are
computed from the records each time (rules.py, facts.py), so a score always opens the facts behind it.

Accountability records name persons and measures of discipline: the office, the leaders, the
supervision team and the county read them; no village or department does."""

from django.db import models

from xinfang.accounts.choices import Role
from xinfang.core.scoping import Scope

from .choices import Measure, UnitKind

READERS = frozenset({Role.OFFICE, Role.LEADER, Role.SUPERVISOR, Role.COUNTY})


class ScoringRules(models.Model):
    """The `scoring:` section of the town's file as last loaded (org.loader sends town_loaded)."""

    town = models.OneToOneField("org.Town", on_delete=models.CASCADE, related_name="+", verbose_name="镇")
    rules = models.JSONField("考核规则", default=dict)
    loaded_at = models.DateTimeField("导入时间", auto_now=True)

    scope = Scope(town="town", roles=READERS)

    class Meta:
        verbose_name = "考核规则"
        verbose_name_plural = "考核规则"


class Accountability(models.Model):
    """问责记录: who was held to account, for what, how, and the cases behind it."""

    town = models.ForeignKey("org.Town", on_delete=models.PROTECT, related_name="+", verbose_name="镇")
    unit_kind = models.CharField("单位类型", max_length=20, choices=UnitKind.choices)
    village = models.ForeignKey(
        "org.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="村（居）",
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="部门（条线）",
    )
    person_name = models.CharField("被问责人", max_length=40)
    person_title = models.CharField("职务", max_length=60, blank=True)
    reason = models.TextField("问责事由")
    measure = models.CharField("问责方式", max_length=20, choices=Measure.choices)
    day = models.DateField("问责日期", db_index=True)
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="+", verbose_name="相关信访事项")
    notices = models.ManyToManyField(
        "supervision.SupervisionNotice", blank=True, related_name="+", verbose_name="相关督办单"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    scope = Scope(town="town", roles=READERS)

    class Meta:
        verbose_name = "问责记录"
        verbose_name_plural = "问责记录"
        ordering = ["-day", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(unit_kind="village", village__isnull=False, department__isnull=True)
                    | models.Q(unit_kind="department", village__isnull=True, department__isnull=False)
                ),
                name="accountability_one_unit",
            )
        ]

    def __str__(self):
        return f"{self.person_name}（{self.get_measure_display()}）"

    @property
    def audit_label(self) -> str:
        return f"问责记录 {self.person_name} {self.day:%Y-%m-%d}"

    @property
    def unit_name(self) -> str:
        unit = self.village if self.unit_kind == UnitKind.VILLAGE else self.department
        return unit.name if unit else ""
