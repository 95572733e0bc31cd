"""The metrics a reader may see, for any period and unit, read from the count tables; and the lists
behind each number (the drill-down), read from the cases, petitions, persons and incidents themselves
through `scope`, so that a list's count equals its number.

Who sees what: the office, the town's leaders and supervision see the whole town (any village, line or
owner); a village or grid worker their own village, without the accusations they do not handle; a
department its own line (the cases it leads); the county any town, one at a time (`town=`). A case that
accuses the reader or the reader's unit is left out of their numbers as it is out of their lists.
"""

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from xinfang.accounts.choices import VILLAGE_ROLES, Role
from xinfang.cases.choices import PetitionKind
from xinfang.cases.models import CASE_READERS, Case, Petition, Petitioner, _accused
from xinfang.core.scoping import scope
from xinfang.org.models import Department, Person, Target, Town, Village
from xinfang.stability.choices import KeyPersonStatus
from xinfang.stability.models import Incident, KeyPerson, StayCheck

from . import rules
from .counting import case_facts_bulk
from .models import LINE, OWNER, TOWN, VILLAGE, Count, PersonFact


@dataclass
class MetricValue:
    key: str
    name: str
    group: str  # 三降 / 四升 / 五不 / 国家指标
    area: str  # the plan's grouping of 四升 (源头治理能力 …), else ""
    unit: str  # 件 / 人 / 次 / %
    value: float | int | None  # a rate as a fraction (0.95), a count as a number
    numerator: int | None
    denominator: int | None  # None for a count
    target: float | None
    comparison: str  # below_last_year / at_least / at_most / zero
    goal: str  # the target in words (低于去年同期, ≥ 90% …)
    status: str  # 达标 / 未达标 / 预警 / 无数据 / 无目标
    last_year: float | int | None
    drill: str | None  # API path answering {items, count}; count == numerator
    page: str | None  # a page listing the same objects
    drill_kind: str = ""  # cases / petitions / persons / incidents / key_persons

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Reach:
    """The town and unit a reader's numbers cover, and what must be left out of them."""

    user: object
    town: Town
    village: int | None = None
    line: int | None = None
    owner: int | None = None
    accusations: bool = True  # the rows of 检举控告类 cases count
    hidden: tuple = ()  # cases in the unit that accuse the reader: subtracted
    stability: bool = True  # incidents and key persons apply (they have a village, no line or owner)

    @property
    def query(self) -> dict:
        """The unit as query parameters (drill and page links)."""
        out = {"village": self.village, "line": self.line, "owner": self.owner}
        if self.user.role == Role.COUNTY:
            out["town"] = self.town.pk
        return {k: v for k, v in out.items() if v}

    def case_q(self, prefix: str = "") -> Q:
        q = Q(**{f"{prefix}town": self.town.pk})
        for name, field in (("village", "village"), ("line", "lead_department"), ("owner", "lead_leader")):
            if value := getattr(self, name):
                q &= Q(**{f"{prefix}{field}": value})
        return q


def _own(model, pk, town, label: str):
    if pk is None:
        return None
    if not model.objects.filter(pk=pk, town=town).exists():
        raise Http404(f"所选{label}不存在或不属于本镇")
    return int(pk)


def reach_for(user, *, town=None, village=None, line=None, owner=None) -> Reach:
    if user is None or not user.is_authenticated or user.role not in CASE_READERS:
        raise PermissionDenied("您的角色不能查看信访工作指标。")
    town_id = getattr(town, "pk", town)
    if user.role == Role.COUNTY:
        if town_id is None:
            raise ValidationError({"town": "县信访局请选择一个镇查看（town 参数）。"})
        found = Town.objects.filter(pk=town_id).first()
        if found is None:
            raise Http404("所选镇不存在")
        town = found
    else:
        if town_id is not None and int(town_id) != user.town_id:
            raise Http404("所选镇不存在或无权查看")
        town = user.town
    village = _own(Village, village, town, "村（居）")
    line = _own(Department, line, town, "部门")
    owner = _own(Person, owner, town, "包案领导")
    reach = Reach(user=user, town=town)
    if user.role in VILLAGE_ROLES:
        if village is not None and village != user.village_id:
            raise Http404("所选村（居）不存在或无权查看")
        village = user.village_id
        reach.accusations = False  # 检举控告类 stays with those who handle it
    elif user.role == Role.DEPARTMENT:
        if line is not None and line != user.department_id:
            raise Http404("所选部门不存在或无权查看")
        line = user.department_id  # the accusations it leads are its own: counted
    reach.village, reach.line, reach.owner = village, line, owner
    reach.stability = user.role not in (Role.DEPARTMENT, Role.GRID) and not line and not owner
    accused = _accused(user)
    if accused is not None:
        hidden = Case.objects.filter(reach.case_q()).filter(accused)
        if not reach.accusations:
            hidden = hidden.exclude(kind=PetitionKind.ACCUSATION)
        reach.hidden = tuple(hidden.values_list("pk", flat=True))
    return reach


