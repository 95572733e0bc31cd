"""考核问责 through the API: the scores of a period (each item with its explanation), the facts behind
one item of one unit, and the accountability records."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from xinfang.accounts.choices import Role
from xinfang.core.schemas import Day, ErrorOut, Id, InSchema, Limit, Offset

from . import selectors, services
from .choices import Measure, UnitKind
from .rules import PERIOD_HELP, BadPeriod, period_of, period_parse

router = Router(tags=["考核问责"])


def _help(choices) -> str:
    return "、".join(f"{value} {label}" for value, label in choices.choices)


def _refuse(field: str, message: str):
    return Status(422, {"detail": "输入有误", "errors": [{"field": field, "message": message}]})


class ScoreItemOut(Schema):
    key: str
    name: str
    rate: bool = Field(..., description="true：比率项（得分 = 分值 × 比率）；false：扣分项")
    count: int = Field(..., description="扣分项：件（次）数；比率项：达标数")
    total: int = Field(..., description="比率项：总数")
    points: float = Field(..., description="本项得分（扣分为负数）")
    explain: str


class ScoreOut(Schema):
    rank: int
    unit_kind: str
    unit: int
    unit_name: str
    total: float
    items: list[ScoreItemOut]


class ScoreListOut(Schema):
    town: str
    period: str
    period_label: str
    start: dt.date
    end: dt.date
    base: float
    not_computed: list[str] = Field(..., description="配置了但尚无数据来源、未计算的考核项目")
    items: list[ScoreOut]
    count: int


class ScoreFilters(InSchema):
    period: str = Field("", max_length=10, description=PERIOD_HELP + "；不填为本月")
    kind: str = Field(UnitKind.VILLAGE, max_length=20, description="单位类型：" + _help(UnitKind))
    town: str = Field("", max_length=40, description="镇代码（仅县信访局）")


def _params(user, filters):
    if filters.kind not in UnitKind.values:
        return None, _refuse("kind", "只能是以下之一：" + _help(UnitKind))
    today = timezone.localdate()
    try:
        period = period_parse(filters.period) if filters.period else period_of(today)
    except BadPeriod as exc:
        return None, _refuse("period", str(exc))
    town = selectors.town_for(user, filters.town if user.role == Role.COUNTY else None)
    return (town, period, today), None


def _item(i) -> dict:
    return {
        "key": i.key,
        "name": i.name,
        "rate": i.rate,
        "count": i.count,
        "total": i.total,
        "points": i.points,
        "explain": i.explain,
    }


@router.get(
    "/scores",
    response={200: ScoreListOut, 403: ErrorOut, 422: ErrorOut},
    summary="考核得分与排名（period=2026-11、2026-Q4 或 2026；kind=village 或 department）",
)
def score_index(request, filters: Query[ScoreFilters]):
    user = request.auth
    if user.role not in {Role.OFFICE, Role.LEADER, Role.SUPERVISOR, Role.COUNTY}:
        return Status(403, {"detail": "考核排名由联席办、镇领导、督查专班和县信访局查看，您的角色不能查看。"})
    found, refusal = _params(user, filters)
    if refusal:
        return refusal
    town, period, today = found
    r = selectors.ranking(town=town, period=period, kind=filters.kind, today=today)
    return {
        "town": town.code,
        "period": period.code,
        "period_label": period.label,
        "start": period.start,
        "end": period.end,
        "base": r.base,
        "not_computed": r.not_computed,
        "items": [
            {
                "rank": s.rank,
                "unit_kind": s.unit_kind,
                "unit": s.unit_id,
                "unit_name": s.unit_name,
                "total": s.total,
                "items": [_item(i) for i in s.items],
            }
            for s in r.scores
        ],
        "count": len(r.scores),
    }


class ScoreFactOut(Schema):
    kind: str = Field(..., description="case 信访事项、incident 五不事件、notice 督办单 等")
    id: int | None
    label: str
    note: str
    day: dt.date | None
    counts: bool = Field(..., description="比率项：是否计入分子")
    url: str


class ScoreFactListOut(Schema):
    unit_name: str
    item: ScoreItemOut
    items: list[ScoreFactOut]
    count: int


@router.get(
    "/scores/{kind}/{unit_id}/{key}",
    response={200: ScoreFactListOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="一个单位一项得分所依据的事实",
)
def score_facts(request, kind: str, unit_id: Id, key: str, filters: Query[ScoreFilters]):
    user = request.auth
    if user.role not in {Role.OFFICE, Role.LEADER, Role.SUPERVISOR, Role.COUNTY}:
        return Status(403, {"detail": "考核排名由联席办、镇领导、督查专班和县信访局查看，您的角色不能查看。"})
    filters.kind = kind
    found, refusal = _params(user, filters)
    if refusal:
        return refusal
    town, period, today = found
    unit_name, item, facts = selectors.unit_facts(
        town=town, period=period, kind=kind, unit_id=unit_id, key=key[:40], today=today
    )
    return {
        "unit_name": unit_name,
        "item": _item(item),
        "items": [
            {
                "kind": f.kind,
                "id": f.pk,
                "label": f.label,
                "note": f.note,
                "day": f.day,
                "counts": f.counts,
                "url": f.url,
            }
            for f in facts
        ],
        "count": len(facts),
    }


class AccountabilityOut(Schema):
    id: int
    unit_kind: str
    unit: int
    unit_name: str
    person_name: str
    person_title: str
    reason: str
    measure: str = Field(..., description=_help(Measure))
    measure_label: str
    day: dt.date
    cases: list[int]
    notices: list[int]
    recorded_by: str


class AccountabilityListOut(Schema):
    items: list[AccountabilityOut]
    count: int


class AccountabilityFilters(InSchema):
    offset: Offset = 0
    limit: Limit = 50


def _record(a) -> dict:
    return {
        "id": a.pk,
        "unit_kind": a.unit_kind,
        "unit": a.village_id or a.department_id,
        "unit_name": a.unit_name,
        "person_name": a.person_name,
        "person_title": a.person_title,
        "reason": a.reason,
        "measure": a.measure,
        "measure_label": a.get_measure_display(),
        "day": a.day,
        "cases": [c.pk for c in a.cases.all()],
        "notices": [n.pk for n in a.notices.all()],
        "recorded_by": a.recorded_by.display_name,
    }


@router.get("/accountability", response=AccountabilityListOut, summary="问责记录")
def accountability_index(request, filters: Query[AccountabilityFilters]):
    found = selectors.accountabilities(user=request.auth)
    page = found[filters.offset : filters.offset + filters.limit]
    return {"items": [_record(a) for a in page], "count": found.count()}


class AccountabilityIn(InSchema):
    unit_kind: str = Field(..., max_length=20, description="单位类型：" + _help(UnitKind))
    unit: Id
    person_name: str = Field(..., max_length=40)
    person_title: str = Field("", max_length=60)
    reason: str = Field(..., max_length=2000)
    measure: str = Field(..., max_length=20, description="问责方式：" + _help(Measure))
    day: Day
    cases: list[Id] = Field(default_factory=list, max_length=100)
    notices: list[Id] = Field(default_factory=list, max_length=100)


@router.post(
    "/accountability",
    response={201: AccountabilityOut, 403: ErrorOut, 422: ErrorOut},
    summary="记录问责（仅督查专班）",
)
def accountability_new(request, body: AccountabilityIn):
    record = services.accountability_record(
        acting_user=request.auth,
        unit_kind=body.unit_kind,
        unit_id=body.unit,
        person_name=body.person_name,
        person_title=body.person_title,
        reason=body.reason,
        measure=body.measure,
        day=body.day,
        case_ids=body.cases,
        notice_ids=body.notices,
    )
    return Status(201, _record(selectors.accountability_get(user=request.auth, pk=record.pk)))
