"""How often a key person must be met: the rule of their risk level (town configuration), raised to
the period's contacts a day (一日三见面) while a protection period they are in is in force."""

import datetime as dt
from dataclasses import dataclass

from xinfang.org.models import stability_default


@dataclass(frozen=True)
class Need:
    contacts: int  # at least this many contacts…
    days: int  # …within this many days, ending today
    period: str = ""  # the protection period that raised it, if any

    @property
    def text(self) -> str:
        if self.days == 1:
            return f"每日 {self.contacts} 次" + (f"（{self.period}）" if self.period else "")
        return f"每 {self.days} 日 {self.contacts} 次"


def stability_config(town) -> dict:
    config = dict(stability_default())
    config.update(town.stability or {})
    return config


def levels(town) -> list[dict]:
    return stability_config(town)["risk_levels"]


def level_rule(town, code: str) -> dict | None:
    return next((lv for lv in levels(town) if lv["code"] == code), None)


def need(key_person, day: dt.date, periods=()) -> Need:
    """What the key person needs on `day`; `periods` are the protection periods the key person is in."""
    rule = level_rule(key_person.town, key_person.level) or {"contacts": 1, "days": 1}
    best = Need(contacts=rule["contacts"], days=rule["days"])
    for period in periods:
        if period.start <= day <= period.end:
            per_day = period.contacts_per_day
            if best.days > 1 or per_day > best.contacts:
                best = Need(contacts=per_day, days=1, period=period.name)
    return best


def met(need: Need, counts_by_day: dict, day: dt.date) -> int:
    """Contacts within the need's window, from {day: count}."""
    return sum(counts_by_day.get(day - dt.timedelta(days=i), 0) for i in range(need.days))
