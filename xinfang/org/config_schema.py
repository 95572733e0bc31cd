"""The shape of a town's YAML file. Field titles are the Chinese names used in error messages."""

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

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


WarningLevel = Literal["blue", "yellow", "orange", "red"]
WarningRole = Literal["office", "leader", "department", "village", "grid", "supervisor"]
ParamValue = int | float | str | bool | list[int | str]


class WarningRuleIn(Strict):
    enabled: bool = Field(True, title="启用")
    # None: the rule's own level (a clock rule's level follows the percentage reached).
    level: WarningLevel | None = Field(None, title="等级")
    roles: list[WarningRole] | None = Field(None, title="推送角色")
    params: dict[Code, ParamValue] = Field(default_factory=dict, title="参数")


class WarningsIn(Strict):
    sms_from_level: WarningLevel | Literal["none"] = Field("orange", title="短信推送起始等级")
    webhook_from_level: WarningLevel | Literal["none"] = Field("yellow", title="政务群机器人推送起始等级")
    # Rule codes are checked by the warning engine (the rules live above this app).
    rules: dict[Code, WarningRuleIn] = Field(default_factory=dict, title="预警规则")


class ScreeningIn(Strict):
    report_units: list[Literal["village", "grid", "department"]] = Field(
        default_factory=lambda: ["village", "grid", "department"], min_length=1, title="须报送的单位"
    )
    rolling: bool = Field(True, title="自动建立滚动排查轮次")
    rolling_every_days: int = Field(7, ge=1, le=92, title="滚动排查周期（日）")
    rolling_due_days: int = Field(6, ge=0, le=92, title="滚动排查报送期限（开始后第几日）")
    zero_statement: str = Field(
        "本单位经全面排查，未发现矛盾纠纷、风险隐患和重点人员异常动向。",
        min_length=1,
        max_length=200,
        title="零报告声明",
    )
    assessment_levels: list[Literal["grid", "village", "line", "town"]] = Field(
        default_factory=lambda: ["grid", "village", "line", "town"], min_length=1, title="研判层级"
    )
    wartime_every_days: int = Field(1, ge=1, le=7, title="战时研判周期（日）")
    normal_every_days: int = Field(7, ge=1, le=31, title="常态研判周期（日）")
    warn_lookback_days: int = Field(14, ge=1, le=92, title="研判缺失预警回看天数")


# 考核问责: the facts each unit is scored on (xinfang/scoring/facts.py computes each one).
ScoringKey = Literal[
    "resolution_rate",
    "satisfaction",
    "overdue_cases",
    "rebounds",
    "incidents",
    "missing_reports",
    "missing_assessments",
    "missed_meetings",
    "overdue_supervision",
]
# The rate items score points × the rate; the others deduct points per fact, at most `cap`.
SCORING_RATE_KEYS = frozenset({"resolution_rate", "satisfaction"})


class ScoringItemIn(Strict):
    key: ScoringKey = Field(title="考核项目")
    points: float = Field(ge=0, le=100, title="分值")
    cap: float | None = Field(None, ge=0, le=100, title="最多扣分")


def _scoring_default() -> list[ScoringItemIn]:
    return [
        ScoringItemIn(key="resolution_rate", points=20),
        ScoringItemIn(key="satisfaction", points=10),
        ScoringItemIn(key="overdue_cases", points=2, cap=20),
        ScoringItemIn(key="rebounds", points=3, cap=15),
        ScoringItemIn(key="incidents", points=5, cap=30),
        ScoringItemIn(key="missing_reports", points=1, cap=10),
        ScoringItemIn(key="missing_assessments", points=1, cap=10),
        ScoringItemIn(key="missed_meetings", points=2, cap=10),
        ScoringItemIn(key="overdue_supervision", points=2, cap=10),
    ]


