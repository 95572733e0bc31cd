"""Plain rules of 排查 and 研判: the town's settings, the units that report, the cadence windows."""

import datetime as dt
from dataclasses import dataclass, field

from xinfang.org.models import screening_default

from .choices import LEVEL_ORDER, AssessmentLevel, Cadence

# Cadence windows are counted from a Monday, so a 7-day 常态 window is a calendar week (Mon–Sun).
ANCHOR = dt.date(2000, 1, 3)


def config(town) -> dict:
    merged = dict(screening_default())
    merged.update(getattr(town, "screening", None) or {})
    return merged


def next_level(level: str) -> str | None:
    """The level an assessment escalates to (grid → village → line → town), None at the town."""
    i = LEVEL_ORDER.index(AssessmentLevel(level))
    return LEVEL_ORDER[i + 1] if i + 1 < len(LEVEL_ORDER) else None


def is_past_due(due: dt.date, submitted_at_day: dt.date | None, today: dt.date) -> bool:
    """A report is missing once its due day is over and nothing came by then (a late one counts as
    missing for that round: it was not there when the round closed)."""
    if today <= due:
        return False
    return submitted_at_day is None or submitted_at_day > due


def rolling_start(day: dt.date, every_days: int) -> dt.date:
    """The first day of the rolling round `day` falls in (rounds counted from a Monday)."""
    return day - dt.timedelta(days=(day - ANCHOR).days % every_days)


@dataclass
class Window:
    cadence: str
    start: dt.date
    end: dt.date
    days: set = field(default_factory=set)

    @property
    def label(self) -> str:
        if self.start == self.end:
            return f"{self.start:%Y-%m-%d}（{Cadence(self.cadence).label}）"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}（{Cadence(self.cadence).label}）"


def _in_period(day: dt.date, periods) -> bool:
    return any(start <= day <= end for start, end in periods)


def windows(settings: dict, start: dt.date, end: dt.date, periods=()) -> list[Window]:
    """The cadence windows that END within [start, end]: during a protection period (战时) one every
    `wartime_every_days` days, otherwise (常态) one every `normal_every_days` days; the days of a 常态
    window that fall in a period belong to the period's daily windows instead. `periods` are
    (start, end) pairs."""
    normal = settings["normal_every_days"]
    war = settings["wartime_every_days"]
    # Whole blocks around the range, so that a window crossing its edges is judged whole.
    first = start - dt.timedelta(days=max(normal, war))
    last = end + dt.timedelta(days=max(normal, war))
    found: dict[tuple, Window] = {}
    day = first
    while day <= last:
        offset = (day - ANCHOR).days
        if _in_period(day, periods):
            key = (Cadence.WARTIME, offset // war)
        else:
            key = (Cadence.NORMAL, offset // normal)
        w = found.get(key)
        if w is None:
            w = found[key] = Window(cadence=key[0], start=day, end=day)
        w.days.add(day)
        w.start, w.end = min(w.start, day), max(w.end, day)
        day += dt.timedelta(days=1)
    # A window at the computed edges may be cut; those never end within [start, end] anyway.
    return sorted((w for w in found.values() if start <= w.end <= end), key=lambda w: (w.end, w.cadence))
