"""How a unit's score is made, as plain functions: the period, each item's points from its facts,
the total, the ranking. No database here: the facts come in (facts.py), the numbers go out."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from xinfang.org.config_schema import SCORING_RATE_KEYS, ScoringIn

from .facts import Fact


class BadPeriod(ValueError):
    """str() is the Chinese message."""


PERIOD_HELP = "考核期：月如 2026-11，季度如 2026-Q4，年度如 2026"


@dataclass(frozen=True)
class Period:
    code: str
    label: str
    start: dt.date
    end: dt.date


def period_parse(text: str) -> Period:
    text = (text or "").strip().upper()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise BadPeriod(f"月份应为 1 至 12。{PERIOD_HELP}")
        _check_year(year)
        last = calendar.monthrange(year, month)[1]
        return Period(
            f"{year}-{month:02d}", f"{year}年{month}月", dt.date(year, month, 1), dt.date(year, month, last)
        )
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, quarter = int(m[1]), int(m[2])
        _check_year(year)
        first = dt.date(year, 3 * quarter - 2, 1)
        end_month = 3 * quarter
        end = dt.date(year, end_month, calendar.monthrange(year, end_month)[1])
        return Period(f"{year}-Q{quarter}", f"{year}年第{'一二三四'[quarter - 1]}季度", first, end)
    if m := re.fullmatch(r"(\d{4})", text):
        year = int(m[1])
        _check_year(year)
        return Period(str(year), f"{year}年", dt.date(year, 1, 1), dt.date(year, 12, 31))
    raise BadPeriod(f"考核期格式不正确。{PERIOD_HELP}")


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2099:
        raise BadPeriod(f"年份应在 2000 至 2099 之间。{PERIOD_HELP}")


def period_of(day: dt.date) -> Period:
    return period_parse(f"{day.year}-{day.month:02d}")


def rules_parse(stored: dict | None) -> ScoringIn:
    """The town's stored rules, or the defaults for a town loaded before scoring existed."""
    return ScoringIn.model_validate(stored) if stored else ScoringIn()


@dataclass(frozen=True)
class ItemScore:
    key: str
    name: str
    rate: bool
    # Deduct items: the number of facts. Rate items: the numerator (facts that count).
    count: int
    # Rate items: the denominator (all facts); deduct items: the same as count.
    total: int
    # What the item adds to the base (negative for a deduction), one decimal.
    points: float
    explain: str


@dataclass
class UnitScore:
    unit_kind: str
    unit_id: int
    unit_name: str
    items: list[ItemScore]
    total: float
    rank: int = 0
    by_key: dict = field(default_factory=dict)


def _n(x: float) -> str:
    return f"{x:g}"


def item_score(key: str, name: str, points: float, cap: float | None, facts: list[Fact]) -> ItemScore:
    """One item's points from its facts (the facts of one unit)."""
    if key in SCORING_RATE_KEYS:
        total = len(facts)
        good = sum(1 for f in facts if f.counts)
        if total == 0:
            return ItemScore(
                key, name, True, 0, 0, round(points, 1), f"本期无此类事项，得满分 {_n(points)} 分"
            )
        got = round(points * good / total, 1)
        return ItemScore(
            key,
            name,
            True,
            good,
            total,
            got,
            f"{good}/{total} = {good / total:.1%}，{_n(points)} 分 × {good / total:.1%} = {_n(got)} 分",
        )
    count = len(facts)
    raw = count * points
    deducted = min(raw, cap) if cap is not None else raw
    if count == 0:
        explain = "本期没有，不扣分"
    else:
        explain = f"{count} 件（次）× {_n(points)} 分 = 扣 {_n(round(raw, 1))} 分"
        if deducted < raw:
            explain += f"，单项最多扣 {_n(cap)} 分"
    return ItemScore(key, name, False, count, count, -round(deducted, 1), explain)


def total_of(base: float, items: list[ItemScore]) -> float:
    return round(base + sum(i.points for i in items), 1)


def rank(scores: list[UnitScore]) -> list[UnitScore]:
    """Highest total first; equal totals share a rank and the next rank skips (1, 1, 3)."""
    ordered = sorted(scores, key=lambda s: -s.total)
    for i, s in enumerate(ordered):
        s.rank = ordered[i - 1].rank if i and s.total == ordered[i - 1].total else i + 1
    return ordered
