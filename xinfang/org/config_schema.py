"""The shape of a town's YAML file. Field titles are the Chinese names used in error messages."""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=40, title="代码")]
Name = Annotated[str, Field(min_length=1, max_length=60)]
Phone = Annotated[str, Field(pattern=r"^[0-9-]{0,20}$", title="电话")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PersonIn(Strict):
    name: Name = Field(title="姓名")
    title: str = Field("", title="职务")
    phone: Phone = ""


class TownIn(Strict):
    code: Code
    name: Name = Field(title="镇名")
    county: Name = Field(title="所属县（市）")
    case_number_prefix: str = Field(min_length=1, max_length=10, title="信访事项编号前缀")
    demo: bool = Field(False, title="演示数据")


class SettingsIn(Strict):
    collective_threshold: int = Field(5, ge=2, le=1000, title="集体访人数下限")
    max_representatives: int = Field(5, ge=1, le=100, title="推选代表人数上限")
    office_phone: Phone = Field("", title="联席办联系电话")
    office_address: str = Field("", max_length=100, title="联席办地址")
    basic_satisfied_counts: bool = Field(True, title="满意率计入基本满意")
    rating_window_days: int = Field(30, ge=1, le=365, title="评价期限")
    notice_ack_hours: int = Field(24, ge=1, le=720, title="交办单签收时限")
    prominent_rules: list[Literal["repeat", "collective", "skip_level", "threat", "backlog"]] = Field(
        default_factory=lambda: ["repeat", "collective", "skip_level", "threat", "backlog"],
        title="自动列为突出问题的情形",
    )
    prominent_repeat_min: int = Field(1, ge=1, le=100, title="重复信访达到几次列为突出问题")


Days = Annotated[int, Field(ge=1, le=365)]


class TimeLimitsIn(Strict):
    route_days: Days = Field(15, title="登记转送交办期限")
    notify_days: Days = Field(15, title="告知是否受理期限")
    misroute_objection_working_days: Days = Field(5, title="交办不当提出异议期限")
    handling_days: Days = Field(60, title="办理期限")
    extension_max_days: Days = Field(30, title="延期上限")
    review_request_days: Days = Field(30, title="申请复查期限")
    review_answer_days: Days = Field(30, title="复查答复期限")
    re_review_request_days: Days = Field(30, title="申请复核期限")
    re_review_answer_days: Days = Field(30, title="复核答复期限")
    warning_percents: list[Annotated[int, Field(ge=1, le=100)]] = Field([50, 75, 90], title="预警节点")


class DepartmentIn(Strict):
    code: Code
    name: Name = Field(title="名称")
    kind: Literal["town", "external"] = Field("town", title="类型")
    head: PersonIn | None = Field(None, title="负责人")


class LeaderIn(Strict):
    code: Code
    name: Name = Field(title="姓名")
    title: Name = Field(title="职务")
    phone: Phone = ""
    lines: list[Code] = Field(default_factory=list, title="分管条线")


class GridIn(Strict):
    code: Code
    name: Name = Field(title="名称")
    worker: PersonIn = Field(title="网格员")


class VillageIn(Strict):
    code: Code
    name: Name = Field(title="名称")
    kind: Literal["village", "community"] = Field("village", title="类型")
    contact_leader: Code = Field(title="联系领导")
    party_head: PersonIn = Field(title="党组织负责人")
    cadre: PersonIn = Field(title="分工镇干")
    grids: list[GridIn] = Field(default_factory=list, title="网格")


class CategoryIn(Strict):
    code: Code
    name: Name = Field(title="名称")
    description: str = Field("", title="说明")
    matters: list[Name] = Field(min_length=1, title="主要事项")
    lead: Code = Field(title="牵头部门")
    supporting: list[Code] = Field(default_factory=list, title="配合部门")
    within_village_powers: bool = Field(title="属于村（居）职权范围")
    matters_outside_village_powers: list[Name] = Field(default_factory=list, title="不属于村（居）职权的事项")


class TargetIn(Strict):
    code: Code
    group: Literal["三降", "四升", "五不"] = Field(title="目标组")
    name: Name = Field(title="名称")
    definition: str = Field("", title="口径")
    comparison: Literal["below_last_year", "at_least", "at_most", "zero"] = Field(title="比较方式")
    threshold: Decimal | None = Field(None, ge=0, title="目标值")
    unit: Literal["件", "人", "次", "%"] = Field(title="单位")


class CadenceIn(Strict):
    code: Code
    name: Name = Field(title="名称")
    held_by: Literal["lead_leader", "town", "party_committee"] = Field(title="责任主体")
    period: Literal["month", "quarter"] = Field(title="周期")
    times: int = Field(ge=1, le=31, title="至少次数")


class AccusationRouteIn(Strict):
    department: Code = Field(title="牵头部门（纪检监察机关）")
    leader: Code | None = Field(None, title="包案领导（不填则为分管该部门的镇领导）")


class OwnershipIn(Strict):
    joint_meeting_when: list[
        Literal[
            "collective",
            "skip_level_county",
            "skip_level_city",
            "skip_level_province",
            "skip_level_beijing",
            "threat",
            "marked_major",
        ]
    ] = Field(default_factory=list, title="由联席会议确定包案领导的情形")
    accusation_route: AccusationRouteIn | None = Field(None, title="检举控告类事项的办理路径")


class RiskLevelIn(Strict):
    code: Code
    name: Annotated[str, Field(min_length=1, max_length=10)] = Field(title="名称")
    contacts: int = Field(1, ge=1, le=10, title="见面次数")
    days: int = Field(1, ge=1, le=90, title="每几日")


def _levels_default() -> list[RiskLevelIn]:
    return [
        RiskLevelIn(code="high", name="高", contacts=1, days=1),
        RiskLevelIn(code="medium", name="中", contacts=1, days=3),
        RiskLevelIn(code="low", name="低", contacts=1, days=7),
    ]


class StabilityIn(Strict):
    risk_levels: list[RiskLevelIn] = Field(default_factory=_levels_default, min_length=1, title="风险等级")
    period_contacts_per_day: int = Field(3, ge=1, le=10, title="保障期每日见面次数")
    follow_up_every_days: int = Field(30, ge=1, le=365, title="回访间隔（日）")
    follow_up_times: int = Field(6, ge=1, le=36, title="回访次数")


class NationalTargetsIn(Strict):
    timely_acceptance_rate: Decimal | None = Field(None, ge=0, le=1, title="及时受理率目标")
    on_time_rate: Decimal | None = Field(None, ge=0, le=1, title="按期办结率目标")
    participation_rate: Decimal | None = Field(None, ge=0, le=1, title="参评率目标")
    office_satisfaction_rate: Decimal | None = Field(None, ge=0, le=1, title="满意率（信访部门）目标")
    unit_satisfaction_rate: Decimal | None = Field(None, ge=0, le=1, title="满意率（办理单位）目标")
    case_repeat_rate: Decimal | None = Field(None, ge=0, le=1, title="重复信访率目标（不高于）")


class MetricsIn(Strict):
    overdue_rating: Literal["excluded", "satisfied"] = Field("excluded", title="超期未评价的处理")
    marked_decline_percent: int = Field(10, ge=0, le=100, title="“明显下降”的幅度（%）")
    warning_margin: Decimal = Field(Decimal("0.02"), ge=0, le=1, title="预警幅度")
    satisfaction_rating: Literal["unit", "office", "both"] = Field("unit", title="群众满意率依据的评价")
    resolution_stability_base: Literal["period", "cumulative"] = Field("period", title="化解稳定率的分母")
    national_targets: NationalTargetsIn = Field(default_factory=NationalTargetsIn, title="国家指标目标值")


class TownConfig(Strict):
    town: TownIn = Field(title="镇")
    settings: SettingsIn = Field(default_factory=SettingsIn, title="参数")
    time_limits: TimeLimitsIn = Field(default_factory=TimeLimitsIn, title="办理时限")
    departments: list[DepartmentIn] = Field(min_length=1, title="部门")
    leaders: list[LeaderIn] = Field(min_length=1, title="镇领导")
    villages: list[VillageIn] = Field(min_length=1, title="村（居）")
    categories: list[CategoryIn] = Field(min_length=1, title="问题类别")
    targets: list[TargetIn] = Field(default_factory=list, title="工作目标")
    cadences: list[CadenceIn] = Field(default_factory=list, title="会议与报告频次")
    ownership: OwnershipIn = Field(default_factory=OwnershipIn, title="包案规则")
    stability: StabilityIn = Field(default_factory=StabilityIn, title="稳控参数")
    metrics: MetricsIn = Field(default_factory=MetricsIn, title="指标口径")