# --- sums of facts --------------------------------------------------------------------------------


def _unit_filters(reach: Reach) -> list[tuple[str, int]]:
    return [(dim, v) for dim, v in ((VILLAGE, reach.village), (LINE, reach.line), (OWNER, reach.owner)) if v]


Period = tuple[dt.date, dt.date]


def _facts_of(queryset, keys, periods: list[Period]) -> list[Counter]:
    out = [Counter() for _ in periods]
    for data in case_facts_bulk(queryset).values():
        for key, day, n in data["facts"]:
            if key not in keys:
                continue
            day = dt.date.fromisoformat(day)
            for i, (start, end) in enumerate(periods):
                if start <= day <= end:
                    out[i][key] += n
    return out


def sums(reach: Reach, keys, periods: list[Period]) -> list[Counter]:
    """For each period, {key: n} of the facts in it in the reader's unit: one query for them all."""
    keys = set(keys)
    live = [(s, e) for s, e in periods if s <= e]
    if not keys or not live:
        return [Counter() for _ in periods]
    filters = _unit_filters(reach)
    if len(filters) > 1:
        # Two units at once (a village and a line): no count rows combine them; their cases are few
        # enough to count on the spot.
        cases = Case.objects.filter(reach.case_q()).exclude(pk__in=reach.hidden)
        if not reach.accusations:
            cases = cases.exclude(kind=PetitionKind.ACCUSATION)
        return _facts_of(cases, keys, periods)
    dim, unit = filters[0] if filters else (TOWN, 0)
    # One range over all the periods (this year and last, twelve months…), read from the covering
    # index alone; plain SQL, as the ORM's building of this query cost more than running it.
    columns = ", ".join(["SUM(CASE WHEN day >= %s AND day <= %s THEN n ELSE 0 END)"] * len(periods))
    where = "town_id = %s AND dim = %s AND unit = %s AND day >= %s AND day <= %s"
    params = [v for s, e in periods for v in (s, e)]
    params += [reach.town.pk, dim, unit, min(s for s, _ in live), max(e for _, e in live)]
    if not reach.accusations:
        where += " AND accusation = %s"
        params.append(False)
    out = [Counter() for _ in periods]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT key, {columns} FROM {Count._meta.db_table} WHERE {where} GROUP BY key", params
        )
        for key, *totals in cursor.fetchall():
            if key in keys:
                for i, total in enumerate(totals):
                    out[i][key] += total or 0
    if reach.hidden:
        for counted, less in zip(
            out, _facts_of(Case.objects.filter(pk__in=reach.hidden), keys, periods), strict=True
        ):
            counted.subtract(less)
    return out


# --- special metrics (their own queries) ----------------------------------------------------------


def _persons_rows(reach: Reach, start, end):
    rows = PersonFact.objects.filter(town_id=reach.town.pk, day__gte=start, day__lte=end)
    for name in ("village", "line", "owner"):
        if value := getattr(reach, name):
            rows = rows.filter(**{name: value})
    if not reach.accusations:
        rows = rows.filter(accusation=False)
    if reach.hidden:
        rows = rows.exclude(case_id__in=reach.hidden)
    return rows


def _distinct_persons(reach: Reach, periods: list[Period]) -> list[int]:
    """越级上访人数 for each period, counted distinct in one query over the person rows."""
    columns = ", ".join(
        ["COUNT(DISTINCT CASE WHEN day >= %s AND day <= %s THEN petitioner_id END)"] * len(periods)
    )
    params = [v for s, e in periods for v in (s, e)]
    where = "town_id = %s AND day >= %s AND day <= %s"
    params += [reach.town.pk, min(s for s, _ in periods), max(e for _, e in periods)]
    for name in ("village", "line", "owner"):
        if value := getattr(reach, name):
            where += f" AND {name} = %s"
            params.append(value)
    if not reach.accusations:
        where += " AND accusation = %s"
        params.append(False)
    if reach.hidden:
        where += f" AND case_id NOT IN ({', '.join(['%s'] * len(reach.hidden))})"
        params += list(reach.hidden)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {PersonFact._meta.db_table} WHERE {where}", params)
        return list(cursor.fetchone())


