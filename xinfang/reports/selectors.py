"""What the dashboard, the office's desk and the reports read. Every count here is the count of a list a
reader can open: a case count is `cases.selectors.ledger` with the same filters the link carries, so
that the number and the ledger it opens come from one definition."""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.alerts import selectors as alerts
from xinfang.cases.models import Case
from xinfang.cases.selectors import day_start, ledger
from xinfang.core.scoping import scope
from xinfang.org.models import Category, Department, Person, Town, Village
from xinfang.screening.selectors import missing_reports
from xinfang.stability.choices import IncidentKind
from xinfang.stability.models import Incident

from .periods import Period

RANKING_SIZE = 10


@dataclass
class Count_:
    """One number on a page and the list behind it."""

    key: str
    label: str
    count: int
    url: str
    tone: str = ""  # "danger", "warning" or "" (Bootstrap colours)
    note: str = ""


def ledger_url(filters: dict) -> str:
    """The ledger page with these filters (the names of `CaseFilterForm`, dates as ISO)."""
    query = {
        k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in filters.items() if v not in (None, "")
    }
    return f"{reverse('cases:list')}?{urlencode(query)}" if query else reverse("cases:list")


# The ledger's filter names in a link (the form's fields) → the names `selectors.ledger` takes.
_LEDGER_KEYS = {
    "town": "town_id",
    "village": "village_id",
    "category": "category_id",
    "owner": "owner_id",
    "department": "department_id",
}


def ledger_count(user, link_filters: dict, today: dt.date) -> int:
    filters = {_LEDGER_KEYS.get(k, k): v for k, v in link_filters.items()}
    filters.setdefault("view", "all")
    return ledger(user=user, filters=filters, today=today).count()


def _case_item(user, key, label, link_filters, today, tone="", note="") -> Count_:
    return Count_(key, label, ledger_count(user, link_filters, today), ledger_url(link_filters), tone, note)


# --- the office's desk ----------------------------------------------------------------------------


def desk(*, user, today: dt.date | None = None) -> list[Count_]:
    """The petition office's working desk: what needs doing today, each number opening its list (the
    notices' two numbers are the notices app's own card, notices/_home_count.html). The case counts are
    kept while nothing happens (see CACHE_SECONDS); the unread alerts are always read fresh."""
    today = today or timezone.localdate()
    key = f"reports:desk:v1:{user.pk}:{user.role}:{today}:{'.'.join(map(str, _data_version()))}"
    items = cache.get(key)
    if items is None:
        items = _desk_counted(user=user, today=today)
        cache.set(key, items, CACHE_SECONDS)
    unread = alerts.unread_count(user=user)
    return [*items, Count_("alerts_unread", "未读提醒与预警", unread, f"{reverse('alerts:inbox')}?unread=1")]


def _desk_counted(*, user, today: dt.date) -> list[Count_]:
    """The desk's case counts, each the count of the ledger its link opens."""
    week = today + dt.timedelta(days=7)
    items = [
        _case_item(user, "intake", "今日新收信访事项", {"received_from": today, "received_to": today}, today),
        _case_item(user, "overdue", "已超期在办事项", {"overdue": 1}, today, tone="danger"),
        _case_item(
            user,
            "due_week",
            "7 日内到期（含已超期）",
            {"due_by": week},
            today,
            tone="warning",
            note=f"当前期限不晚于 {week:%m月%d日}",
        ),
        _case_item(
            user, "submitted", "报送化解·待对账销号", {"resolution": "submitted"}, today, tone="warning"
        ),
        _case_item(user, "five_haves", "突出问题“五有”未齐全", {"flag": "five_haves"}, today),
    ]
    # Screening rounds due within the last 30 days: the units that missed the due day (the rounds
    # list shows the same number per round).
    missing = missing_reports(user.town, today - dt.timedelta(days=30), today, today=today)
    items.append(
        Count_(
            "missing_reports",
            "排查漏报（近 30 日到期的轮次）",
            len(missing),
            reverse("screening:rounds"),
            tone="danger",
            note="、".join(dict.fromkeys(r["unit"] for r in missing[:5])),
        )
    )
    for item in items:
        if not item.count and item.tone:
            item.tone = ""
    return items


def desk_latest(*, user, today: dt.date | None = None, size: int = 8) -> list[Case]:
    """Today's intake, newest first (the desk shows the first few)."""
    today = today or timezone.localdate()
    return list(
        ledger(
            user=user,
            filters={"received_from": today, "received_to": today, "sort": "-received"},
            today=today,
        ).select_related("village", "category")[:size]
    )


