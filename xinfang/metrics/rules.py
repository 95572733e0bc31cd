"""What each metric counts, as plain functions: the facts a case or an incident yields (for the count
tables), the same facts as queries (for the drill-down lists), the metrics built from them, and how a
value compares with its target. docs/metrics.md says the same in words; the tests hold them together.

A fact is (key, day). Every fact is attributed to the day it happened and to the case's *present*
unit: its village (属地), its line (牵头部门) and its owner (包案领导). A reassignment moves all the
case's facts to the new unit.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from xinfang.cases.choices import (
    CaseEventType,
    CaseState,
    Channel,
    Rating,
    Resolution,
)
from xinfang.cases.rules import HANDLING_STATES
from xinfang.org.models import metrics_default
from xinfang.stability.choices import IncidentKind

DAY = dt.timedelta(days=1)
# "From the beginning": the cumulative base of 化解稳定率.
BEGINNING = dt.date(2000, 1, 1)

# --- the facts of a case --------------------------------------------------------------------------

# Petitions (one fact per petition, on the day it was received).
PET, PET_REP, PET_ONLINE, PET_ONLINE_REP = "pet", "pet_rep", "pet_online", "pet_online_rep"
# Cases (on the day the first petition was received).
NEW, NEW_REP = "new", "new_rep"
# The prominent ledger (on `ledger_from`).
PROM, PROM_OK = "prom", "prom_ok"
# Procedural conclusion (办结: the written opinion, or the matter sent to the courts).
CONCL, CONCL_ONCE = "concl", "concl_once"
# Acceptance decided (受理或不予受理), or left undecided past the notice limit.
INTAKE, INTAKE_OK = "intake", "intake_ok"
# Opinion given, or not given by the handling limit.
HANDLE, HANDLE_OK = "handle", "handle_ok"
# Ratings (on the day rated) and ratings overdue (the day after the rating window closed).
RATED, RATE_OVER = "rated", "rate_over"
OFF_SAT, OFF_BASIC, UNIT_SAT, UNIT_BASIC = "off_sat", "off_basic", "unit_sat", "unit_basic"
BOTH_SAT, BOTH_BASIC = "both_sat", "both_basic"

CASE_KEYS = (
    PET, PET_REP, PET_ONLINE, PET_ONLINE_REP, NEW, NEW_REP, PROM, PROM_OK, CONCL, CONCL_ONCE,
    INTAKE, INTAKE_OK, HANDLE, HANDLE_OK, RATED, RATE_OVER, OFF_SAT, OFF_BASIC, UNIT_SAT, UNIT_BASIC,
    BOTH_SAT, BOTH_BASIC,
)  # fmt: skip
# Keys whose day is "the day after a limit passed": counted only once that day has come (≤ today).
INCIDENT_PREFIX = "inc_"
SETTLED = frozenset({Resolution.RESOLVED, Resolution.STABILIZED})
OK_RATINGS = frozenset({Rating.SATISFIED, Rating.BASIC})


@cache
def _zone():
    return timezone.get_default_timezone()


def local_day(moment: dt.datetime) -> dt.date:
    """The day in Beijing time (the town's zone), without the per-call lookups of localtime(): a
    rebuild converts some 150,000 of them."""
    return moment.astimezone(_zone()).date()


def concluded_on(c) -> dt.date | None:
    """办结: the day of the written opinion; a matter sent to the courts without one, that day."""
    if c.replied_on is not None:
        return c.replied_on
    if c.state == CaseState.LEGAL and c.legal_on is not None:
        return c.legal_on
    return None


def decided_on(c, not_accepted_on: dt.date | None) -> dt.date | None:
    if c.accepted_on is not None:
        return c.accepted_on
    if c.state == CaseState.NOT_ACCEPTED:
        return not_accepted_on
    return None


def case_facts(c, petitions, not_accepted_on: dt.date | None = None) -> list[tuple[str, dt.date]]:
    """The facts of one case. `c` has the case's fields (a Case or a row of them); `petitions` are
    (day, is_repeat, channel) of its petitions; `not_accepted_on` the day of its 不予受理, if any."""
    facts = []
    for day, repeat, channel in petitions:
        facts.append((PET, day))
        if repeat:
            facts.append((PET_REP, day))
        if channel == Channel.ONLINE:
            facts.append((PET_ONLINE, day))
            if repeat:
                facts.append((PET_ONLINE_REP, day))
    received = local_day(c.received_at)
    facts.append((NEW, received))
    if c.repeat_count > 0:
        facts.append((NEW_REP, received))
    if c.ledger_from is not None:
        facts.append((PROM, c.ledger_from))
        if c.resolution in SETTLED:
            facts.append((PROM_OK, c.ledger_from))
    concluded = concluded_on(c)
    if concluded is not None:
        facts.append((CONCL, concluded))
        if c.resolution == Resolution.RESOLVED and c.repeat_count == 0:
            facts.append((CONCL_ONCE, concluded))
    if c.notify_due is not None:
        decided = decided_on(c, not_accepted_on)
        if decided is not None:
            facts.append((INTAKE, decided))
            if decided <= c.notify_due:
                facts.append((INTAKE_OK, decided))
        elif c.state == CaseState.REGISTERED:
            facts.append((INTAKE, c.notify_due + DAY))
    if c.handling_due is not None:
        if c.replied_on is not None:
            facts.append((HANDLE, c.replied_on))
            if c.replied_on <= c.handling_due:
                facts.append((HANDLE_OK, c.replied_on))
        elif c.state in HANDLING_STATES:
            facts.append((HANDLE, c.handling_due + DAY))
    if c.rated_on is not None:
        day = c.rated_on
        facts.append((RATED, day))
        for rating, sat, basic in (
            (c.office_rating, OFF_SAT, OFF_BASIC),
            (c.unit_rating, UNIT_SAT, UNIT_BASIC),
        ):
            if rating == Rating.SATISFIED:
                facts.append((sat, day))
            elif rating == Rating.BASIC:
                facts.append((basic, day))
        if c.office_rating == c.unit_rating == Rating.SATISFIED:
            facts.append((BOTH_SAT, day))
        elif c.office_rating in OK_RATINGS and c.unit_rating in OK_RATINGS:
            facts.append((BOTH_BASIC, day))
    elif c.rating_due is not None:
        facts.append((RATE_OVER, c.rating_due + DAY))
    return facts


def incident_key(kind: str) -> str:
    return INCIDENT_PREFIX + kind


# --- the same facts as queries --------------------------------------------------------------------


def moment(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day`, Beijing time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _days(field: str, start: dt.date, end: dt.date) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def _moments(field: str, start: dt.date, end: dt.date) -> Q:
    return Q(**{f"{field}__gte": moment(start), f"{field}__lt": moment(end + DAY)})


def petition_q(key: str, start: dt.date, end: dt.date) -> Q:
    """Petitions of a petition fact received in [start, end]."""
    q = _moments("received_at", start, end)
    if key in (PET_REP, PET_ONLINE_REP):
        q &= Q(is_repeat=True)
    if key in (PET_ONLINE, PET_ONLINE_REP):
        q &= Q(channel=Channel.ONLINE)
    return q


PETITION_KEYS = frozenset({PET, PET_REP, PET_ONLINE, PET_ONLINE_REP})


def _not_accepted_in(start: dt.date, end: dt.date, **extra) -> Q:
    from xinfang.cases.models import CaseEvent

    events = CaseEvent.objects.filter(
        case=OuterRef("pk"), kind=CaseEventType.NOT_ACCEPTED, at__gte=moment(start), at__lt=moment(end + DAY)
    )
    if extra:
        events = events.filter(**extra)
    return Q(state=CaseState.NOT_ACCEPTED, notify_due__isnull=False) & Q(Exists(events))


def case_q(key: str, start: dt.date, end: dt.date) -> Q:
    """Cases with a case fact `key` in [start, end]: exactly those `case_facts` gives it."""
    if key == NEW:
        return _moments("received_at", start, end)
    if key == NEW_REP:
        return _moments("received_at", start, end) & Q(repeat_count__gt=0)
    if key == PROM:
        return _days("ledger_from", start, end)
    if key == PROM_OK:
        return _days("ledger_from", start, end) & Q(resolution__in=SETTLED)
    concluded = _days("replied_on", start, end) | (
        Q(replied_on__isnull=True, state=CaseState.LEGAL) & _days("legal_on", start, end)
    )
    if key == CONCL:
        return concluded
    if key == CONCL_ONCE:
        return concluded & Q(resolution=Resolution.RESOLVED, repeat_count=0)
    if key == INTAKE:
        return (
            (Q(notify_due__isnull=False) & _days("accepted_on", start, end))
            | _not_accepted_in(start, end)
            | Q(accepted_on__isnull=True, state=CaseState.REGISTERED)
            & _days("notify_due", start - DAY, end - DAY)
        )
    if key == INTAKE_OK:
        # A 不予受理 decided on its notice limit or before: its event falls before the day after.
        return (
            Q(notify_due__isnull=False, accepted_on__lte=F("notify_due")) & _days("accepted_on", start, end)
        ) | (_not_accepted_in(start, end, at__date__lte=OuterRef("notify_due")))
    if key == HANDLE:
        return (Q(handling_due__isnull=False) & _days("replied_on", start, end)) | (
            Q(replied_on__isnull=True, state__in=HANDLING_STATES)
            & _days("handling_due", start - DAY, end - DAY)
        )
    if key == HANDLE_OK:
        return Q(handling_due__isnull=False, replied_on__lte=F("handling_due")) & _days(
            "replied_on", start, end
        )
    rated = _days("rated_on", start, end)
    if key == RATED:
        return rated
    if key == RATE_OVER:
        return Q(rated_on__isnull=True) & _days("rating_due", start - DAY, end - DAY)
    if key == OFF_SAT:
        return rated & Q(office_rating=Rating.SATISFIED)
    if key == OFF_BASIC:
        return rated & Q(office_rating=Rating.BASIC)
    if key == UNIT_SAT:
        return rated & Q(unit_rating=Rating.SATISFIED)
    if key == UNIT_BASIC:
        return rated & Q(unit_rating=Rating.BASIC)
    if key == BOTH_SAT:
        return rated & Q(office_rating=Rating.SATISFIED, unit_rating=Rating.SATISFIED)
    if key == BOTH_BASIC:
        return (
            rated
            & Q(office_rating__in=OK_RATINGS, unit_rating__in=OK_RATINGS)
            & ~Q(office_rating=Rating.SATISFIED, unit_rating=Rating.SATISFIED)
        )
    raise KeyError(key)


# --- settings -------------------------------------------------------------------------------------


def settings_of(town) -> dict:
    """The town's 指标口径 (configs/*.yaml `metrics:`), defaults filled in."""
    merged = metrics_default()
    merged.update(town.metrics or {})
    merged["basic_satisfied_counts"] = town.basic_satisfied_counts
    return merged


# --- the metrics ----------------------------------------------------------------------------------

# Drill kinds: what the list behind a numerator holds.
CASES, PETITIONS, PERSONS, INCIDENTS, KEY_PERSONS = (
    "cases",
    "petitions",
    "persons",
    "incidents",
    "key_persons",
)

SANJIANG, SISHENG, WUBU, NATIONAL = "三降", "四升", "五不", "国家指标"
# The plan's grouping of 四升 (二、工作目标).
AREAS = {
    "first_time_resolution_rate": "源头治理能力",
    "resolution_stability_rate": "实体化解质效",
    "satisfaction_rate": "群众满意率",
    "online_repeat_rate": "群众满意率",
    "key_person_stability_rate": "重大活动信访保障质效",
    "pre_event_stranded": "重大活动信访保障质效",
    "event_registrations": "重大活动信访保障质效",
}

# The 五不 targets of the plan and the incident kinds each counts.
FIVE_NO = {
    "beijing_province_visits": (
        IncidentKind.BEIJING_INDIVIDUAL,
        IncidentKind.BEIJING_COLLECTIVE,
        IncidentKind.PROVINCE_INDIVIDUAL,
        IncidentKind.PROVINCE_COLLECTIVE,
    ),
    "provincial_collective_visits": (
        IncidentKind.CITY_COLLECTIVE_50,
        IncidentKind.PROVINCE_REPEAT_COLLECTIVE,
        IncidentKind.PROVINCE_COLLECTIVE_20,
    ),
    "extreme_incidents": (IncidentKind.EXTREME,),
    "negative_hype": (IncidentKind.MEDIA_HYPE,),
    "stopped_petitioner_rebound": (IncidentKind.REBOUND,),
    "event_registrations": (IncidentKind.REGISTRATION,),
}


@dataclass(frozen=True)
class Formula:
    """A metric's numerator and denominator as sums of fact keys (the denominator empty for a count).
    `special` metrics (distinct persons, key persons, stay checks) are counted by their own query."""

    drill: str
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    special: str = ""
    # The 化解稳定率 may count from the beginning (a setting).
    cumulative: bool = False


def _satisfaction(prefix: str, s: dict) -> Formula:
    sat, basic = {
        "unit": (UNIT_SAT, UNIT_BASIC),
        "office": (OFF_SAT, OFF_BASIC),
        "both": (BOTH_SAT, BOTH_BASIC),
    }[prefix]
    numerator, denominator = [sat], [RATED]
    if s["basic_satisfied_counts"]:
        numerator.append(basic)
    if s["overdue_rating"] == "satisfied":
        numerator.append(RATE_OVER)
        denominator.append(RATE_OVER)
    return Formula(CASES, tuple(numerator), tuple(denominator))


def formula(code: str, s: dict) -> Formula | None:
    """The formula of a target (by its code in the town's file) or a national indicator; None for a
    code this version does not know how to count."""
    if code in FIVE_NO:
        return Formula(INCIDENTS, tuple(incident_key(k) for k in FIVE_NO[code]))
    match code:
        case "prominent_cases":
            return Formula(CASES, (PROM,))
        case "repeat_share":
            return Formula(PETITIONS, (PET_REP,), (PET,))
        case "skip_level_persons":
            return Formula(PERSONS, special="skip_level_persons")
        case "first_time_resolution_rate":
            return Formula(CASES, (CONCL_ONCE,), (CONCL,))
        case "resolution_stability_rate":
            return Formula(
                CASES, (PROM_OK,), (PROM,), cumulative=s["resolution_stability_base"] == "cumulative"
            )
        case "satisfaction_rate":
            return _satisfaction(s["satisfaction_rating"], s)
        case "online_repeat_rate":
            return Formula(PETITIONS, (PET_ONLINE_REP,), (PET_ONLINE,))
        case "key_person_stability_rate":
            return Formula(KEY_PERSONS, special="key_person_stability_rate")
        case "pre_event_stranded":
            return Formula(KEY_PERSONS, special="pre_event_stranded")
        case "timely_acceptance_rate":
            return Formula(CASES, (INTAKE_OK,), (INTAKE,))
        case "on_time_rate":
            return Formula(CASES, (HANDLE_OK,), (HANDLE,))
        case "participation_rate":
            return Formula(CASES, (RATED,), (RATED, RATE_OVER))
        case "office_satisfaction_rate":
            return _satisfaction("office", s)
        case "unit_satisfaction_rate":
            return _satisfaction("unit", s)
        case "case_repeat_rate":
            return Formula(CASES, (NEW_REP,), (NEW,))
    return None


@dataclass(frozen=True)
class National:
    code: str
    name: str
    comparison: str  # at_least / at_most


NATIONAL_INDICATORS = (
    National("timely_acceptance_rate", "及时受理率", "at_least"),
    National("on_time_rate", "按期办结率", "at_least"),
    National("participation_rate", "参评率", "at_least"),
    National("office_satisfaction_rate", "满意率（信访部门）", "at_least"),
    National("unit_satisfaction_rate", "满意率（办理单位）", "at_least"),
    National("case_repeat_rate", "重复信访率", "at_most"),
)

# --- comparing with the target --------------------------------------------------------------------

MET, MISSED, WARNING, NO_DATA, NO_TARGET = "达标", "未达标", "预警", "无数据", "无目标"


def ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def status(comparison: str, value, threshold, last_year, s: dict) -> str:
    """达标 / 预警 / 未达标 (docs/metrics.md, “达标判定”).

    - zero: 0 is met, anything else missed.
    - at_least / at_most: met when on the right side of the threshold; 预警 when short of it by less
      than the town's margin (metrics.warning_margin, 2 percentage points by default); missed beyond.
    - below_last_year (三降, “明显下降”): met when at least metrics.marked_decline_percent (10%) below
      the same period last year; 预警 when below it but by less; missed when not below. When last year
      had none, none this year is met and any is missed.
    """
    if value is None:
        return NO_DATA
    margin = float(Decimal(str(s["warning_margin"])))
    if comparison == "zero":
        return MET if value == 0 else MISSED
    if comparison == "below_last_year":
        if last_year is None:
            return NO_DATA
        if last_year == 0:
            return MET if value == 0 else MISSED
        if value <= last_year * (1 - s["marked_decline_percent"] / 100):
            return MET
        return WARNING if value < last_year else MISSED
    if threshold is None:
        return NO_TARGET
    t = float(threshold)
    if comparison == "at_least":
        return MET if value >= t else WARNING if value >= t - margin else MISSED
    if comparison == "at_most":
        return MET if value <= t else WARNING if value <= t + margin else MISSED
    return NO_TARGET


def same_period_last_year(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    def back(day: dt.date) -> dt.date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28)

    return back(start), back(end)
