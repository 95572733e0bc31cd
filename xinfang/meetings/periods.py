"""Calendar periods of a cadence (month, quarter): plain functions, no queries."""

import datetime as dt

from xinfang.org.choices import Period


def period_of(day: dt.date, period: str) -> tuple[dt.date, dt.date]:
    """The month or quarter a day falls in: (first day, last day)."""
    if period == Period.QUARTER:
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = dt.date(day.year, first_month, 1)
        months = 3
    else:
        start = day.replace(day=1)
        months = 1
    year, month = divmod(start.month - 1 + months, 12)
    end = dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)
    return start, end


def periods_between(start: dt.date, end: dt.date, period: str) -> list[tuple[dt.date, dt.date]]:
    """Every period that overlaps [start, end], in order."""
    found = []
    day = start
    while day <= end:
        first, last = period_of(day, period)
        found.append((first, last))
        day = last + dt.timedelta(days=1)
    return found


def period_label(start: dt.date, period: str) -> str:
    if period == Period.QUARTER:
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    return f"{start.year}年{start.month}月"