# --- the dashboard --------------------------------------------------------------------------------


@dataclass
class Unit:
    """The unit the reader narrowed the dashboard to (none: their whole scope)."""

    village: Village | None = None
    line: Department | None = None
    owner: Person | None = None
    town: Town | None = None  # the county's choice of one town

    @property
    def filters(self) -> dict:
        return {
            "town": self.town.pk if self.town else None,
            "village": self.village.pk if self.village else None,
            "department": self.line.pk if self.line else None,
            "owner": self.owner.pk if self.owner else None,
        }

    @property
    def label(self) -> str:
        parts = [x.name for x in (self.town, self.village, self.line, self.owner) if x is not None]
        return "、".join(parts)


def unit_parse(user, params) -> Unit:
    """The village, line and owner a query names, each looked up in the reader's scope (404 outside)."""
    unit = Unit()
    for name, model, attr, extra in (
        ("town", Town, "town", {}),
        ("village", Village, "village", {}),
        ("line", Department, "line", {}),
        ("owner", Person, "owner", {"is_leader": True}),
    ):
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or len(raw) > 12:
            raise Http404("单位不存在或无权查看")
        found = scope(model.objects.filter(pk=int(raw), **extra), user).first()
        if found is None:
            raise Http404("单位不存在或无权查看")
        setattr(unit, attr, found)
    # A unit lies in one town: the county reading a village, line or owner reads that town.
    towns = {x.town_id for x in (unit.village, unit.line, unit.owner) if x is not None}
    if unit.town is not None:
        towns.add(unit.town.pk)
    if len(towns) > 1:
        raise Http404("所选单位不在同一个镇")
    if towns and unit.town is None and user.role == Role.COUNTY:
        unit.town = Town.objects.get(pk=towns.pop())
    return unit


def unit_choices(user) -> dict:
    return {
        "towns": list(scope(Town.objects.all(), user).order_by("name")) if user.role == Role.COUNTY else [],
        "villages": list(scope(Village.objects.all(), user).order_by("town_id", "order", "id")),
        "lines": list(scope(Department.objects.all(), user).order_by("town_id", "order", "id")),
        "owners": list(scope(Person.objects.filter(is_leader=True), user).order_by("town_id", "id")),
    }


def _unit_cases(user, unit: Unit):
    cases = scope(Case.objects.all(), user)
    if unit.town:
        cases = cases.filter(town=unit.town)
    if unit.village:
        cases = cases.filter(village=unit.village)
    if unit.line:
        cases = cases.filter(lead_department=unit.line)
    if unit.owner:
        cases = cases.filter(lead_leader=unit.owner)
    return cases


def _in(period: Period) -> Q:
    return Q(
        received_at__gte=day_start(period.start), received_at__lt=day_start(period.end + dt.timedelta(days=1))
    )


def _period_filters(period: Period, unit: Unit) -> dict:
    return {**unit.filters, "received_from": period.start, "received_to": period.end}


def monthly_intake(user, unit: Unit, year: int) -> dict:
    """New cases in each month of `year` and of the year before, from the metrics engine's daily
    counts (its fact "new": a case on the day its first petition came), summed over the towns for the
    county."""
    from xinfang.metrics import rules as metric_rules
    from xinfang.metrics.selectors import reach_for, sums

    kwargs = {
        "village": unit.village.pk if unit.village else None,
        "line": unit.line.pk if unit.line else None,
        "owner": unit.owner.pk if unit.owner else None,
    }
    if user.role == Role.COUNTY:
        towns = (
            [unit.town.pk]
            if unit.town
            else list(scope(Town.objects.all(), user).values_list("pk", flat=True))
        )
    else:
        towns = [None]
    months = [(y, m) for y in (year - 1, year) for m in range(1, 13)]
    spans = [
        (dt.date(y, m, 1), dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)) for y, m in months
    ]
    per_month: dict[tuple[int, int], int] = {}
    for town in towns:
        reach = reach_for(user, town=town, **kwargs)
        for month, counted in zip(months, sums(reach, {metric_rules.NEW}, spans), strict=True):
            per_month[month] = per_month.get(month, 0) + counted[metric_rules.NEW]
    return {
        "months": [f"{m}月" for m in range(1, 13)],
        "this_year": [per_month.get((year, m), 0) for m in range(1, 13)],
        "last_year": [per_month.get((year - 1, m), 0) for m in range(1, 13)],
        "year": year,
    }


def _grouped(cases, period: Period, field_name: str) -> dict:
    rows = cases.filter(_in(period)).order_by().values(field_name).annotate(n=Count("pk"))
    return {r[field_name]: r["n"] for r in rows}


