"""排查 and 四级研判.

A round (集中排查, or a 滚动排查 round the system opens on the town's cadence) names every unit that must
report in it: one UnitReport row per village, grid and department, empty until the unit reports.
A unit reports its items or a zero report (一件不漏、清仓见底); a row still empty after the due date is
a missing report. Each item ends in one step: a case, a key person, or closed with a reason.

An assessment (研判) is held by a grid, a village, a line (department) or the town on an item, a case
or a key person; escalating one opens a pending assessment at the next level.

Who reads what: the office, leaders, supervision and the county read the town's rounds; a village its
own village's reports and items (including what others reported about it); a grid worker their grid's;
a department its own report and the items about its line.
"""

from django.db import models

from xinfang.accounts.choices import WORK_ROLES, Role
from xinfang.core.scoping import Scope

from .choices import AssessmentLevel, AssessmentStatus, ItemKind, Outcome, RoundKind, UnitKind

READERS = frozenset(WORK_ROLES)


def _none() -> models.Q:
    return models.Q(pk__in=[])


def _own(field: str, attr: str):
    def rule(user) -> models.Q:
        value = getattr(user, attr)
        return models.Q(**{field: value}) if value else _none()

    return rule


class ScreeningRound(models.Model):
    town = models.ForeignKey("org.Town", on_delete=models.PROTECT, related_name="+", verbose_name="镇")
    kind = models.CharField("类型", max_length=20, choices=RoundKind.choices)
    name = models.CharField("名称", max_length=100)
    start = models.DateField("排查开始", db_index=True)
    end = models.DateField("排查结束")
    due = models.DateField("报送期限", db_index=True, help_text="当日 24 时前报送；过期未报即为漏报")
    note = models.CharField("排查重点", max_length=500, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发起人",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)

    # The round itself is town-wide (every unit must know it is on); its reports and items are scoped.
    scope = Scope(town="town", roles=READERS)

    class Meta:
        verbose_name = "排查轮次"
        verbose_name_plural = "排查轮次"
        ordering = ["-start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "kind", "start"],
                condition=models.Q(kind="rolling"),
                name="rolling_round_once_per_start",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def audit_label(self) -> str:
        return f"排查轮次 {self.pk}"


def _report_department(user) -> models.Q:
    return _own("department_id", "department_id")(user)


class UnitReport(models.Model):
    """One unit's report in a round: empty (submitted_at null) until the unit reports."""

    town = models.ForeignKey("org.Town", on_delete=models.PROTECT, related_name="+", verbose_name="镇")
    round = models.ForeignKey(
        ScreeningRound, on_delete=models.CASCADE, related_name="reports", verbose_name="轮次"
    )
    unit_kind = models.CharField("单位类型", max_length=20, choices=UnitKind.choices)
    # A grid's report carries its village too, so that the village reads its grids' reports.
    village = models.ForeignKey(
        "org.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="村（居）",
    )
    grid = models.ForeignKey(
        "org.Grid", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="网格"
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="部门",
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True, db_index=True)
    reporter = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报送人",
    )
    is_zero = models.BooleanField("零报告", default=False)
    statement = models.CharField("报告说明", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope = Scope(
        town="town",
        village="village",
        roles=READERS,
        extra={Role.DEPARTMENT: _report_department, Role.GRID: _own("grid_id", "grid_id")},
    )

    class Meta:
        verbose_name = "单位排查报告"
        verbose_name_plural = "单位排查报告"
        ordering = ["round", "unit_kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "village"],
                condition=models.Q(unit_kind="village"),
                name="report_once_village",
            ),
            models.UniqueConstraint(
                fields=["round", "grid"], condition=models.Q(unit_kind="grid"), name="report_once_grid"
            ),
            models.UniqueConstraint(
                fields=["round", "department"],
                condition=models.Q(unit_kind="department"),
                name="report_once_department",
            ),
        ]
        indexes = [models.Index(fields=["town", "submitted_at"], name="report_town_submitted")]

    def __str__(self):
        return f"{self.round} · {self.unit_name}"

    @property
    def audit_label(self) -> str:
        return f"排查报告 {self.pk}"

    @property
    def unit_name(self) -> str:
        if self.unit_kind == UnitKind.GRID and self.grid_id:
            return f"{self.village.name} · {self.grid.name}" if self.village_id else self.grid.name
        if self.unit_kind == UnitKind.VILLAGE and self.village_id:
            return self.village.name
        if self.department_id:
            return self.department.name
        return ""

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


def _item_department(user) -> models.Q:
    if not user.department_id:
        return _none()
    return models.Q(report__department_id=user.department_id) | models.Q(department_id=user.department_id)


class ScreeningItem(models.Model):
    """One thing a unit found: a dispute, a hidden risk or a key person's movement."""

    town = models.ForeignKey("org.Town", on_delete=models.PROTECT, related_name="+", verbose_name="镇")
    round = models.ForeignKey(
        ScreeningRound, on_delete=models.CASCADE, related_name="items", verbose_name="轮次"
    )
    report = models.ForeignKey(
        UnitReport, on_delete=models.CASCADE, related_name="items", verbose_name="报告单位"
    )
    kind = models.CharField("类型", max_length=20, choices=ItemKind.choices)
    # Where the matter is, and which line it concerns: what cross screening (上下交叉) compares.
    village = models.ForeignKey(
        "org.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所在村（居）",
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="涉及条线",
    )
    category = models.ForeignKey(
        "org.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="问题类别",
    )
    title = models.CharField("事项", max_length=100)
    description = models.TextField("具体情况")
    person_name = models.CharField("涉及人员", max_length=40, blank=True)
    person_id_number = models.CharField("涉及人员身份证号", max_length=18, blank=True)
    persons_count = models.PositiveIntegerField("涉及人数", default=1)
    risk_level = models.CharField("风险等级", max_length=40, help_text="镇配置 stability.risk_levels 的代码")
    reporter = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="报告人"
    )
    created_at = models.DateTimeField("报告时间", auto_now_add=True)
    outcome = models.CharField("处理结果", max_length=20, choices=Outcome.choices, default=Outcome.OPEN)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="转为信访事项",
    )
    key_person = models.ForeignKey(
        "stability.KeyPerson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="列为重点人员",
    )
    closed_reason = models.CharField("销号理由", max_length=500, blank=True)
    outcome_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    outcome_at = models.DateTimeField("处理时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope = Scope(
        town="town",
        village="village",
        roles=READERS,
        extra={Role.DEPARTMENT: _item_department, Role.GRID: _own("report__grid_id", "grid_id")},
    )

    class Meta:
        verbose_name = "排查事项"
        verbose_name_plural = "排查事项"
        ordering = ["round", "village", "id"]
        indexes = [models.Index(fields=["town", "outcome"], name="item_town_outcome")]

    def __str__(self):
        return self.title

    @property
    def audit_label(self) -> str:
        return f"排查事项 {self.pk}"


