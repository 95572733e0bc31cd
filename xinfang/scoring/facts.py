"""The facts a unit is scored on, each by a plain function: (town, start, end, today) → the list of
what counts, every item naming the units it counts against. The score of an item is computed from
exactly this list (rules.item_score), and the page of an item's facts shows exactly this list, so a
score and the facts behind it cannot disagree.

Units: a case counts against its village (属地) and its lead department (条线); a 五不 incident
against its village and the lead departments of its cases; a supervision notice against the unit it
was addressed to; a missing screening report or assessment against the village (its grids' too) or
the line; a 包案领导's missed task-force meetings against the lines the leader heads.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from xinfang.cases.choices import CaseEventType, CaseState, Resolution
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.rules import satisfied
from xinfang.meetings import selectors as meetings_selectors
from xinfang.org.models import Person
from xinfang.screening import selectors as screening_selectors
from xinfang.stability.models import Incident
from xinfang.supervision.models import SupervisionNotice

from .choices import UnitKind

V, D = UnitKind.VILLAGE.value, UnitKind.DEPARTMENT.value


@dataclass(frozen=True)
class Fact:
    # "case", "incident", "notice", "report", "assessment", "meeting"
    kind: str
    label: str
    # Why it counts, in Chinese ("办理期限 2026-11-03，至今未出具处理意见").
    note: str
    url: str = ""
    units: tuple[tuple[str, int], ...] = ()
    # For a rate item: whether it is in the numerator (resolved, satisfied); deduct items: always True.
    counts: bool = True
    day: dt.date | None = None
    pk: int | None = None
    extra: dict = field(default_factory=dict, compare=False)


def _case_units(village_id, department_id) -> tuple:
    return tuple(u for u in ((V, village_id), (D, department_id)) if u[1])


def _case_url(pk: int) -> str:
    return reverse("cases:detail", args=[pk])


def _local(moment) -> dt.date:
    return timezone.localtime(moment).date()


def _bounds(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return first, after


def _fmt(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def overdue_cases(town, start: dt.date, end: dt.date, today: dt.date) -> list[Fact]:
    """超期事项: a handling limit (办理期限) or a resolve-by date (解决时限) that fell in the period,
    up to yesterday, and was missed: no opinion by the limit, or not resolved by the date."""
    last = min(end, today - dt.timedelta(days=1))
    if last < start:
        return []
    cases = (
        Case.objects.filter(town=town)
        .exclude(state=CaseState.NOT_ACCEPTED)
        .filter(
            Q(handling_due__range=(start, last))
            & (Q(replied_on__isnull=True) | Q(replied_on__gt=F("handling_due")))
            | Q(resolve_by__range=(start, last), ledger_from__isnull=False)
            & (Q(resolved_on__isnull=True) | Q(resolved_on__gt=F("resolve_by")))
        )
        .only(
            "id",
            "number",
            "title",
            "village_id",
            "lead_department_id",
            "handling_due",
            "replied_on",
            "resolve_by",
            "resolved_on",
            "ledger_from",
        )
        .order_by("handling_due", "id")
    )
    facts = []
    for c in cases:
        notes = []
        if (
            c.handling_due
            and start <= c.handling_due <= last
            and (c.replied_on is None or c.replied_on > c.handling_due)
        ):
            late = f"{_fmt(c.replied_on)} 才出具处理意见" if c.replied_on else "未出具处理意见"
            notes.append(f"办理期限 {_fmt(c.handling_due)}，{late}")
        if (
            c.resolve_by
            and c.ledger_from
            and start <= c.resolve_by <= last
            and (c.resolved_on is None or c.resolved_on > c.resolve_by)
        ):
            late = f"{_fmt(c.resolved_on)} 才化解销号" if c.resolved_on else "尚未化解"
            notes.append(f"解决时限 {_fmt(c.resolve_by)}，{late}")
        if not notes:
            continue
        facts.append(
            Fact(
                kind="case",
                pk=c.pk,
                label=f"{c.number} {c.title}",
                note="；".join(notes),
                url=_case_url(c.pk),
                units=_case_units(c.village_id, c.lead_department_id),
                day=c.handling_due or c.resolve_by,
            )
        )
    return facts


def resolution_rate(town, start: dt.date, end: dt.date, today: dt.date) -> list[Fact]:
    """化解稳定率: the unit's prominent cases on the ledger at some time in the period (from
    `ledger_from`, until 化解销号); in the numerator those resolved or stabilized by the period's end."""
    cases = (
        Case.objects.filter(town=town, ledger_from__isnull=False, ledger_from__lte=end)
        .exclude(state=CaseState.NOT_ACCEPTED)
        .exclude(resolved_on__lt=start)
        .only(
            "id",
            "number",
            "title",
            "village_id",
            "lead_department_id",
            "resolution",
            "resolved_on",
            "stabilized_on",
            "ledger_from",
        )
        .order_by("ledger_from", "id")
    )
    facts = []
    for c in cases:
        resolved = c.resolution == Resolution.RESOLVED and c.resolved_on and c.resolved_on <= end
        stabilized = c.resolution == Resolution.STABILIZED and (
            c.stabilized_on is None or c.stabilized_on <= end
        )
        if resolved:
            note = f"{_fmt(c.resolved_on)} 化解销号"
        elif stabilized:
            note = "稳控" + (f"（{_fmt(c.stabilized_on)}）" if c.stabilized_on else "")
        else:
            note = f"未化解（{Resolution(c.resolution).label}），{_fmt(c.ledger_from)} 列入台账"
        facts.append(
            Fact(
                kind="case",
                pk=c.pk,
                label=f"{c.number} {c.title}",
                note=note,
                url=_case_url(c.pk),
                units=_case_units(c.village_id, c.lead_department_id),
                counts=bool(resolved or stabilized),
                day=c.ledger_from,
            )
        )
    return facts


