"""Periods the dashboard and the reports are read for: a month, a quarter, a year or any range of days,
each with the same span a year before (同比). Plain functions, no database."""

import calendar
import datetime as dt
from dataclasses import dataclass

KINDS = [("month", "月"), ("quarter", "季度"), ("year", "年"), ("range", "自定义")]
# A range longer than this is refused: the dashboard reads at most a few years at once.
MAX_RANGE_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date  # inclusive
    label: str

    @property
    def quarter(self) -> int:
        return (self.start.month - 1) // 3 + 1

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def last_year(self) -> "Period":
        return Period(self.kind, _year_back(self.start), _year_back(self.end), f"去年同期（{self.label}）")

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def query(self) -> str:
        """The period as the dashboard's query string (links keep the reader's period)."""
        if self.kind == "month":
            return f"period=month&year={self.start.year}&month={self.start.month}"
        if self.kind == "quarter":
            return f"period=quarter&year={self.start.year}&quarter={(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"period=year&year={self.start.year}"
        return f"period=range&from={self.start:%Y-%m-%d}&to={self.end:%Y-%m-%d}"


def _year_back(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def month(year: int, m: int) -> Period:
    last = calendar.monthrange(year, m)[1]
    return Period("month", dt.date(year, m, 1), dt.date(year, m, last), f"{year}年{m}月")


def quarter(year: int, q: int) -> Period:
    first = 3 * (q - 1) + 1
    last = calendar.monthrange(year, first + 2)[1]
    names = "一二三四"
    return Period(
        "quarter", dt.date(year, first, 1), dt.date(year, first + 2, last), f"{year}年第{names[q - 1]}季度"
    )


def year(y: int) -> Period:
    return Period("year", dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y}年")


def span(start: dt.date, end: dt.date) -> Period:
    return Period("range", start, end, f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}")


class PeriodInvalid(ValueError):
    """A period that cannot be read; the message is Chinese, for the page or the API."""


def _int(params, name: str, low: int, high: int, default: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise PeriodInvalid(
            f"{ {'year': '年份', 'month': '月份', 'quarter': '季度'}[name] }应为 {low}–{high} 的整数"
        )
    return int(raw)


def _day(params, name: str) -> dt.date:
    raw = (params.get(name) or "").strip()
    label = "起始日期" if name == "from" else "截止日期"
    if not raw:
        raise PeriodInvalid(f"自定义期间请填写{label}")
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise PeriodInvalid(f"{label}应为 年-月-日，如 2026-05-01") from None
    if not 2000 <= day.year <= 2100:
        raise PeriodInvalid(f"{label}的年份应在 2000–2100 之间")
    return day


def period_parse(params, today: dt.date) -> Period:
    """The period a query asks for (?period=month&year=2026&month=5, quarter, year, or
    range&from=…&to=…); the current month when nothing is given. Raises PeriodInvalid."""
    kind = (params.get("period") or "month").strip()
    if kind == "month":
        return month(_int(params, "year", 2000, 2100, today.year), _int(params, "month", 1, 12, today.month))
    if kind == "quarter":
        return quarter(
            _int(params, "year", 2000, 2100, today.year),
            _int(params, "quarter", 1, 4, (today.month - 1) // 3 + 1),
        )
    if kind == "year":
        return year(_int(params, "year", 2000, 2100, today.year))
    if kind == "range":
        start, end = _day(params, "from"), _day(params, "to")
        if end < start:
            raise PeriodInvalid("截止日期不能早于起始日期")
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise PeriodInvalid("自定义期间最长三年")
        return span(start, end)
    raise PeriodInvalid("期间应为 月、季度、年 或 自定义（month、quarter、year、range）")