class ScoringIn(Strict):
    base: float = Field(70, ge=0, le=1000, title="基础分")
    items: list[ScoringItemIn] = Field(default_factory=_scoring_default, title="考核项目")

    @field_validator("items")
    @classmethod
    def _each_key_once(cls, items):
        seen = set()
        for item in items:
            if item.key in seen:
                raise ValueError(f"考核项目“{item.key}”重复出现，每个项目只能列一次")
            seen.add(item.key)
        return items


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
    warnings: WarningsIn = Field(default_factory=WarningsIn, title="预警")
    threat: "ThreatIn" = Field(default_factory=lambda: ThreatIn(), title="扬言识别")
    screening: ScreeningIn = Field(default_factory=ScreeningIn, title="排查研判")
    scoring: ScoringIn = Field(default_factory=ScoringIn, title="考核问责")
    metrics: MetricsIn = Field(default_factory=MetricsIn, title="指标口径")


# --- 扬言识别 (threat language): the lexicon the registration reads every petition's text with ---

THREAT_TERMS_DEFAULT = {
    "自伤自杀": [
        "自杀",
        "自焚",
        "跳楼",
        "跳河",
        "跳江",
        "喝农药",
        "喝药",
        "服毒",
        "上吊",
        "割腕",
        "寻死",
        "一死了之",
        "不想活了",
        "活不下去了",
        "死给你们看",
        "以死相逼",
        "死路一条",
        "不活了",
        "撞死在",
    ],
    "极端暴力": ["爆炸", "炸药", "同归于尽", "放火", "点火烧", "泼汽油", "浇汽油", "动刀子", "血溅"],
    "越级进京赴省": [
        "进京",
        "去北京",
        "到北京",
        "上北京",
        "赴京",
        "去省里",
        "到省里",
        "去省城",
        "到省城",
        "去南京",
        "到南京",
        "越级上访",
    ],
    "聚集堵路": ["堵路", "堵门", "堵大门", "拦车", "围堵", "静坐", "拉横幅", "打横幅", "挂横幅", "举牌子"],
    "媒体炒作": [
        "找媒体",
        "找记者",
        "找电视台",
        "上网曝光",
        "网上曝光",
        "向媒体曝光",
        "发到网上",
        "发网上",
        "发抖音",
        "发微博",
    ],
    "缠访闹访": ["上访到底", "告到底", "闹到底", "讨说法", "讨个说法", "天天来闹"],
}


def _threat_patterns_default() -> list["ThreatPatternIn"]:
    return [
        ThreatPatternIn(
            kind="越级进京赴省", regex=r"要(去|到|上)(北京|省里|省城|南京)(上访|告|反映|讨说法)?"
        ),
        ThreatPatternIn(
            kind="缠访闹访",
            regex=r"不(解决|处理|答复|赔偿|给说法|给个说法|落实)[^，。！？；]{0,8}?(就|便|只能|只好)"
            r"(天天|一直|继续)?(来|去)?(闹|告|上访|没完)",
        ),
        ThreatPatternIn(
            kind="极端暴力",
            regex=r"(跟|和|同)(你们|他们|他|她|政府|村里|村干部|镇里)?拼(命|了)|拼了这条(老)?命|"
            r"(杀|砍|捅)(了|死)?(你们|他们|他全家|他家)",
        ),
        ThreatPatternIn(
            kind="极端暴力",
            regex=r"(炸|炸掉|炸了|炸平|烧了|烧掉)(你们|他们|政府|镇政府|村委会?|村部|镇里|工厂|厂子|他家)",
        ),
        ThreatPatternIn(
            kind="聚集堵路",
            regex=r"(组织|叫上|带上|发动|喊上)[^，。！？；]{0,6}?(人|村民|群众|乡亲|老乡)[^，。！？；]{0,6}?"
            r"(上访|堵|闹|去镇里|去县里|去市里)",
        ),
    ]