@dataclass
class Ranked:
    label: str
    count: int
    url: str
    last_year: int = 0


def categories(user, period: Period, unit: Unit, today: dt.date) -> list[Ranked]:
    cases = _unit_cases(user, unit)
    now, before = _grouped(cases, period, "category_id"), _grouped(cases, period.last_year(), "category_id")
    names = dict(scope(Category.objects.all(), user).values_list("pk", "name"))
    out = []
    # Only what the ledger can open: the named categories in the reader's scope with cases this period.
    for pk in sorted((k for k in now if k in names), key=lambda k: (-now[k], names[k])):
        filters = {**_period_filters(period, unit), "category": pk}
        out.append(Ranked(names[pk], now[pk], ledger_url(filters), before.get(pk, 0)))
    return out


def ranking(user, period: Period, unit: Unit, by: str) -> list[Ranked]:
    """Villages (by="village") or lines (by="department") by cases received in the period, most first."""
    field_name = {"village": "village_id", "department": "lead_department_id"}[by]
    model = {"village": Village, "department": Department}[by]
    counts = _grouped(_unit_cases(user, unit), period, field_name)
    names = dict(scope(model.objects.filter(pk__in=[k for k in counts if k]), user).values_list("pk", "name"))
    rows = sorted(((pk, n) for pk, n in counts.items() if pk in names), key=lambda r: (-r[1], names[r[0]]))
    return [
        Ranked(names[pk], n, ledger_url({**_period_filters(period, unit), by: pk}))
        for pk, n in rows[:RANKING_SIZE]
    ]


def gaps(user, unit: Unit, today: dt.date) -> list[Count_]:
    """The overdue and the five-haves gaps, now (they have no period: they are what is wrong today)."""
    base = unit.filters
    return [
        _case_item(user, "overdue", "在办已超期", {**base, "overdue": 1}, today, tone="danger"),
        _case_item(
            user, "due_week", "7 日内到期（含超期）", {**base, "due_by": today + dt.timedelta(days=7)}, today
        ),
        _case_item(
            user, "five_haves", "突出问题“五有”未齐全", {**base, "flag": "five_haves"}, today, tone="danger"
        ),
        _case_item(user, "backlog", "积案", {**base, "flag": "backlog"}, today),
        _case_item(user, "submitted", "报送化解·待销号", {**base, "resolution": "submitted"}, today),
    ]