def satisfaction(town, start: dt.date, end: dt.date, today: dt.date) -> list[Fact]:
    """群众满意率: the ratings of the handling unit (对办理单位的评价) given in the period; 基本满意
    counts as satisfied when the town's setting says so."""
    basic = town.basic_satisfied_counts
    cases = (
        Case.objects.filter(town=town, rated_on__range=(start, end))
        .exclude(unit_rating="")
        .only("id", "number", "title", "village_id", "lead_department_id", "unit_rating", "rated_on")
        .order_by("rated_on", "id")
    )
    return [
        Fact(
            kind="case",
            pk=c.pk,
            label=f"{c.number} {c.title}",
            note=f"{_fmt(c.rated_on)} 评价：{c.get_unit_rating_display()}",
            url=_case_url(c.pk),
            units=_case_units(c.village_id, c.lead_department_id),
            counts=satisfied(c.unit_rating, basic_counts=basic),
            day=c.rated_on,
        )
        for c in cases
    ]


def rebounds(town, start: dt.date, end: dt.date, today: dt.date) -> list[Fact]:
    """化解后反弹: each rebound of a resolved case in the period (a case rebounding twice counts twice)."""
    first, after = _bounds(start, end)
    events = (
        CaseEvent.objects.filter(case__town=town, kind=CaseEventType.REBOUND, at__gte=first, at__lt=after)
        .select_related("case")
        .only(
            "id",
            "at",
            "case__id",
            "case__number",
            "case__title",
            "case__village_id",
            "case__lead_department_id",
        )
        .order_by("at", "id")
    )
    return [
        Fact(
            kind="case",
            pk=e.case.pk,
            label=f"{e.case.number} {e.case.title}",
            note=f"{timezone.localtime(e.at):%Y-%m-%d %H:%M} 化解后再次信访（反弹）",
            url=_case_url(e.case.pk),
            units=_case_units(e.case.village_id, e.case.lead_department_id),
            day=_local(e.at),
        )
        for e in events
    ]


def incidents(town, start: dt.date, end: dt.date, today: dt.date) -> list[Fact]:
    """五不事件 in the period: against the incident's village and the lead departments of its cases."""
    first, after = _bounds(start, end)
    found = (
        Incident.objects.filter(town=town, occurred_at__gte=first, occurred_at__lt=after)
        .prefetch_related("cases")
        .order_by("occurred_at", "id")
    )
    facts = []
    for i in found:
        units = [(V, i.village_id)] if i.village_id else []
        for c in i.cases.all():
            if c.lead_department_id and (D, c.lead_department_id) not in units:
                units.append((D, c.lead_department_id))
        facts.append(
            Fact(
                kind="incident",
                pk=i.pk,
                label=i.get_kind_display(),
                note=(
                    f"{timezone.localtime(i.occurred_at):%Y-%m-%d %H:%M} {i.place or ''}，"
                    f"{i.persons_count} 人，到达{i.get_level_reached_display()}"
                ),
                url=reverse("stability:incidents"),
                units=tuple(units),
                day=_local(i.occurred_at),
            )
        )
    return facts


def overdue_supervision(town, start: dt.date, end: dt.date, today: dt.date) -> list[Fact]:
    """督办逾期: notices whose reply deadline fell in the period, up to yesterday, not replied by it."""
    last = min(end, today - dt.timedelta(days=1))
    if last < start:
        return []
    found = (
        SupervisionNotice.objects.filter(town=town, reply_due__range=(start, last))
        .select_related("village", "department")
        .order_by("reply_due", "id")
    )
    facts = []
    for n in found:
        if not (n.first_reply_at is None or _local(n.first_reply_at) > n.reply_due):
            continue
        how = (
            f"{_local(n.first_reply_at):%Y-%m-%d} 才回复"
            if n.first_reply_at
            else ("未回复即办结" if n.closed_at else "至今未回复")
        )
        unit = (V, n.village_id) if n.village_id else (D, n.department_id)
        facts.append(
            Fact(
                kind="notice",
                pk=n.pk,
                label=f"{n.number} {n.theme}",
                note=f"回复期限 {n.reply_due:%Y-%m-%d}，{how}",
                url=reverse("supervision:notice", args=[n.pk]),
                units=(unit,),
                day=n.reply_due,
            )
        )
    return facts