def _listed_by(end: dt.date) -> Q:
    return Q(created_at__lt=rules.moment(end + rules.DAY))


def _key_persons_base(reach: Reach):
    people = scope(KeyPerson.objects.filter(town=reach.town), reach.user).exclude(
        status=KeyPersonStatus.REVOKED
    )
    if reach.village:
        people = people.filter(village=reach.village)
    return people


def _key_persons(reach: Reach, end: dt.date):
    """The key persons counted at the end of a period: listed by then and not revoked (now)."""
    return _key_persons_base(reach).filter(_listed_by(end))


def _troubled(start, end) -> Q:
    """Concerned by an incident in [start, end] (越级、聚集、极端 … any 五不 incident naming them)."""
    incidents = Incident.key_persons.through.objects.filter(
        keyperson=OuterRef("pk"),
        incident__occurred_at__gte=rules.moment(start),
        incident__occurred_at__lt=rules.moment(end + rules.DAY),
    )
    return Q(Exists(incidents))


def _stable(people, start, end):
    return people.filter(~_troubled(start, end))


def _away(start, end) -> Q:
    """Found not in place (零滞留 broken) before a protection period beginning in [start, end]."""
    checks = StayCheck.objects.filter(period__start__gte=start, period__start__lte=end, in_place=False)
    return Q(pk__in=checks.values("key_person"))


def _stranded(reach: Reach, start, end):
    return _key_persons(reach, end).filter(_away(start, end))


def _specials(codes: set, reach: Reach, periods: list[Period]) -> list[dict]:
    """{code: (numerator, denominator)} per period for the metrics counted by their own query; one
    query per kind for all the periods."""
    out = [{} for _ in periods]
    if "skip_level_persons" in codes:
        for i, n in enumerate(_distinct_persons(reach, periods)):
            out[i]["skip_level_persons"] = (n, None)
    wanted = codes & {"key_person_stability_rate", "pre_event_stranded"}
    if not wanted:
        return out
    if not reach.stability:
        for i in range(len(periods)):
            out[i].update({code: (None, None) for code in wanted})
        return out
    # Key persons are few (tens per town): read them, their incidents and their stay checks once, and
    # count each period here. The drill-down lists run the same rules as queries (_stable, _stranded).
    people = dict(_key_persons_base(reach).values_list("pk", "created_at"))
    first, last = (
        rules.moment(min(s for s, _ in periods)),
        rules.moment(max(e for _, e in periods) + rules.DAY),
    )
    troubled = list(
        Incident.key_persons.through.objects.filter(
            keyperson__in=list(people), incident__occurred_at__gte=first, incident__occurred_at__lt=last
        ).values_list("keyperson_id", "incident__occurred_at")
    )
    away = list(
        StayCheck.objects.filter(key_person__in=list(people), in_place=False).values_list(
            "key_person_id", "period__start"
        )
    )
    for i, (s, e) in enumerate(periods):
        listed = {pk for pk, created in people.items() if created < rules.moment(e + rules.DAY)}
        hit = {pk for pk, at in troubled if rules.moment(s) <= at < rules.moment(e + rules.DAY)}
        gone = {pk for pk, start in away if s <= start <= e}
        if "key_person_stability_rate" in wanted:
            out[i]["key_person_stability_rate"] = (len(listed - hit), len(listed))
        if "pre_event_stranded" in wanted:
            out[i]["pre_event_stranded"] = (len(listed & gone), None)
    return out


# --- the metrics ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    group: str
    unit: str
    comparison: str
    threshold: float | None
    goal: str


def specs(town: Town, s: dict) -> list[Spec]:
    """One per target of the town's configuration, then the national indicators."""
    out = [
        Spec(
            t.code,
            t.name,
            t.group,
            t.unit,
            t.comparison,
            None if t.threshold is None else float(t.threshold),
            t.goal_text,
        )
        for t in Target.objects.filter(town=town).order_by("order", "id")
    ]
    targets = s.get("national_targets") or {}
    for n in rules.NATIONAL_INDICATORS:
        threshold = targets.get(n.code)
        threshold = None if threshold in (None, "") else float(threshold)
        goal = (
            "未设目标"
            if threshold is None
            else f"{'≥' if n.comparison == 'at_least' else '≤'} {threshold * 100:g}%"
        )
        out.append(Spec(n.code, n.name, rules.NATIONAL, "%", n.comparison, threshold, goal))
    return out


