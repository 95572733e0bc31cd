"""A town as data: its units, people, categories, targets, limits and cadences.

Everything here is loaded from a town's YAML file (`load_town`) and editable afterwards in the app.
Each object carries a `code` that is stable across reloads, so a second load updates, never duplicates.
"""

from django.db import models

from xinfang.accounts.choices import Role
from xinfang.core.scoping import Scope

from .choices import (
    CadenceHolder,
    Comparison,
    DepartmentKind,
    Period,
    TargetGroup,
    VillageKind,
)

CODE_HELP = "英文小写字母、数字、-、_，在本镇内唯一，配置文件以此对应"
# The audit administrator reads only the audit log; the security administrator reads the units to
# place accounts in them.
_ORG_READERS = frozenset(r for r in Role.values if r != Role.AUDITADMIN)


def prominent_rules_default() -> list[str]:
    return ["repeat", "collective", "skip_level", "threat", "backlog"]


def stability_default() -> dict:
    """稳控参数 when a town's file names none: the levels of key persons and how often each must be
    met, the contacts a day in a protection period (一日三见面) and the follow-ups of a resolved case."""
    return {
        "risk_levels": [
            {"code": "high", "name": "高", "contacts": 1, "days": 1},
            {"code": "medium", "name": "中", "contacts": 1, "days": 3},
            {"code": "low", "name": "低", "contacts": 1, "days": 7},
        ],
        "period_contacts_per_day": 3,
        "follow_up_every_days": 30,
        "follow_up_times": 6,
    }


def metrics_default() -> dict:
    """指标口径 when a town's file names none (see docs/metrics.md): the settings of the metrics'
    ambiguities, each with the default stated in configs/fenjie.yaml."""
    return {
        "overdue_rating": "excluded",
        "marked_decline_percent": 10,
        "warning_margin": "0.02",
        "satisfaction_rating": "unit",
        "resolution_stability_base": "period",
        "national_targets": {},
    }


class Town(models.Model):
    code = models.SlugField("代码", max_length=40, unique=True, help_text=CODE_HELP)
    name = models.CharField("镇名", max_length=60)
    county = models.CharField("所属县（市）", max_length=60)
    case_number_prefix = models.CharField(
        "信访事项编号前缀", max_length=10, help_text="如“分信”，编号形如 分信〔2026〕0001号"
    )
    is_demo = models.BooleanField("演示数据", default=False)
    collective_threshold = models.PositiveSmallIntegerField("集体访人数下限", default=5)
    max_representatives = models.PositiveSmallIntegerField("推选代表人数上限", default=5)
    # Printed on the registration receipt (登记回执) and the acceptance notice: where a petitioner
    # calls or comes to ask about the case.
    office_phone = models.CharField("联席办联系电话", max_length=40, blank=True)
    office_address = models.CharField("联席办地址", max_length=100, blank=True)
    basic_satisfied_counts = models.BooleanField("满意率计入“基本满意”", default=True)
    rating_window_days = models.PositiveSmallIntegerField("评价期限（日）", default=30)
    notice_ack_hours = models.PositiveSmallIntegerField("交办单签收时限（小时）", default=24)
    prominent_rules = models.JSONField(
        "自动列为突出问题的情形",
        default=prominent_rules_default,
        blank=True,
        help_text="repeat 重复信访、collective 集体访、skip_level 越级访、threat 扬言、backlog 积案",
    )
    prominent_repeat_min = models.PositiveSmallIntegerField("重复信访达到几次列为突出问题", default=1)
    joint_meeting_when = models.JSONField("由联席会议确定包案领导的情形", default=list, blank=True)
    # 检举控告类 goes to the discipline body, not by category or village (ownership.accusation_route).
    accusation_department = models.ForeignKey(
        "Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="检举控告类牵头部门（纪检监察）",
    )
    accusation_leader = models.ForeignKey(
        "Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="检举控告类包案领导",
        help_text="不填则为分管该部门的镇领导",
    )
    # Key persons' risk levels and contact rules, protection periods' contacts, follow-up schedule.
    stability = models.JSONField("稳控参数", default=stability_default, blank=True)
    # How the metrics read the ambiguous cases (超期未评价, 明显下降, 预警 …): metrics.rules reads it.
    metrics = models.JSONField("指标口径", default=metrics_default, blank=True)
    loaded_at = models.DateTimeField("最近导入配置时间", null=True, blank=True)

    scope = Scope(town="", roles=frozenset(Role.values))

    class Meta:
        verbose_name = "镇"
        verbose_name_plural = "镇"
        ordering = ["code"]

    def __str__(self):
        return self.name