def incidents(user, period: Period, unit: Unit) -> list[Count_]:
    """五不 incidents of the period by kind; a line or an owner has none of its own (they are the town's)."""
    found = scope(Incident.objects.all(), user).filter(
        occurred_at__gte=day_start(period.start), occurred_at__lt=day_start(period.end + dt.timedelta(days=1))
    )
    if unit.town:
        found = found.filter(town=unit.town)
    if unit.village:
        found = found.filter(village=unit.village)
    counts = dict(found.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    base = reverse("stability:incidents")
    town = {"town": unit.town.pk} if unit.town else {}
    if unit.village:
        town["village"] = unit.village.pk
    return [
        Count_(
            kind,
            label,
            counts.get(kind, 0),
            f"{base}?{urlencode({'kind': kind, 'from': period.start, 'to': period.end, **town})}",
            tone="danger" if counts.get(kind) else "",
        )
        for kind, label in IncidentKind.choices
    ]


def town_sides(user, period: Period, today: dt.date) -> list[dict]:
    """For the county: each town's numbers side by side, each opening that town's ledger."""
    towns = list(scope(Town.objects.all(), user).order_by("name"))
    cases = scope(Case.objects.all(), user)
    received = _grouped(cases, period, "town_id")
    out = []
    for t in towns:
        out.append(
            {
                "town": t,
                "received": Count_(
                    "received",
                    "期间新收",
                    received.get(t.pk, 0),
                    ledger_url({**_period_filters(period, Unit()), "town": t.pk}),
                ),
                "cells": [
                    _case_item(
                        user, "overdue", "在办已超期", {"town": t.pk, "overdue": 1}, today, tone="danger"
                    ),
                    _case_item(
                        user, "five_haves", "“五有”未齐全", {"town": t.pk, "flag": "five_haves"}, today
                    ),
                    _case_item(user, "prominent", "突出问题台账", {"town": t.pk, "view": "prominent"}, today),
                ],
            }
        )
    return out


@dataclass
class Dashboard:
    period: Period
    unit: Unit
    today: dt.date
    received: Count_
    received_last_year: Count_ | None = None
    groups: list = field(default_factory=list)  # [(group name, [metric card dict])]
    trend: dict = field(default_factory=dict)
    metric_trends: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    villages: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    gaps: list = field(default_factory=list)
    incidents: list = field(default_factory=list)
    alerts: list = field(default_factory=list)
    alerts_unread: int = 0
    towns: list = field(default_factory=list)
    town_metrics: dict = field(default_factory=dict)
    counted_at: dt.datetime | None = None
    charts: dict = field(default_factory=dict)


def town_metrics(user, period: Period, unit: Unit) -> dict:
    """For the county: every town's targets side by side (rows: the targets; columns: the towns)."""
    from . import metrics_cards

    towns = list(scope(Town.objects.all(), user).order_by("name"))
    columns = [metrics_cards.cards(user, period, unit, town=t.pk) for t in towns]
    rows = []
    for i, first in enumerate(columns[0] if columns else []):
        rows.append(
            {
                "name": first.name,
                "group": first.group,
                "cells": [col[i] if i < len(col) else None for col in columns],
            }
        )
    return {"towns": towns, "rows": rows}


# The dashboard's numbers are kept for a minute per reader, period and unit, and only while nothing
# has happened: any case event, new case or incident changes the version and the numbers are counted
# again. The alerts are the reader's own and always read fresh.
CACHE_SECONDS = 60


def _data_version() -> tuple:
    """Cheap (a few index look-ups): the last case event, case and incident."""
    from xinfang.cases.models import CaseEvent

    last = [
        m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for m in (CaseEvent, Case, Incident)
    ]
    return tuple(last)


def _cache_key(user, period: Period, unit: Unit, today: dt.date) -> str:
    unit_key = ".".join(str(v or "") for v in unit.filters.values())
    version = ".".join(map(str, _data_version()))
    reader = f"{user.pk}:{user.role}"
    span = f"{period.kind}:{period.start}:{period.end}"
    return f"reports:dashboard:v1:{reader}:{span}:{unit_key}:{today}:{version}"


def dashboard(*, user, period: Period, unit: Unit, today: dt.date | None = None) -> Dashboard:
    """Everything the dashboard shows (the counts from the cache while nothing has changed)."""
    today = today or timezone.localdate()
    key = _cache_key(user, period, unit, today)
    board = cache.get(key)
    if board is None:
        board = _dashboard_counted(user=user, period=period, unit=unit, today=today)
        cache.set(key, board, CACHE_SECONDS)
    board.alerts = list(alerts.alert_list(user=user, unread_only=True)[:5])
    board.alerts_unread = alerts.unread_count(user=user)
    return board


def _dashboard_counted(*, user, period: Period, unit: Unit, today: dt.date) -> Dashboard:
    """The counts, read in a few queries; the charts' data as plain JSON."""
    from . import metrics_cards

    received = _case_item(user, "received", "期间新收信访事项", _period_filters(period, unit), today)
    last = period.last_year()
    board = Dashboard(period=period, unit=unit, today=today, received=received)
    board.counted_at = timezone.localtime()
    board.received_last_year = _case_item(
        user, "received_last_year", "去年同期新收", _period_filters(last, unit), today
    )
    county = user.role == Role.COUNTY
    town = unit.town.pk if unit.town else None
    if not county or town:
        board.groups = metrics_cards.grouped(user, period, unit, town)
        board.metric_trends = metrics_cards.trends(user, period.end.year, unit, board.groups, town)
    board.trend = monthly_intake(user, unit, period.end.year)
    board.categories = categories(user, period, unit, today)
    board.villages = [] if unit.village else ranking(user, period, unit, "village")
    board.lines = [] if unit.line else ranking(user, period, unit, "department")
    board.gaps = gaps(user, unit, today)
    # Incidents belong to a village or the town, not to a line or an owner (as in the metrics engine).
    board.incidents = [] if unit.line or unit.owner else incidents(user, period, unit)
    if county and not unit.village and not unit.line and not unit.owner:
        board.towns = town_sides(user, period, today)
        board.town_metrics = town_metrics(user, period, unit)
    board.charts = {
        "trend": board.trend,
        "metricTrends": board.metric_trends,
        "categories": [
            {"name": c.label, "value": c.count, "lastYear": c.last_year, "url": c.url}
            for c in board.categories
        ],
        "villages": [{"name": r.label, "value": r.count, "url": r.url} for r in board.villages],
        "lines": [{"name": r.label, "value": r.count, "url": r.url} for r in board.lines],
    }
    return board
