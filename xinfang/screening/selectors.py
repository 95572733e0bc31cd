"""Reads of 排查 and 研判: everything a page or another app needs, scoped to the reader where there is
one. `missing_reports` and `missing_assessments` answer for a whole town (scoring and the warning
rules call them; they show no personal data)."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Q
from django.utils import timezone

from xinfang.core.scoping import get_scoped_or_404, scope
from xinfang.org.models import Department, Grid, Village
from xinfang.stability.models import ProtectionPeriod

from . import rules
from .choices import AssessmentLevel, AssessmentStatus, UnitKind
from .models import Assessment, ScreeningItem, ScreeningRound, UnitReport

REPORT_RELATED = ("village", "grid", "department", "reporter", "round")


# --- for other apps (scoring, warnings) --------------------------------------------------------


def missing_reports(town, start: dt.date, end: dt.date, *, today: dt.date | None = None) -> list[dict]:
    """The units that had not reported by the due date of a round due within [start, end] (the due
    day over): nothing reported, or reported late (`submitted_at` says when)."""
    today = today or timezone.localdate()
    rows = (
        UnitReport.objects.filter(town=town, round__due__gte=start, round__due__lte=end, round__due__lt=today)
        .filter(Q(submitted_at__isnull=True) | Q(submitted_at__date__gt=F("round__due")))
        .select_related(*REPORT_RELATED)
        .order_by(
            "round__due", "round_id", "unit_kind", "village__order", "grid__order", "department__order", "id"
        )
    )
    found = []
    for r in rows:
        submitted_day = timezone.localtime(r.submitted_at).date() if r.submitted_at else None
        if not rules.is_past_due(r.round.due, submitted_day, today):
            continue
        found.append(
            {
                "round_id": r.round_id,
                "round": r.round.name,
                "report_id": r.pk,
                "unit_kind": r.unit_kind,
                "unit": r.unit_name,
                "village_id": r.village_id,
                "grid_id": r.grid_id,
                "department_id": r.department_id,
                "due": r.round.due,
                "submitted_at": r.submitted_at,
            }
        )
    return found


def _periods(town, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    return list(
        ProtectionPeriod.objects.filter(town=town, start__lte=end, end__gte=start)
        .order_by("start")
        .values_list("start", "end")
    )


def _units(town, levels) -> list[dict]:
    units = []
    if AssessmentLevel.GRID in levels:
        for g in (
            Grid.objects.filter(village__town=town)
            .select_related("village")
            .order_by("village__order", "order")
        ):
            units.append(
                {
                    "level": AssessmentLevel.GRID,
                    "unit": f"{g.village.name} · {g.name}",
                    "village_id": g.village_id,
                    "grid_id": g.pk,
                    "department_id": None,
                }
            )
    if AssessmentLevel.VILLAGE in levels:
        for v in Village.objects.filter(town=town).order_by("order", "id"):
            units.append(
                {
                    "level": AssessmentLevel.VILLAGE,
                    "unit": v.name,
                    "village_id": v.pk,
                    "grid_id": None,
                    "department_id": None,
                }
            )
    if AssessmentLevel.LINE in levels:
        for d in Department.objects.filter(town=town).order_by("order", "id"):
            units.append(
                {
                    "level": AssessmentLevel.LINE,
                    "unit": d.name,
                    "village_id": None,
                    "grid_id": None,
                    "department_id": d.pk,
                }
            )
    if AssessmentLevel.TOWN in levels:
        units.append(
            {
                "level": AssessmentLevel.TOWN,
                "unit": town.name,
                "village_id": None,
                "grid_id": None,
                "department_id": None,
            }
        )
    return units


def _unit_key(level, village_id, grid_id, department_id) -> tuple:
    if level == AssessmentLevel.GRID:
        return (level, grid_id)
    if level == AssessmentLevel.VILLAGE:
        return (level, village_id)
    if level == AssessmentLevel.LINE:
        return (level, department_id)
    return (level, None)


def missing_assessments(town, start: dt.date, end: dt.date, *, today: dt.date | None = None) -> list[dict]:
    """Per unit of each configured level, the cadence windows (战时 daily in a protection period,
    常态 weekly otherwise) that ended within [start, end] (and before today) without an assessment
    held by that unit."""
    today = today or timezone.localdate()
    end = min(end, today - dt.timedelta(days=1))
    if end < start:
        return []
    settings = rules.config(town)
    levels = set(settings["assessment_levels"])
    wins = rules.windows(settings, start, end, _periods(town, start - dt.timedelta(days=31), end))
    if not wins:
        return []
    first = min(w.start for w in wins)
    held = defaultdict(set)
    for level, village_id, grid_id, department_id, day in Assessment.objects.filter(
        town=town, status=AssessmentStatus.DONE, held_on__gte=first, held_on__lte=end
    ).values_list("level", "village_id", "grid_id", "department_id", "held_on"):
        held[_unit_key(level, village_id, grid_id, department_id)].add(day)
    found = []
    for unit in _units(town, levels):
        days = held.get(
            _unit_key(unit["level"], unit["village_id"], unit["grid_id"], unit["department_id"]), set()
        )
        for w in wins:
            if days & w.days:
                continue
            found.append(
                {
                    **unit,
                    "level_label": AssessmentLevel(unit["level"]).label,
                    "cadence": w.cadence,
                    "window_start": w.start,
                    "window_end": w.end,
                    "window": w.label,
                }
            )
    return found


# --- pages and the API -------------------------------------------------------------------------


def rounds(*, user):
    return scope(ScreeningRound.objects.all(), user).select_related("town")


def round_get(*, user, pk: int) -> ScreeningRound:
    return get_scoped_or_404(ScreeningRound.objects.select_related("town", "created_by"), user, pk=pk)


def reports(*, user, round_ids):
    return (
        scope(UnitReport.objects.filter(round_id__in=list(round_ids)), user)
        .select_related("village", "grid", "department", "reporter", "round")
        .annotate(item_count=Count("items"))
        .order_by("round_id", "unit_kind", "village__order", "grid__order", "department__order", "id")
    )


def items(*, user):
    return scope(ScreeningItem.objects.all(), user).select_related(
        "town",
        "village",
        "department",
        "category",
        "reporter",
        "report__village",
        "report__grid",
        "report__department",
        "case",
        "key_person__petitioner",
        "round",
    )


def item_get(*, user, pk: int) -> ScreeningItem:
    return get_scoped_or_404(items(user=user), user, pk=pk)


def round_board(*, user, rnd: ScreeningRound, today: dt.date | None = None) -> dict:
    """A round's page: each unit's report (the missing ones marked), the items, the counts."""
    today = today or timezone.localdate()
    rows = list(reports(user=user, round_ids=[rnd.pk]))
    for r in rows:
        day = timezone.localtime(r.submitted_at).date() if r.submitted_at else None
        r.missing = rules.is_past_due(rnd.due, day, today)
        r.late = bool(day and day > rnd.due)
    found = list(items(user=user).filter(round=rnd).order_by("village__order", "id"))
    by_kind = {k: [r for r in rows if r.unit_kind == k] for k in UnitKind.values}
    return {
        "round": rnd,
        "reports": rows,
        "by_kind": [(UnitKind(k).label, by_kind[k]) for k in UnitKind.values if by_kind[k]],
        "items": found,
        "submitted": sum(1 for r in rows if r.submitted),
        "zero": sum(1 for r in rows if r.submitted and r.is_zero),
        "missing": [r for r in rows if r.missing],
        "pending": [r for r in rows if not r.submitted and not r.missing],
        "total": len(rows),
        "open": today <= rnd.due,
    }


def my_reports(*, user, rnd: ScreeningRound):
    """The reports the user speaks for in a round (their own unit only)."""
    q = UnitReport.objects.filter(round=rnd)
    if user.role == "grid":
        q = q.filter(unit_kind=UnitKind.GRID, grid_id=user.grid_id)
    elif user.role == "village":
        q = q.filter(unit_kind=UnitKind.VILLAGE, village_id=user.village_id)
    elif user.role == "department":
        q = q.filter(unit_kind=UnitKind.DEPARTMENT, department_id=user.department_id)
    else:
        return UnitReport.objects.none()
    return q.select_related(*REPORT_RELATED)


def assessments(*, user):
    return scope(Assessment.objects.all(), user).select_related(
        "town",
        "village",
        "grid",
        "department",
        "item",
        "case",
        "key_person__petitioner",
        "created_by",
        "held_by",
        "escalated_from",
        "escalated_to",
    )


def assessment_get(*, user, pk: int) -> Assessment:
    return get_scoped_or_404(assessments(user=user), user, pk=pk)


def _matter(item) -> tuple:
    return (item.kind, item.category_id)


def _matter_label(item) -> str:
    return f"{item.get_kind_display()}" + (f" · {item.category.name}" if item.category_id else "")


def _person_key(item) -> str:
    return item.person_id_number or item.person_name


def _compare(own: list, others: list) -> list[dict]:
    """Per matter (kind and category), what the unit reported beside what others reported, and the
    differences in words."""
    keys = list(dict.fromkeys([_matter(i) for i in own] + [_matter(i) for i in others]))
    rows = []
    for key in keys:
        mine = [i for i in own if _matter(i) == key]
        theirs = [i for i in others if _matter(i) == key]
        label = _matter_label((mine or theirs)[0])
        differences = []
        if theirs and not mine:
            differences.append(f"本单位未报告，其他单位报告 {len(theirs)} 条")
        elif mine and not theirs:
            differences.append(f"仅本单位报告 {len(mine)} 条，其他单位未报告")
        else:
            named_mine = {_person_key(i) for i in mine if _person_key(i)}
            missed = sorted(
                {i.person_name for i in theirs if _person_key(i) and _person_key(i) not in named_mine}
            )
            if missed:
                differences.append(f"其他单位报告的涉及人员{'、'.join(missed)}未见于本单位报告")
            high_theirs = {i.risk_level for i in theirs}
            high_mine = {i.risk_level for i in mine}
            if "high" in high_theirs and "high" not in high_mine:
                differences.append("其他单位评为高风险，本单位未评为高风险")
        rows.append({"matter": label, "own": mine, "others": theirs, "differences": differences})
    return rows


def cross_screening(*, user, rnd: ScreeningRound) -> list[dict]:
    """上下交叉: for each village and each line, what it reported about itself set beside what the
    others (the lines, other villages, the grids' village for a line) reported about it."""
    found = list(items(user=user).filter(round=rnd).order_by("id"))
    units: dict[tuple, dict] = {}

    def unit(kind: str, obj) -> dict:
        key = (kind, obj.pk)
        if key not in units:
            units[key] = {"kind": kind, "unit": obj.name, "id": obj.pk, "own": [], "others": []}
        return units[key]

    for i in found:
        r = i.report
        if i.village_id:
            own = r.unit_kind in (UnitKind.VILLAGE, UnitKind.GRID) and r.village_id == i.village_id
            unit("village", i.village)["own" if own else "others"].append(i)
        if i.department_id:
            own = r.unit_kind == UnitKind.DEPARTMENT and r.department_id == i.department_id
            unit("department", i.department)["own" if own else "others"].append(i)
    rows = []
    for u in units.values():
        matters = _compare(u["own"], u["others"])
        rows.append(
            {
                "kind": u["kind"],
                "kind_label": UnitKind(u["kind"]).label,
                "unit": u["unit"],
                "id": u["id"],
                "matters": matters,
                "differences": sum(len(m["differences"]) for m in matters),
                "own_count": len(u["own"]),
                "others_count": len(u["others"]),
            }
        )
    rows.sort(key=lambda r: (-r["differences"], r["kind"], r["unit"]))
    return rows


def round_counts(*, user, rounds, today: dt.date) -> dict[int, dict]:
    """Per round, the reports the user may see: how many, submitted, zero, missing."""
    counts: dict[int, dict] = {}
    due = {r.pk: r.due for r in rounds}
    rows = scope(UnitReport.objects.filter(round_id__in=list(due)), user).values_list(
        "round_id", "submitted_at", "is_zero"
    )
    for round_id, submitted_at, is_zero in rows:
        c = counts.setdefault(round_id, {"total": 0, "submitted": 0, "zero": 0, "missing": 0})
        c["total"] += 1
        day = timezone.localtime(submitted_at).date() if submitted_at else None
        c["submitted"] += day is not None
        c["zero"] += bool(day and is_zero)
        c["missing"] += rules.is_past_due(due[round_id], day, today)
    return counts


def assessment_chain(*, user, a: Assessment) -> list[Assessment]:
    """The escalation chain the assessment is part of, lowest level first (as far as the user sees)."""
    seen = _chain_ids(a)
    return list(assessments(user=user).filter(pk__in=seen).order_by("created_at", "id"))


def _chain_ids(a: Assessment) -> list[int]:
    ids = [a.pk]
    down = a
    while down.escalated_from_id and len(ids) < 8:
        ids.append(down.escalated_from_id)
        down = Assessment.objects.only("pk", "escalated_from_id").get(pk=down.escalated_from_id)
    up = Assessment.objects.filter(escalated_from_id=a.pk).only("pk").first()
    while up is not None and len(ids) < 8:
        ids.append(up.pk)
        up = Assessment.objects.filter(escalated_from_id=up.pk).only("pk").first()
    return ids


def unit_visible(user, row: dict) -> bool:
    """Whether a row of the missing lists (a unit of the town) is the user's to see: everything for the
    town-wide roles, their own unit (and a village's grids) for the others."""
    if user.role == "village":
        return row.get("village_id") == user.village_id and row.get("department_id") is None
    if user.role == "grid":
        return row.get("grid_id") == user.grid_id
    if user.role == "department":
        return row.get("department_id") == user.department_id
    return True
