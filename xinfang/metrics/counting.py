"""Keeping the count tables: the facts of cases and incidents read in bulk, a change applied as the
difference between an object's old and new facts, a full rebuild and a full check."""

import datetime as dt
import json
from collections import Counter
from types import SimpleNamespace

from django.db import connection, transaction

from xinfang.cases.choices import CaseEventType, CaseState, PetitionKind
from xinfang.cases.models import Case, CaseEvent, Petition
from xinfang.stability.models import Incident

from . import rules
from .models import LINE, OWNER, TOWN, VILLAGE, Count, Facts, PersonFact

CASE_FIELDS = (
    "pk", "town_id", "village_id", "lead_department_id", "lead_leader_id", "kind", "state", "resolution",
    "received_at", "repeat_count", "ledger_from", "replied_on", "legal_on", "accepted_on", "notify_due",
    "handling_due", "rated_on", "rating_due", "office_rating", "unit_rating",
)  # fmt: skip
CHUNK = 5000


def _unit(row) -> list:
    return [
        row.town_id,
        row.village_id or 0,
        row.lead_department_id or 0,
        row.lead_leader_id or 0,
        row.kind == PetitionKind.ACCUSATION,
    ]


def case_facts_bulk(queryset) -> dict[int, dict]:
    """{case id: {"unit": …, "facts": [[key, day, n]], "persons": [[petitioner, day]]}} for the cases
    of `queryset`, read in chunks of a few thousand (four queries a chunk)."""
    result = {}
    ids = sorted(queryset.order_by().values_list("pk", flat=True))
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        # By id range, not a list of ids: Django prepares each listed id, which cost more than the
        # query. Rows of the range outside `queryset` are left aside by `wanted`.
        # A few scattered ids (a reader's hidden cases) are listed instead.
        first, last, wanted = chunk[0], chunk[-1], set(chunk)
        dense = last - first < 2 * len(chunk) + 100
        within = {"pk__gte": first, "pk__lte": last} if dense else {"pk__in": chunk}
        of_cases = {"case_id__gte": first, "case_id__lte": last} if dense else {"case_id__in": chunk}
        rows = [
            SimpleNamespace(**r)
            for r in Case.objects.filter(**within).order_by().values(*CASE_FIELDS)
            if r["pk"] in wanted
        ]
        petitions: dict[int, list] = {}
        skip_petitions = {}
        for pk, case_id, received_at, repeat, channel, skip in (
            Petition.objects.filter(**of_cases)
            .order_by()
            .values_list("pk", "case_id", "received_at", "is_repeat", "channel", "skip_level")
        ):
            day = rules.local_day(received_at)
            petitions.setdefault(case_id, []).append((day, repeat, channel))
            if skip:
                skip_petitions[pk] = (case_id, day)
        persons: dict[int, set] = {}
        if skip_petitions:
            link = Petition.petitioners.through.objects
            for petition_id, petitioner_id in link.filter(petition_id__in=list(skip_petitions)).values_list(
                "petition_id", "petitioner_id"
            ):
                case_id, day = skip_petitions[petition_id]
                persons.setdefault(case_id, set()).add((petitioner_id, day.isoformat()))
        refused = {
            case_id: rules.local_day(at)
            for case_id, at in CaseEvent.objects.filter(**of_cases, kind=CaseEventType.NOT_ACCEPTED)
            .order_by("at")
            .values_list("case_id", "at")
        }
        for row in rows:
            counted = Counter(rules.case_facts(row, petitions.get(row.pk, ()), refused.get(row.pk)))
            result[row.pk] = {
                "unit": _unit(row),
                "facts": sorted([k, d.isoformat(), n] for (k, d), n in counted.items()),
                "persons": sorted([p, d] for p, d in persons.get(row.pk, ())),
            }
    return result


def incident_facts_bulk(queryset) -> dict[int, dict]:
    """Incidents count for the town and their village only: they have no line or owner of their own."""
    result = {}
    for pk, town_id, village_id, kind, occurred_at in queryset.order_by().values_list(
        "pk", "town_id", "village_id", "kind", "occurred_at"
    ):
        day = rules.local_day(occurred_at).isoformat()
        result[pk] = {
            "unit": [town_id, village_id or 0, 0, 0, False],
            "facts": [[rules.incident_key(kind), day, 1]],
            "persons": [],
        }
    return result


def _count_rows(data: dict, sign: int = 1) -> Counter:
    """Count rows (town, dim, unit, key, day, accusation) → n of one object's facts."""
    rows = Counter()
    if not data:
        return rows
    town, village, line, owner, accusation = data["unit"]
    units = ((TOWN, 0), (VILLAGE, village), (LINE, line), (OWNER, owner))
    for key, day, n in data["facts"]:
        for dim, unit in units:
            if dim == TOWN or unit:
                rows[(town, dim, unit, key, day, accusation)] += sign * n
    return rows