def _assessment_department(user) -> models.Q:
    """A department: its line's assessments, those of items about its line, and what became of the
    ones it escalated."""
    if not user.department_id:
        return _none()
    d = user.department_id
    return (
        models.Q(department_id=d)
        | models.Q(item__department_id=d)
        | models.Q(escalated_from__department_id=d)
    )


def _assessment_grid(user) -> models.Q:
    """A grid worker: their grid's assessments, and how the levels above assessed what they found."""
    if not user.grid_id:
        return _none()
    g = user.grid_id
    return models.Q(grid_id=g) | models.Q(item__report__grid_id=g) | models.Q(escalated_from__grid_id=g)


class Assessment(models.Model):
    """研判: one level's assessment of an item, a case or a key person; pending until held."""

    town = models.ForeignKey("org.Town", on_delete=models.PROTECT, related_name="+", verbose_name="镇")
    level = models.CharField("研判层级", max_length=20, choices=AssessmentLevel.choices)
    # The unit that holds it: the grid (网格研判), the village (村（居）研判, and the village of a grid's),
    # the department (条线研判); the town needs none.
    village = models.ForeignKey(
        "org.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="村（居）",
    )
    grid = models.ForeignKey(
        "org.Grid", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="网格"
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="条线（部门）",
    )
    item = models.ForeignKey(
        ScreeningItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name="排查事项",
    )
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
    status = models.CharField(
        "状态", max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DONE
    )
    held_on = models.DateField("研判日期", null=True, blank=True, db_index=True)
    risk_level = models.CharField("风险等级", max_length=40, blank=True)
    conclusion = models.TextField("研判结论", blank=True)
    next_step = models.TextField("下一步措施", blank=True)
    participants = models.CharField("参加人员", max_length=300, blank=True)
    escalated_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalated_to",
        verbose_name="上报自",
    )
    escalation_reason = models.CharField("提级理由", max_length=500, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="填报人"
    )
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    held_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="研判记录人",
    )
    version = models.PositiveIntegerField("版本", default=1)

    scope = Scope(
        town="town",
        village="village",
        roles=READERS,
        extra={Role.DEPARTMENT: _assessment_department, Role.GRID: _assessment_grid},
    )

    class Meta:
        verbose_name = "研判记录"
        verbose_name_plural = "研判记录"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["town", "level", "held_on"], name="assessment_town_level_day")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(item__isnull=False, case__isnull=True, key_person__isnull=True)
                    | models.Q(item__isnull=True, case__isnull=False, key_person__isnull=True)
                    | models.Q(item__isnull=True, case__isnull=True, key_person__isnull=False)
                ),
                name="assessment_one_subject",
            )
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.subject_label}"

    @property
    def audit_label(self) -> str:
        return f"研判记录 {self.pk}"

    @property
    def subject_label(self) -> str:
        if self.item_id:
            return f"排查事项：{self.item.title}"
        if self.case_id:
            return f"信访事项：{self.case.number}"
        if self.key_person_id:
            return f"重点人员：{self.key_person.petitioner.name}"
        return ""

    @property
    def unit_name(self) -> str:
        if self.level == AssessmentLevel.GRID and self.grid_id:
            return self.grid.name
        if self.level == AssessmentLevel.VILLAGE and self.village_id:
            return self.village.name
        if self.level == AssessmentLevel.LINE and self.department_id:
            return self.department.name
        return "镇"
