"""Working days on China's official calendar, and the due dates of the statutory limits.

Rules used here:
- a working day is Monday to Friday, unless it is a public holiday; a weekend day is a working day
  when it is a make-up day (调休上班);
- a limit in calendar days runs from the day after the start; when its last day is a rest day, the
  limit ends on the next working day (民法典 第二百零三条);
- a limit in working days counts working days only, from the day after the start.
"""

import datetime as dt
import time

import chinese_calendar
from django.db import transaction

from .models import CalendarDay, DaySource

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


# A few hundred rows, read at most once a minute per process: an edit made in one server process
# reaches the others within that minute, and the editing process at once (calendar_changed).
CACHE_SECONDS = 60
_cache: dict = {"at": 0.0, "days": None}


def _exceptions() -> dict[dt.date, bool]:
    if _cache["days"] is None or time.monotonic() - _cache["at"] > CACHE_SECONDS:
        _cache["days"] = dict(CalendarDay.objects.values_list("date", "is_workday"))
        _cache["at"] = time.monotonic()
    return _cache["days"]


def calendar_changed() -> None:
    """Forget the cached days after the calendar was edited."""
    _cache["days"] = None


def is_workday(day: dt.date) -> bool:
    exception = _exceptions().get(day)
    if exception is not None:
        return exception
    return day.weekday() < 5


def known_years() -> list[int]:
    return sorted({d.year for d in _exceptions()})


def add_working_days(start: dt.date, days: int) -> dt.date:
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def add_calendar_days(start: dt.date, days: int) -> dt.date:
    end = start + dt.timedelta(days=days)
    while not is_workday(end):
        end += dt.timedelta(days=1)
    return end


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for i in range(1, (end - start).days + 1) if is_workday(start + dt.timedelta(days=i)))


@transaction.atomic
def calendar_seed() -> dict[str, int]:
    """Loads every holiday and make-up day the library knows; hand-entered days are kept as they are."""
    manual = set(CalendarDay.objects.filter(source=DaySource.MANUAL).values_list("date", flat=True))
    wanted: dict[dt.date, tuple[bool, str]] = {}
    for day, name in chinese_calendar.holidays.items():
        if day.weekday() < 5:  # a holiday on a weekend changes nothing
            wanted[day] = (False, HOLIDAY_NAMES.get(name, name))
    for day, name in chinese_calendar.workdays.items():
        wanted[day] = (True, f"{HOLIDAY_NAMES.get(name, name)}调休上班")
    existing = {d.date: d for d in CalendarDay.objects.filter(source=DaySource.LIBRARY)}
    created = updated = 0
    for day, (workday, name) in wanted.items():
        if day in manual:
            continue
        row = existing.get(day)
        if row is None:
            CalendarDay.objects.create(date=day, is_workday=workday, name=name, source=DaySource.LIBRARY)
            created += 1
        elif (row.is_workday, row.name) != (workday, name):
            row.is_workday, row.name = workday, name
            row.save(update_fields=["is_workday", "name"])
            updated += 1
    transaction.on_commit(calendar_changed)
    return {"created": created, "updated": updated, "manual_kept": len(manual)}