def _person_rows(object_id: int, data: dict) -> list[tuple]:
    if not data or not data["persons"]:
        return []
    town, village, line, owner, accusation = data["unit"]
    return [(town, object_id, p, day, village, line, owner, accusation) for p, day in data["persons"]]


def _upsert(deltas: Counter) -> None:
    rows = [(*k, n) for k, n in deltas.items() if n]
    if not rows:
        return
    table = Count._meta.db_table
    sql = (
        f"INSERT INTO {table} (town_id, dim, unit, key, day, accusation, n) VALUES "
        + ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(rows))
        + " ON CONFLICT (town_id, dim, unit, key, day, accusation)"
        f" DO UPDATE SET n = {table}.n + excluded.n"
    )
    params = []
    for town, dim, unit, key, day, accusation, n in rows:
        params += [town, dim, unit, key, dt.date.fromisoformat(day), accusation, n]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _refresh(source: str, object_id: int, new: dict | None) -> None:
    """Applies the difference between what the object counted and what it counts now."""
    stored = Facts.objects.filter(source=source, object_id=object_id).first()
    old = stored.data if stored else None
    if old == new:
        return
    deltas = _count_rows(old, -1)
    deltas.update(_count_rows(new))
    _upsert(deltas)
    before, after = old or {}, new or {}
    if source == Facts.CASE and (before.get("persons"), before.get("unit")) != (
        after.get("persons"),
        after.get("unit"),
    ):
        PersonFact.objects.filter(case_id=object_id).delete()
        if new:
            PersonFact.objects.bulk_create(_person_objects(object_id, new))
    if new is None:
        Facts.objects.filter(source=source, object_id=object_id).delete()
    elif stored:
        stored.data = new
        stored.save(update_fields=["data"])
    else:
        Facts.objects.create(source=source, object_id=object_id, data=new)


def _person_objects(object_id: int, data: dict) -> list[PersonFact]:
    return [
        PersonFact(town_id=t, case_id=c, petitioner_id=p, day=d, village=v, line=ln, owner=o, accusation=a)
        for t, c, p, d, v, ln, o, a in _person_rows(object_id, data)
    ]


def case_facts_one(case) -> dict:
    """`case_facts_bulk` for one case just saved: its fields from the object itself, its petitions in
    one query (and its links or its 不予受理 only when they count)."""
    petitions, skip = [], {}
    for pk, received_at, repeat, channel, skip_level in Petition.objects.filter(case_id=case.pk).values_list(
        "pk", "received_at", "is_repeat", "channel", "skip_level"
    ):
        day = rules.local_day(received_at)
        petitions.append((day, repeat, channel))
        if skip_level:
            skip[pk] = day
    persons = set()
    if skip:
        link = Petition.petitioners.through.objects.filter(petition_id__in=list(skip))
        persons = {
            (p, skip[petition].isoformat())
            for petition, p in link.values_list("petition_id", "petitioner_id")
        }
    refused = None
    if case.state == CaseState.NOT_ACCEPTED:
        at = (
            CaseEvent.objects.filter(case_id=case.pk, kind=CaseEventType.NOT_ACCEPTED)
            .order_by("at")
            .values_list("at", flat=True)
            .last()
        )
        refused = rules.local_day(at) if at else None
    counted = Counter(rules.case_facts(case, petitions, refused))
    return {
        "unit": _unit(case),
        "facts": sorted([k, d.isoformat(), n] for (k, d), n in counted.items()),
        "persons": sorted([p, d] for p, d in persons),
    }


def case_refresh(case) -> None:
    """Called inside the transaction of every change to a case (cases.signals.case_changed), with
    the case as just saved."""
    _refresh(Facts.CASE, case.pk, case_facts_one(case))


def incident_refresh(incident_id: int, deleted: bool = False) -> None:
    new = None if deleted else incident_facts_bulk(Incident.objects.filter(pk=incident_id)).get(incident_id)
    _refresh(Facts.INCIDENT, incident_id, new)


# --- rebuild and check ----------------------------------------------------------------------------


def recount(town_ids=None) -> tuple[dict, dict, Counter, Counter]:
    """Everything counted afresh from the cases and incidents: (case facts, incident facts, count
    rows, person rows)."""
    cases = Case.objects.all()
    incidents = Incident.objects.all()
    if town_ids is not None:
        cases, incidents = cases.filter(town_id__in=town_ids), incidents.filter(town_id__in=town_ids)
    case_data = case_facts_bulk(cases)
    incident_data = incident_facts_bulk(incidents)
    counts, persons = Counter(), Counter()
    for pk, data in case_data.items():
        _add_rows(counts, data)
        persons.update(_person_rows(pk, data))
    for data in incident_data.values():
        _add_rows(counts, data)
    return case_data, incident_data, +counts, persons


