"""三降四升五不 and the national indicators through the API: the numbers, and the list behind each."""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema

from xinfang.core.schemas import Day, Id, InSchema, Limit, Offset

from . import selectors

router = Router(tags=["三降四升五不"])


class MetricFilters(InSchema):
    from_: Day = Field(..., alias="from", description="起始日期，如 2026-01-01")
    to: Day = Field(..., description="截止日期（含），如 2026-12-31；今天以后的日子不计")
    village: Id | None = Field(None, description="村（居）id")
    line: Id | None = Field(None, description="条线（牵头部门）id")
    owner: Id | None = Field(None, description="包案领导 id")
    town: Id | None = Field(None, description="镇 id（县信访局必填，其他角色只能看本镇）")


def _period(filters: MetricFilters) -> tuple[dt.date, dt.date]:
    if filters.from_ > filters.to:
        raise ValidationError({"from": "起始日期不能晚于截止日期。"})
    if (filters.to - filters.from_).days > 366 * 5:
        raise ValidationError({"from": "统计期间最长 5 年。"})
    return filters.from_, filters.to


def _unit(filters: MetricFilters) -> dict:
    return {"village": filters.village, "line": filters.line, "owner": filters.owner, "town": filters.town}


class MetricOut(Schema):
    key: str
    name: str
    group: str = Field(..., description="三降、四升、五不或国家指标")
    area: str = Field(
        ..., description="方案的目标分组：源头治理能力、实体化解质效、群众满意率、重大活动信访保障质效"
    )
    unit: str = Field(..., description="件、人、次或 %（比例为小数，0.95 即 95%）")
    value: int | float | None
    numerator: int | None
    denominator: int | None = Field(..., description="比例的分母；计数类指标为空")
    target: float | None
    comparison: str = Field(
        ..., description="below_last_year 低于去年同期、at_least 不低于、at_most 不高于、zero 零发生"
    )
    goal: str
    status: str = Field(..., description="达标、未达标、预警、无数据或无目标")
    last_year: int | float | None = Field(..., description="去年同期的值")
    drill: str | None = Field(
        ..., description="分子所含对象的列表接口，返回 {items, count}，count 等于 numerator"
    )
    page: str | None
    drill_kind: str


class MetricListOut(Schema):
    items: list[MetricOut]
    count: int


@router.get("/metrics", response=MetricListOut, summary="三降四升五不及国家指标（一个期间、一个单位）")
def metric_index(request, filters: Query[MetricFilters]):
    start, end = _period(filters)
    items = [m.as_dict() for m in selectors.metrics_for(request.auth, start, end, **_unit(filters))]
    return {"items": items, "count": len(items)}


class DrillFilters(MetricFilters):
    part: Literal["numerator", "denominator"] = Field(
        "numerator", description="numerator 分子、denominator 分母"
    )
    offset: Offset = 0
    limit: Limit = 50


class DrillItemOut(Schema):
    id: int
    label: str
    village: str
    state: str
    resolution: str
    url: str


class DrillListOut(Schema):
    kind: str = Field(
        ...,
        description="cases 事项、petitions 信访记录、persons 信访人、"
        "incidents 五不事件、key_persons 重点人员",
    )
    items: list[DrillItemOut]
    count: int


class MonthOut(Schema):
    month: int
    value: int | float | None
    last_year: int | float | None


class SeriesOut(Schema):
    key: str
    year: int
    items: list[MonthOut]
    count: int


class SeriesFilters(InSchema):
    year: int = Field(..., ge=2000, le=2100, description="年度")
    village: Id | None = None
    line: Id | None = None
    owner: Id | None = None
    town: Id | None = None


@router.get(
    "/metrics/{key}/items", response=DrillListOut, summary="指标背后的事项、人员或事件（count 等于分子）"
)
def metric_items(request, key: str, filters: Query[DrillFilters]):
    start, end = _period(filters)
    return selectors.drill_items(
        request.auth,
        key[:40],
        start,
        end,
        part=filters.part,
        limit=filters.limit,
        offset=filters.offset,
        **_unit(filters),
    )


@router.get("/metrics/{key}/monthly", response=SeriesOut, summary="指标的逐月走势及去年同月")
def metric_monthly(request, key: str, filters: Query[SeriesFilters]):
    rows = selectors.monthly_series(
        request.auth,
        key[:40],
        filters.year,
        village=filters.village,
        line=filters.line,
        owner=filters.owner,
        town=filters.town,
    )
    items = [{"month": m, "value": v, "last_year": ly} for m, v, ly in rows]
    return {"key": key, "year": filters.year, "items": items, "count": len(items)}