def clamp(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """A period counts up to today: later days have not happened (and deadlines in them not passed)."""
    return start, min(end, timezone.localdate())


def _evaluate(spec: Spec, f: rules.Formula | None, reach: Reach, got: Counter, base: Counter, special: dict):
    if f is None:
        return None, None, None
    if f.special:
        numerator, denominator = special.get(f.special, (None, None))
    else:
        if f.drill == rules.INCIDENTS and not reach.stability:
            return None, None, None
        source = base if f.cumulative else got
        numerator = sum(source[k] for k in f.numerator)
        denominator = sum(source[k] for k in f.denominator) if f.denominator else None
    if numerator is None:
        return None, None, None
    if denominator is None and spec.unit != "%":
        return numerator, numerator, None
    return rules.ratio(numerator, denominator or 0), numerator, denominator or 0


def _all_keys(formulas) -> tuple[set, set, set]:
    keys, cumulative, special = set(), set(), set()
    for f in formulas:
        if f is None:
            continue
        if f.special:
            special.add(f.special)
        else:
            (cumulative if f.cumulative else keys).update(f.numerator + f.denominator)
    return keys, cumulative, special


def _evaluate_all(reach: Reach, todo, periods: list[Period]) -> list[list[tuple]]:
    """For each period, (value, numerator, denominator) of each (spec, formula) in `todo`."""
    periods = [clamp(s, e) for s, e in periods]
    keys, cumulative, special = _all_keys(f for _, f in todo)
    got = sums(reach, keys, periods)
    base = sums(reach, cumulative, [(rules.BEGINNING, e) for _, e in periods])
    specials = _specials(special, reach, [(s, e) if s <= e else (e, e) for s, e in periods])
    out = []
    for i, (start, end) in enumerate(periods):
        if start > end:
            out.append([(None, None, None)] * len(todo))
        else:
            out.append([_evaluate(sp, f, reach, got[i], base[i], specials[i]) for sp, f in todo])
    return out


def _links(reach: Reach, code: str, start, end) -> tuple[str, str]:
    query = urlencode({"from": start.isoformat(), "to": end.isoformat(), **reach.query})
    return f"/api/v1/metrics/{code}/items?{query}", f"/metrics/{code}/?{query}"


def metrics_for(
    user, start: dt.date, end: dt.date, *, village=None, line=None, owner=None, town=None
) -> list[MetricValue]:
    """Every target of the reader's town and every national indicator for [start, end] (counted up
    to today), with the same period last year and the status against the target."""
    reach = reach_for(user, town=town, village=village, line=line, owner=owner)
    s = rules.settings_of(reach.town)
    todo = [(sp, rules.formula(sp.code, s)) for sp in specs(reach.town, s)]
    start, end = clamp(start, end)
    now, before = _evaluate_all(reach, todo, [(start, end), rules.same_period_last_year(start, end)])
    out = []
    for (sp, f), (value, numerator, denominator), (last, _, _) in zip(todo, now, before, strict=True):
        drill, page = _links(reach, sp.code, start, end) if numerator is not None else (None, None)
        out.append(
            MetricValue(
                key=sp.code,
                name=sp.name,
                group=sp.group,
                area=rules.AREAS.get(sp.code, ""),
                unit=sp.unit,
                value=value,
                numerator=numerator,
                denominator=denominator,
                target=sp.threshold,
                comparison=sp.comparison,
                goal=sp.goal,
                status=rules.status(sp.comparison, value, sp.threshold, last, s),
                last_year=last,
                drill=drill,
                page=page,
                drill_kind=f.drill if f else "",
            )
        )
    return out


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - rules.DAY


def monthly_series(
    user, key: str, year: int, **unit
) -> list[tuple[int, float | int | None, float | int | None]]:
    """(month, value, same month last year) for the twelve months of `year`; months not yet begun
    have no value."""
    reach = reach_for(user, **unit)
    s = rules.settings_of(reach.town)
    spec = next((sp for sp in specs(reach.town, s) if sp.code == key), None)
    if spec is None:
        raise Http404("没有这项指标")
    todo = [(spec, rules.formula(key, s))]
    months = [(dt.date(y, m, 1), _month_end(y, m)) for y in (year, year - 1) for m in range(1, 13)]
    values = [row[0][0] for row in _evaluate_all(reach, todo, months)]
    return [(m, values[m - 1], values[12 + m - 1]) for m in range(1, 13)]


# --- the lists behind the numbers -----------------------------------------------------------------


def drill_queryset(user, key: str, start: dt.date, end: dt.date, *, part: str = "numerator", **unit):
    """The objects behind a metric's numerator (or denominator) in the reader's unit: a queryset of
    cases, petitions, petitioners, incidents or key persons. Its count equals the number shown."""
    reach = reach_for(user, **unit)
    s = rules.settings_of(reach.town)
    if key not in {sp.code for sp in specs(reach.town, s)}:
        raise Http404("没有这项指标")
    f = rules.formula(key, s)
    if f is None:
        raise Http404("这项指标尚无计算口径")
    if part == "denominator" and not (f.denominator or f.special == "key_person_stability_rate"):
        raise Http404("这项指标没有分母")
    start, end = clamp(start, end)
    if f.cumulative:
        start = rules.BEGINNING
    if f.special == "skip_level_persons":
        petitions = Petition.objects.filter(
            reach.case_q("case__"), ~Q(skip_level=""), rules._moments("received_at", start, end)
        )
        petitions = scope(petitions, user)
        return f.drill, Petitioner.objects.filter(pk__in=petitions.values("petitioners")).order_by("pk")
    if (f.special or f.drill == rules.INCIDENTS) and not reach.stability:
        raise Http404("这项指标不按部门、包案领导统计")
    if f.special == "key_person_stability_rate":
        people = _key_persons(reach, end)
        chosen = _stable(people, start, end) if part == "numerator" else people
        return f.drill, chosen.select_related("petitioner", "village").order_by("pk")
    if f.special == "pre_event_stranded":
        return f.drill, _stranded(reach, start, end).select_related("petitioner", "village").order_by("pk")
    keys = f.numerator if part == "numerator" else f.denominator
    if not keys:
        raise Http404("这项指标没有分母")
    if f.drill == rules.INCIDENTS:
        kinds = [k.removeprefix(rules.INCIDENT_PREFIX) for k in keys]
        incidents = Incident.objects.filter(town=reach.town, kind__in=kinds).filter(
            rules._moments("occurred_at", start, end)
        )
        if reach.village:
            incidents = incidents.filter(village=reach.village)
        return f.drill, scope(incidents, user).select_related("village").order_by("-occurred_at", "-pk")
    q = Q()
    if f.drill == rules.PETITIONS:
        for k in keys:
            q |= rules.petition_q(k, start, end)
        petitions = Petition.objects.filter(reach.case_q("case__")).filter(q)
        return f.drill, scope(petitions, user).select_related("case__village").order_by("-received_at", "-pk")
    for k in keys:
        q |= rules.case_q(k, start, end)
    cases = Case.objects.filter(reach.case_q()).filter(q)
    return f.drill, scope(cases, user).select_related("village").order_by("-year", "-seq")


def drill_items(user, key: str, start, end, *, part="numerator", limit=50, offset=0, **unit) -> dict:
    """{items, count, kind}: one page of the list behind a number, as plain data."""
    kind, queryset = drill_queryset(user, key, start, end, part=part, **unit)
    count = queryset.count()
    rows = list(queryset[offset : offset + limit])
    return {"kind": kind, "count": count, "items": [_item(kind, row) for row in rows]}


def _item(kind: str, row) -> dict:
    if kind == rules.CASES:
        return {
            "id": row.pk,
            "label": f"{row.number} {row.title}",
            "village": row.village.name if row.village else "",
            "state": row.get_state_display(),
            "resolution": row.get_resolution_display(),
            "url": f"/cases/{row.pk}/",
        }
    if kind == rules.PETITIONS:
        return {
            "id": row.pk,
            "label": f"{row.case.number} {row.title}",
            "village": row.case.village.name if row.case.village_id else "",
            "state": f"{row.get_channel_display()}{'（重复）' if row.is_repeat else ''}",
            "resolution": timezone.localtime(row.received_at).strftime("%Y-%m-%d"),
            "url": f"/cases/{row.case_id}/",
        }
    if kind == rules.PERSONS:
        return {
            "id": row.pk,
            "label": row.name,
            "village": "",
            "state": "",
            "resolution": "",
            "url": f"/cases/petitioners/{row.pk}/",
        }
    if kind == rules.INCIDENTS:
        return {
            "id": row.pk,
            "label": row.get_kind_display(),
            "village": row.village.name if row.village else "",
            "state": row.get_level_reached_display(),
            "resolution": timezone.localtime(row.occurred_at).strftime("%Y-%m-%d"),
            "url": "/stability/incidents/",
        }
    return {
        "id": row.pk,
        "label": row.petitioner.name,
        "village": row.village.name if row.village else "",
        "state": row.get_status_display(),
        "resolution": "",
        "url": f"/stability/key-persons/{row.pk}/",
    }