class TimeLimits(models.Model):
    """Statutory limits (《信访工作条例》), in calendar days unless the name says working days."""

    town = models.OneToOneField(Town, on_delete=models.CASCADE, related_name="time_limits", verbose_name="镇")
    route_days = models.PositiveSmallIntegerField("登记转送交办期限（日）", default=15)
    notify_days = models.PositiveSmallIntegerField("告知是否受理期限（日）", default=15)
    misroute_objection_working_days = models.PositiveSmallIntegerField(
        "交办不当提出异议期限（工作日）", default=5
    )
    handling_days = models.PositiveSmallIntegerField("办理期限（日）", default=60)
    extension_max_days = models.PositiveSmallIntegerField("延期上限（日）", default=30)
    review_request_days = models.PositiveSmallIntegerField("申请复查期限（日）", default=30)
    review_answer_days = models.PositiveSmallIntegerField("复查答复期限（日）", default=30)
    re_review_request_days = models.PositiveSmallIntegerField("申请复核期限（日）", default=30)
    re_review_answer_days = models.PositiveSmallIntegerField("复核答复期限（日）", default=30)
    warning_percents = models.JSONField("预警节点（已用时限百分比）", default=list)

    scope = Scope(town="town", roles=_ORG_READERS)

    class Meta:
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"

    def __str__(self):
        return f"{self.town}办理时限"


class Person(models.Model):
    """A cadre, a leader, a village head or a grid worker: somebody the system names as responsible."""

    town = models.ForeignKey(Town, on_delete=models.CASCADE, related_name="people", verbose_name="镇")
    # The village a person works in (party head, grid worker); empty for town-level cadres.
    village = models.ForeignKey(
        "Village",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="所在村（居）",
    )
    name = models.CharField("姓名", max_length=40)
    title = models.CharField("职务", max_length=60, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    is_leader = models.BooleanField("镇党政负责人", default=False)
    code = models.SlugField("代码", max_length=40, blank=True, help_text="仅镇领导需要，配置文件以此对应")
    lines = models.ManyToManyField(
        "Department", blank=True, related_name="heading_leaders", verbose_name="分管条线"
    )

    scope = Scope(town="town", village="village", village_optional=True, roles=_ORG_READERS)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["town", "-is_leader", "id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name", "phone"], name="person_unique_per_town"),
        ]

    def __str__(self):
        return f"{self.name}（{self.title}）" if self.title else self.name


class Department(models.Model):
    town = models.ForeignKey(Town, on_delete=models.CASCADE, related_name="departments", verbose_name="镇")
    code = models.SlugField("代码", max_length=40, help_text=CODE_HELP)
    name = models.CharField("名称", max_length=60)
    kind = models.CharField(
        "类型", max_length=10, choices=DepartmentKind.choices, default=DepartmentKind.TOWN
    )
    head = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
        verbose_name="负责人",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    scope = Scope(town="town", roles=_ORG_READERS)

    class Meta:
        verbose_name = "部门（条线）"
        verbose_name_plural = "部门（条线）"
        ordering = ["town", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="department_code_unique")]

    def __str__(self):
        return self.name


class Village(models.Model):
    town = models.ForeignKey(Town, on_delete=models.CASCADE, related_name="villages", verbose_name="镇")
    code = models.SlugField("代码", max_length=40, help_text=CODE_HELP)
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类型", max_length=10, choices=VillageKind.choices, default=VillageKind.VILLAGE)
    contact_leader = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="contact_villages", verbose_name="联系领导"
    )
    party_head = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="party_head_of", verbose_name="党组织负责人"
    )
    cadre = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cadre_of", verbose_name="分工镇干"
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    scope = Scope(town="town", village="pk", roles=_ORG_READERS)

    class Meta:
        verbose_name = "村（居）"
        verbose_name_plural = "村（居）"
        ordering = ["town", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="village_code_unique")]

    def __str__(self):
        return self.name


