"""The targets as the dashboard and the reports show them: the metrics engine's values (xinfang.metrics)
grouped as the plan groups them, each with its status colour and the page of the objects it counts."""

from dataclasses import dataclass

try:
    from xinfang.metrics.selectors import metrics_for, monthly_series
except ImportError:  # TEMPORARY until the metrics branch is merged
    metrics_for = monthly_series = None

GROUP_ORDER = ["三降", "四升", "五不", "国家指标"]
STATUS_TONE = {"达标": "success", "未达标": "danger", "预警": "warning"}
# The monthly lines drawn beside last year's: the first metric of each of 三降 and 四升 that has a series.
TREND_KEYS_MAX = 2


@dataclass
class Card:
    key: str
    name: str
    group: str
    area: str
    value: str
    number: float | int | None
    numerator: int | None
    denominator: int | None
    target: str
    last_year: str
    status: str
    tone: str
    page: str
    drill: str
    comparison: str


def _fmt(value, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:.1f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    return f"{text}{unit or ''}"


def cards(user, period, unit) -> list[Card]:
    out = []
    if metrics_for is None:
        return out
    for m in metrics_for(user, period.start, period.end, **unit.metric_kwargs):
        u = getattr(m, "unit", "") or ""
        out.append(
            Card(
                key=m.key,
                name=m.name,
                group=m.group,
                area=getattr(m, "area", "") or "",
                value=_fmt(m.value, u),
                number=m.value,
                numerator=m.numerator,
                denominator=m.denominator,
                target=m.target if isinstance(m.target, str) else _fmt(m.target, u),
                last_year=_fmt(m.last_year, u),
                status=m.status or "",
                tone=STATUS_TONE.get(m.status or "", "secondary"),
                page=getattr(m, "page", "") or "",
                drill=getattr(m, "drill", "") or "",
                comparison=getattr(m, "comparison", "") or "",
            )
        )
    return out


def grouped(user, period, unit) -> list[tuple[str, list[Card]]]:
    found = cards(user, period, unit)
    groups: dict[str, list[Card]] = {}
    for c in found:
        groups.setdefault(c.group, []).append(c)
    order = {g: i for i, g in enumerate(GROUP_ORDER)}
    return sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))


def _numbers(series) -> list:
    out = []
    for point in series:
        value = getattr(point, "value", point)
        out.append(value if isinstance(value, int | float) or value is None else None)
    return out


def trends(user, year: int, unit, keys: list[str] | None = None) -> list[dict]:
    """Monthly lines of a few targets, this year against last year."""
    if keys is None:
        keys = trend_keys(user)
    out = []
    for key, name, unit_label in keys:
        this_year = _numbers(monthly_series(user, key, year, **unit.metric_kwargs))
        last_year = _numbers(monthly_series(user, key, year - 1, **unit.metric_kwargs))
        out.append({"key": key, "name": name, "unit": unit_label, "thisYear": this_year, "lastYear": last_year})
    return out


def trend_keys(user) -> list[tuple[str, str, str]]:
    return []
