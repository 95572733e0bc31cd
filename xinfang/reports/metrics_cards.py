"""The targets as the dashboard and the reports show them: the metrics engine's values (xinfang.metrics)
grouped as the plan groups them, each with its status colour and the page of the objects it counts."""

from dataclasses import dataclass

from xinfang.metrics.selectors import metrics_for, monthly_series

GROUP_ORDER = ["三降", "四升", "五不", "国家指标"]
STATUS_TONE = {"达标": "success", "未达标": "danger", "预警": "warning"}
# The monthly lines drawn beside last year's: the first target of 三降 and of 四升.
TREND_GROUPS = ("三降", "四升")


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
    unit: str


def fmt(value, unit: str) -> str:
    """A value as the page prints it: a rate (a fraction) as 95.2%, a count with its unit (3 件)."""
    if value is None:
        return "—"
    if unit == "%":
        return f"{value * 100:.1f}".rstrip("0").rstrip(".") + "%"
    if isinstance(value, float):
        value = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value} {unit}".strip()


def card(m) -> Card:
    return Card(
        key=m.key,
        name=m.name,
        group=m.group,
        area=m.area or "",
        value=fmt(m.value, m.unit),
        number=m.value,
        numerator=m.numerator,
        denominator=m.denominator,
        target=m.goal or "—",
        last_year=fmt(m.last_year, m.unit),
        status=m.status or "",
        tone=STATUS_TONE.get(m.status or "", "secondary"),
        page=m.page or "",
        drill=m.drill or "",
        unit=m.unit,
    )


def unit_kwargs(unit, town=None) -> dict:
    """The metrics engine takes ids; the county reads one town at a time."""
    kwargs = {
        "village": unit.village.pk if unit.village else None,
        "line": unit.line.pk if unit.line else None,
        "owner": unit.owner.pk if unit.owner else None,
    }
    if town is not None:
        kwargs["town"] = town
    return kwargs


def cards(user, period, unit, town=None) -> list[Card]:
    return [card(m) for m in metrics_for(user, period.start, period.end, **unit_kwargs(unit, town))]


def grouped(user, period, unit, town=None) -> list[tuple[str, list[Card]]]:
    groups: dict[str, list[Card]] = {}
    for c in cards(user, period, unit, town):
        groups.setdefault(c.group, []).append(c)
    order = {g: i for i, g in enumerate(GROUP_ORDER)}
    return sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))


def trends(user, year: int, unit, groups, town=None) -> list[dict]:
    """Monthly lines of the first target of 三降 and of 四升, this year against last year."""
    out = []
    for group, found in groups:
        if group not in TREND_GROUPS:
            continue
        first = next((c for c in found if c.page), None)
        if first is None:
            continue
        series = monthly_series(user, first.key, year, **unit_kwargs(unit, town))
        scale = 100 if first.unit == "%" else 1

        def shown(v, scale=scale):
            return None if v is None else round(v * scale, 1)

        out.append(
            {
                "key": first.key,
                "name": first.name,
                "unit": first.unit,
                "thisYear": [shown(v) for _, v, _ in series],
                "lastYear": [shown(v) for _, _, v in series],
            }
        )
    return out