class Grid(models.Model):
    village = models.ForeignKey(
        Village, on_delete=models.CASCADE, related_name="grids", verbose_name="村（居）"
    )
    code = models.SlugField("代码", max_length=40, help_text=CODE_HELP)
    name = models.CharField("名称", max_length=60)
    worker = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="grids", verbose_name="网格员")
    order = models.PositiveSmallIntegerField("排序", default=0)

    scope = Scope(town="village__town", village="village", roles=_ORG_READERS)

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        ordering = ["village", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["village", "code"], name="grid_code_unique")]

    def __str__(self):
        return self.name


class Category(models.Model):
    town = models.ForeignKey(Town, on_delete=models.CASCADE, related_name="categories", verbose_name="镇")
    code = models.SlugField("代码", max_length=40, help_text=CODE_HELP)
    name = models.CharField("名称", max_length=40)
    description = models.TextField("说明", blank=True)
    matters = models.JSONField("主要事项", default=list)
    lead = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="led_categories", verbose_name="牵头部门（☆）"
    )
    supporting = models.ManyToManyField(
        Department, blank=True, related_name="supported_categories", verbose_name="配合部门"
    )
    within_village_powers = models.BooleanField("属于村（居）职权范围", default=False)
    matters_outside_village_powers = models.JSONField("不属于村（居）职权的事项", default=list, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    scope = Scope(town="town", roles=_ORG_READERS)

    class Meta:
        verbose_name = "问题类别"
        verbose_name_plural = "问题类别"
        ordering = ["town", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="category_code_unique")]

    def __str__(self):
        return self.name

    def matter_within_village_powers(self, matter: str | None) -> bool:
        if not self.within_village_powers:
            return False
        return matter not in (self.matters_outside_village_powers or [])


class Target(models.Model):
    """One of 三降、四升、五不 with its threshold."""

    town = models.ForeignKey(Town, on_delete=models.CASCADE, related_name="targets", verbose_name="镇")
    code = models.SlugField("代码", max_length=40, help_text=CODE_HELP)
    group = models.CharField("目标组", max_length=4, choices=TargetGroup.choices)
    name = models.CharField("名称", max_length=60)
    definition = models.TextField("口径", blank=True)
    comparison = models.CharField("比较方式", max_length=20, choices=Comparison.choices)
    threshold = models.DecimalField("目标值", max_digits=8, decimal_places=4, null=True, blank=True)
    unit = models.CharField("单位", max_length=4)
    order = models.PositiveSmallIntegerField("排序", default=0)

    scope = Scope(town="town", roles=_ORG_READERS)

    class Meta:
        verbose_name = "工作目标"
        verbose_name_plural = "工作目标（三降四升五不）"
        ordering = ["town", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="target_code_unique")]

    def __str__(self):
        return self.name

    @property
    def goal_text(self) -> str:
        if self.comparison == Comparison.BELOW_LAST_YEAR:
            return "低于去年同期"
        if self.comparison == Comparison.ZERO:
            return "零发生"
        value = self.threshold
        if self.unit == "%" and value == 1 and self.comparison == Comparison.AT_LEAST:
            return "100%"
        shown = f"{value * 100:.0f}%" if self.unit == "%" else f"{value.normalize()}{self.unit}"
        return f"{'≥' if self.comparison == Comparison.AT_LEAST else '≤'} {shown}"


class Cadence(models.Model):
    town = models.ForeignKey(Town, on_delete=models.CASCADE, related_name="cadences", verbose_name="镇")
    code = models.SlugField("代码", max_length=40, help_text=CODE_HELP)
    name = models.CharField("名称", max_length=60)
    held_by = models.CharField("责任主体", max_length=20, choices=CadenceHolder.choices)
    period = models.CharField("周期", max_length=10, choices=Period.choices)
    times = models.PositiveSmallIntegerField("至少次数")

    scope = Scope(town="town", roles=_ORG_READERS)

    class Meta:
        verbose_name = "会议与报告频次"
        verbose_name_plural = "会议与报告频次"
        ordering = ["town", "id"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="cadence_code_unique")]

    def __str__(self):
        return f"{self.get_held_by_display()}{self.get_period_display()}{self.name}不少于{self.times}次"