def _add_rows(counts: Counter, data: dict) -> None:
    """`_count_rows` added in place: a rebuild does this for every case."""
    town, village, line, owner, accusation = data["unit"]
    units = [(TOWN, 0)] + [
        (dim, unit) for dim, unit in ((VILLAGE, village), (LINE, line), (OWNER, owner)) if unit
    ]
    for key, day, n in data["facts"]:
        for dim, unit in units:
            counts[(town, dim, unit, key, day, accusation)] += n


def _insert(table: str, columns: list[str], rows, cast: dict | None = None) -> None:
    """Plain multi-row inserts: a rebuild writes a few hundred thousand rows, and building a model
    object for each cost more than counting them."""
    marks = ", ".join((cast or {}).get(c, "%s") for c in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    rows = list(rows)
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i : i + 5000])


@transaction.atomic
def rebuild(town_ids=None) -> dict:
    """Throws the count tables away (for the towns given, or all) and counts everything again."""
    case_data, incident_data, counts, persons = recount(town_ids)
    tables = (Count.objects.all(), PersonFact.objects.all())
    facts = Facts.objects.all()
    if town_ids is not None:
        tables = tuple(t.filter(town_id__in=town_ids) for t in tables)
        facts = facts.filter(
            source=Facts.CASE, object_id__in=Case.objects.filter(town_id__in=town_ids).values("pk")
        ) | facts.filter(
            source=Facts.INCIDENT, object_id__in=Incident.objects.filter(town_id__in=town_ids).values("pk")
        )
    for table in tables:
        table.delete()
    facts.delete()
    json_cast = {"data": "%s::jsonb"} if connection.vendor == "postgresql" else {}
    _insert(
        Facts._meta.db_table,
        ["source", "object_id", "data"],
        [(Facts.CASE, pk, json.dumps(d)) for pk, d in case_data.items()]
        + [(Facts.INCIDENT, pk, json.dumps(d)) for pk, d in incident_data.items()],
        json_cast,
    )
    _insert(
        Count._meta.db_table,
        ["town_id", "dim", "unit", "key", "day", "accusation", "n"],
        ((t, dim, u, k, dt.date.fromisoformat(d), a, n) for (t, dim, u, k, d, a), n in counts.items()),
    )
    person_rows = [
        (t, c, p, dt.date.fromisoformat(d), v, ln, o, a)
        for (t, c, p, d, v, ln, o, a), n in persons.items()
        for _ in range(n)
    ]
    _insert(
        PersonFact._meta.db_table,
        ["town_id", "case_id", "petitioner_id", "day", "village", "line", "owner", "accusation"],
        person_rows,
    )
    return {
        "cases": len(case_data),
        "incidents": len(incident_data),
        "counts": len(counts),
        "persons": len(person_rows),
    }


def check(town_ids=None) -> list[str]:
    """The differences between the count tables and a full recount, in Chinese; empty when equal."""
    case_data, incident_data, counts, persons = recount(town_ids)
    stored = Count.objects.exclude(n=0)
    stored_persons = PersonFact.objects.all()
    if town_ids is not None:
        stored, stored_persons = (
            stored.filter(town_id__in=town_ids),
            stored_persons.filter(town_id__in=town_ids),
        )
    have = Counter()
    for t, dim, u, k, d, a, n in stored.values_list(
        "town_id", "dim", "unit", "key", "day", "accusation", "n"
    ):
        have[(t, dim, u, k, d.isoformat(), a)] += n
    problems = []
    for row in sorted(set(have) | set(counts), key=str):
        if have.get(row, 0) != counts.get(row, 0):
            t, dim, u, k, d, a = row
            problems.append(
                f"计数不一致：镇 {t}，口径 {dim}:{u}，{k}，{d}，检举控告类={a}："
                f"计数表 {have.get(row, 0)}，重新统计 {counts.get(row, 0)}"
            )
    have_persons = Counter(
        (t, c, p, d.isoformat(), v, ln, o, a)
        for t, c, p, d, v, ln, o, a in stored_persons.values_list(
            "town_id", "case_id", "petitioner_id", "day", "village", "line", "owner", "accusation"
        )
    )
    for row in sorted(set(have_persons) | set(persons), key=str):
        if have_persons.get(row, 0) != persons.get(row, 0):
            problems.append(
                f"越级上访人员不一致：事项 {row[1]}，信访人 {row[2]}，{row[3]}："
                f"计数表 {have_persons.get(row, 0)}，重新统计 {persons.get(row, 0)}"
            )
    stored_facts = {
        (s, o): d
        for s, o, d in Facts.objects.filter(source__in=[Facts.CASE, Facts.INCIDENT]).values_list(
            "source", "object_id", "data"
        )
    }
    fresh = {(Facts.CASE, pk): d for pk, d in case_data.items()}
    fresh.update({(Facts.INCIDENT, pk): d for pk, d in incident_data.items()})
    for key, data in fresh.items():
        if stored_facts.get(key) != data:
            problems.append(f"计数来源不一致：{'事项' if key[0] == Facts.CASE else '事件'} {key[1]}")
    return problems