def missing_reports(town, start: dt.date, end: dt.date, today: dt.date) -> list[Fact]:
    """排查未报送: a round due in the period whose report (a zero report included) a village, one of its
    grids or a department had not made by the due day (screening.selectors.missing_reports). A grid's
    missing report counts against its village, which answers for its grids."""
    facts = []
    for row in screening_selectors.missing_reports(town, start, end, today=today):
        if row["department_id"]:
            units = ((D, row["department_id"]),)
        elif row["village_id"]:
            units = ((V, row["village_id"]),)
        else:
            continue
        submitted = row["submitted_at"]
        how = f"{_local(submitted):%Y-%m-%d} 才报送" if submitted else "未报送"
        facts.append(
            Fact(
                kind="report",
                pk=row["report_id"],
                label=f"{row['round']} · {row['unit']}",
                note=f"报送期限 {_fmt(row['due'])}，{how}",
                url=reverse("screening:round", args=[row["round_id"]]),
                units=units,
                day=row["due"],
            )
        )
    return facts


def missing_assessments(town, start: dt.date, end: dt.date, today: dt.date) -> list[Fact]:
    """研判缺失: a cadence window (战时 daily, 常态 weekly) that ended in the period without the unit's
    assessment (screening.selectors.missing_assessments): against the village (its grids too) or the
    line; the town level's own is no unit's."""
    facts = []
    for row in screening_selectors.missing_assessments(town, start, end, today=today):
        if row["department_id"]:
            units = ((D, row["department_id"]),)
        elif row["village_id"]:
            units = ((V, row["village_id"]),)
        else:
            continue
        facts.append(
            Fact(
                kind="assessment",
                label=f"{row['level_label']} · {row['unit']}",
                note=f"{row['window']}未研判",
                url=reverse("screening:missing-assessments"),
                units=units,
                day=row["window_end"],
            )
        )
    return facts


def missed_meetings(town, start: dt.date, end: dt.date, today: dt.date) -> list[Fact]:
    """专班会议不足: a 包案领导's month (a cadence period over by today) with fewer task-force meetings
    than required (meetings.selectors.cadence_rows); it counts against the lines the leader heads
    (分管条线), which the ranking scores."""
    rows = [
        r
        for r in meetings_selectors.cadence_rows(town, start, end, today=today)
        if r["leader_id"] and r["short"] and r["ended"] and r["period_end"] <= end
    ]
    lines: dict[int, list[int]] = {}
    for person_id, department_id in Person.lines.through.objects.filter(
        person_id__in={r["leader_id"] for r in rows}
    ).values_list("person_id", "department_id"):
        lines.setdefault(person_id, []).append(department_id)
    return [
        Fact(
            kind="meeting",
            pk=r["leader_id"],
            label=f"{r['leader_name']} · {r['label']}{r['name']}",
            note=f"召开 {r['held']} 次，要求至少 {r['required']} 次",
            url=reverse("meetings:cadence"),
            units=tuple((D, d) for d in lines.get(r["leader_id"], [])),
            day=r["period_end"],
        )
        for r in rows
    ]


# The name of every scoring key of the town configuration, computed here or not.
NAMES = {
    "resolution_rate": "化解稳定率",
    "satisfaction": "群众满意率",
    "overdue_cases": "超期事项",
    "rebounds": "化解后反弹",
    "incidents": "五不事件",
    "missing_reports": "排查未报送",
    "missing_assessments": "研判缺失",
    "missed_meetings": "专班会议不足",
    "overdue_supervision": "督办逾期",
}

FactSource = Callable[[object, dt.date, dt.date, dt.date], list[Fact]]

# Each scoring key's fact function and its name; a key configured without a function here is
# shown as not computed (rules.py), never as zero.
FACTS: dict[str, tuple[str, FactSource]] = {
    "resolution_rate": (NAMES["resolution_rate"], resolution_rate),
    "satisfaction": (NAMES["satisfaction"], satisfaction),
    "overdue_cases": (NAMES["overdue_cases"], overdue_cases),
    "rebounds": (NAMES["rebounds"], rebounds),
    "incidents": (NAMES["incidents"], incidents),
    "missing_reports": (NAMES["missing_reports"], missing_reports),
    "missing_assessments": (NAMES["missing_assessments"], missing_assessments),
    "missed_meetings": (NAMES["missed_meetings"], missed_meetings),
    "overdue_supervision": (NAMES["overdue_supervision"], overdue_supervision),
}


def for_unit(facts: list[Fact], unit_kind: str, unit_id: int) -> list[Fact]:
    return [f for f in facts if (unit_kind, unit_id) in f.units]