THREAT_NEGATIONS_DEFAULT = [
    "不会",
    "不再",
    "不去",
    "不要",
    "不想",
    "不打算",
    "不准备",
    "不敢",
    "没有",
    "没",
    "绝不",
    "决不",
    "绝对不",
    "从不",
    "从未",
    "从来没有",
    "从来没",
    "从没",
    "并非",
    "并不",
    "保证不",
    "承诺不",
    "不至于",
    "无意",
    "别",
    "不",
    "未",
]
THREAT_REPORTED_DEFAULT = [
    "听说",
    "听人说",
    "据说",
    "据报道",
    "新闻里",
    "新闻上",
    "报纸上",
    "电视上",
    "电视里",
    "网上看到",
    "网上说",
    "别人说",
    "有人说",
    "人家说",
    "以前有人",
    "曾经有人",
    "去年有人",
    "邻居说",
    "村里说",
    "镇里说",
    "干部说",
    "开会说",
    "通知说",
    "文件上说",
    "他说",
    "她说",
    "他们说",
    "举例",
    "比如",
    "例如",
    "譬如",
    "传言",
]
THREAT_EXCLUSIONS_DEFAULT = [
    r"自杀式",
    r"跳楼(价|大甩卖|甩卖|促销)",
    r"爆炸(性|式)|(信息|人口|知识)爆炸|爆炸新闻",
    r"(气|头|脑袋|肺)[^，。]{0,3}(要|快)?爆炸",
    r"北京(东|西|南|北|中)?(路|街|大街|大道|巷|小区|新村|花园|商城|华联|饭店|宾馆)",
    r"南京(东|西|南|北|中)?(路|街|大街|大道|巷)",
    r"进京(证|赶考)",
    r"(进京|去北京|到北京|去省城|到省城|去南京|到南京|去省里|到省里)"
    r"(打工|务工|工作|看病|就医|治病|住院|检查|复查|手术|读书|上学|考试|旅游|参观|出差|开会|学习|培训|探亲|看望|演出|"
    r"比赛|办事|做生意|参加)",
    r"(去|到)(北京|省城|南京)(看|探望|照顾|陪)(孙|儿|女|孩子|父|母|老人|亲戚|病人)",
    r"跳河(里)?救",
    r"静坐(式|不动)",
    r"堵路(段|口)",
    r"爆炸(隐患|危险|事故|物品)|(发生|引起|引发|防止|防范|可能)了?爆炸",
    r"(拉|挂|打)横幅(宣传|标语)|宣传横幅",
    r"(给|帮|替)(我们|我|他们|群众)讨个?说法|(到|去|来)(镇里|镇上|村里|村委会?|镇政府)讨个?说法",
]


def _regex_check(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(
            f"正则表达式“{value}”写法有误（第 {(exc.pos or 0) + 1} 个字符附近），请检查括号是否成对、"
            "特殊字符是否需要转义"
        ) from None
    return value


Regex = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_regex_check)]


class ThreatPatternIn(Strict):
    kind: Name = Field(title="类型")
    regex: Regex = Field(title="正则表达式")


class ThreatIn(Strict):
    enabled: bool = Field(True, title="启用扬言识别")
    terms: dict[Name, list[Annotated[str, Field(min_length=1, max_length=30)]]] = Field(
        default_factory=lambda: {k: list(v) for k, v in THREAT_TERMS_DEFAULT.items()}, title="扬言词语"
    )
    patterns: list[ThreatPatternIn] = Field(default_factory=_threat_patterns_default, title="扬言句式")
    negations: list[Annotated[str, Field(min_length=1, max_length=10)]] = Field(
        default_factory=lambda: list(THREAT_NEGATIONS_DEFAULT), title="否定词"
    )
    reported: list[Annotated[str, Field(min_length=1, max_length=10)]] = Field(
        default_factory=lambda: list(THREAT_REPORTED_DEFAULT), title="转述与举例提示词"
    )
    exclusions: list[Regex] = Field(
        default_factory=lambda: list(THREAT_EXCLUSIONS_DEFAULT), title="排除（成语、地名等）"
    )


TownConfig.model_rebuild()


def threat_default() -> dict:
    """扬言识别 when a town's file has no `threat` section."""
    return ThreatIn().model_dump()
