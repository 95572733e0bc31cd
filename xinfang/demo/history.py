"""A town's petition history, generated in bulk: for the demo town, for benchmarks, for load tests.

Each case lives a plausible life day by day (accepted, assigned, progress, sometimes an extension,
a reply, a rating, a review, stabilised, resolved with the office's check, now and then a rebound)
until it reaches today, so young cases are early in their life and old ones mostly done. Dates,
deadlines, prominence and the current deadline come from the same rules the services use
(`rules`, the working calendar), so a generated case is indistinguishable from a registered one.
Rows are written with bulk inserts: the point is speed (tens of thousands of cases a second).
"""

import datetime as dt
import json
import multiprocessing
import os
import random
from dataclasses import dataclass, field
from operator import attrgetter
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone
from stdnum.cn import ric

from xinfang.accounts.choices import Role
from xinfang.accounts.models import User
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.cases import rules
from xinfang.cases.choices import CaseEventType as Ev
from xinfang.cases.choices import CaseState as St
from xinfang.cases.choices import Channel, Decision, DeliveryWay, Level, Rating
from xinfang.cases.choices import Resolution as Res
from xinfang.cases.models import Case, CaseEvent, CaseNumberSequence, Petition, Petitioner
from xinfang.cases.numbering import case_number_format
from xinfang.cases.ownership import JOINT_MEETING, OVERRIDE, ownership_decide, responsible_for
from xinfang.cases.services import QUERY_ALPHABET, QUERY_CODE_CHANNELS
from xinfang.metrics.counting import rebuild as metrics_rebuild
from xinfang.org.models import Category, Village
from xinfang.workcal.services import add_calendar_days, add_working_days

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛范彭"
GIVEN = "建国志强秀英桂兰国华玉珍春梅海燕永明德胜立新红霞金凤晓东卫东爱华文斌"
REGION = "321283"  # 泰兴市
CHANNELS = [Channel.VISIT] * 4 + [Channel.LETTER, Channel.PHONE, Channel.ONLINE] * 2 + [Channel.REFERRAL]
PROGRESS = [
    "已入户走访，听取诉求",
    "已召开专班会议研究",
    "已现场勘查核实",
    "已协调相关部门会商",
    "已约谈当事双方调解",
]
DEMO_NOTE = "（演示数据）"


class _Stop(Exception):
    """The case's life has reached today (or stalls here)."""


@dataclass
class GenerateResult:
    cases: int = 0
    petitions: int = 0
    petitioners: int = 0
    events: int = 0
    states: dict = field(default_factory=dict)


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(["某某", "某", rng.choice(GIVEN[::2]) + "某"])


def _id_number(rng: random.Random, taken: set[str], index: int = 0, chunks: int = 1) -> str:
    """A valid, unused 身份证号. Each chunk draws its sequence digits from its own residue class, so
    chunks worked out in parallel never make the same number."""
    while True:
        born = dt.date(1945, 1, 1) + dt.timedelta(days=rng.randrange(0, 60 * 365))
        sequence = (
            (rng.randrange(0, 1000 // chunks) * chunks + index) if chunks <= 1000 else rng.randrange(1000)
        )
        body = f"{REGION}{born:%Y%m%d}{sequence:03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number not in taken:
            taken.add(number)
            return number


class _Life:
    """One case's days: each step moves the date on, or stops when it would pass today."""

    def __init__(self, rng, today, stall):
        self.rng, self.today, self.stall = rng, today, stall

    def after(self, day: dt.date, low: int, high: int) -> dt.date:
        nxt = day + dt.timedelta(days=low + int(self.rng.random() * (high - low + 1)))
        if nxt > self.today or self.rng.random() < self.stall:
            raise _Stop
        return nxt


@dataclass
class _Context:
    """What every chunk of the history needs, read from the database once before any work starts."""

    town: object
    clerk_pk: int
    department_pk: int
    villages: list
    categories: list
    today: dt.date
    tz: dt.tzinfo
    taken: set
    now: dt.datetime
    chunks: int = 1
    unit_users: dict = field(default_factory=dict)  # (kind, unit id) → the first user of that unit


_CTX: _Context | None = None  # set before the worker processes fork, so they inherit it
CHUNK = 5_000


def history_generate(
    *,
    town,
    clerk,
    cases: int,
    days: int = 365,
    seed: int = 2026,
    today: dt.date | None = None,
    workers: int | None = None,
) -> GenerateResult:
    """Writes `cases` cases with their petitions, petitioners and events, received over the last
    `days` days, numbered on after the town's existing cases.

    The lives are worked out in chunks; with `workers` > 1 (the default for big runs outside a
    transaction, where processes can fork), two processes work them out while this one writes the
    chunks already done: generating and writing overlap on two cores.
    """
    global _CTX
    rng = random.Random(seed)
    today = today or timezone.localdate()
    # A fixed offset (the zone's offset today): China keeps no daylight saving, and a fixed offset
    # converts ten times faster than a zone, which matters for millions of timestamps.
    tz = dt.timezone(dt.datetime.now(ZoneInfo(settings.TIME_ZONE)).utcoffset())
    villages = list(Village.objects.filter(town=town).select_related("contact_leader", "party_head", "cadre"))
    categories = list(Category.objects.filter(town=town).select_related("lead__head"))
    for category in categories:
        category.lead._line_leader = (
            category.lead.heading_leaders.filter(is_leader=True).order_by("id").first()
            if category.lead
            else None
        )
    department_user = User.objects.filter(town=town, role=Role.DEPARTMENT).first() or clerk
    taken = set(
        Petitioner.objects.filter(town=town).exclude(id_number="").values_list("id_number", flat=True)
    )
    unit_users = {}
    for u in User.objects.filter(town=town, role__in=[Role.VILLAGE, Role.DEPARTMENT]).order_by("id"):
        unit_users.setdefault(("v", u.village_id) if u.role == Role.VILLAGE else ("d", u.department_id), u.pk)
    add_calendar_days(today, 1)  # the working calendar and the town's limits cached before any fork
    town.time_limits  # noqa: B018

    def moment(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(
            day, dt.time(8 + int(rng.random() * 10), int(rng.random() * 60)), tzinfo=tz
        )

    received = sorted(moment(today - dt.timedelta(days=rng.randrange(0, days))) for _ in range(cases))
    latest = timezone.now().astimezone(tz) - dt.timedelta(minutes=5)
    received = [min(r, latest) for r in received]
    parts = [received[i : i + CHUNK] for i in range(0, len(received), CHUNK)]
    _CTX = _Context(
        town=town,
        clerk_pk=clerk.pk,
        department_pk=department_user.pk,
        villages=villages,
        categories=categories,
        today=today,
        tz=tz,
        taken=taken,
        now=timezone.now(),
        chunks=len(parts),
        unit_users=unit_users,
    )
    args = [(i, part, rng.randrange(2**32)) for i, part in enumerate(parts)]
    if workers is None:
        workers = 2 if cases >= 2 * CHUNK and (os.cpu_count() or 1) > 1 else 1
    if workers > 1 and (connection.in_atomic_block or "fork" not in multiprocessing.get_all_start_methods()):
        workers = 1
    pool = None
    if workers > 1:
        connections.close_all()  # the children must not share this process's database connection
        pool = multiprocessing.get_context("fork").Pool(workers)
        chunks = pool.imap(_chunk, args)
    else:
        chunks = map(_chunk, args)
    # SQLite checks each foreign key as a row is written, a lookup per key and row; outside a
    # transaction (where the setting can change) the run turns that off and checks the written
    # tables once at the end instead (PRAGMA foreign_key_check), before its commit.
    check_later = connection.vendor == "sqlite" and not connection.in_atomic_block
    try:
        if check_later:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_keys = OFF")
        result = _write(town, clerk, received, chunks, check_later)
    finally:
        if check_later:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_keys = ON")
        if pool is not None:
            pool.terminate()
        _CTX = None
    # Bulk inserts bypass the per-change hook that keeps the metrics' count tables: the town is
    # counted again once its history is written.
    metrics_rebuild([town.pk])
    return result


@transaction.atomic
def _write(town, clerk, received, chunks, check_foreign_keys: bool = False) -> GenerateResult:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a large page cache: the indexes of 100,000 cases stay in memory
            cursor.execute("PRAGMA cache_size = -262144")
    # Case numbers: reserve each year's block on the town's counter, so that numbers stay gap-free
    # and registrations after the generation go on from the last one.
    years: dict[int, int] = {}
    for r in received:
        years[r.year] = years.get(r.year, 0) + 1
    next_seq = {}
    for year, count in years.items():
        counter, _ = CaseNumberSequence.objects.select_for_update().get_or_create(town=town, year=year)
        next_seq[year] = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])

    case_fields = _names(Case)
    year_at, seq_at, number_at = (case_fields.index(n) for n in ("year", "seq", "number"))
    case_at = _names(Petition).index("case_id")
    result = GenerateResult()
    indexes = _Indexes(bulk=len(received) >= BULK_INDEXES)
    for rows, states in chunks:
        person_ids = _reserve_ids(Petitioner, len(rows["people"]))
        case_ids = _reserve_ids(Case, len(rows["cases"]))
        petition_ids = _reserve_ids(Petition, len(rows["petitions"]))
        for values in rows["cases"]:
            year = values[year_at]
            values[seq_at] = next_seq[year]
            values[number_at] = case_number_format(
                prefix=town.case_number_prefix, year=year, seq=next_seq[year]
            )
            next_seq[year] += 1
        for values in rows["petitions"]:
            values[case_at] = case_ids[values[case_at]]
        _insert(
            Petitioner,
            ["id", *_columns(Petitioner)],
            [(i, *v) for i, v in zip(person_ids, rows["people"], strict=True)],
            indexes,
        )
        _insert(
            Case,
            ["id", *_columns(Case)],
            [(i, *v) for i, v in zip(case_ids, rows["cases"], strict=True)],
            indexes,
        )
        _insert(
            Petition,
            ["id", *_columns(Petition)],
            [(i, *v) for i, v in zip(petition_ids, rows["petitions"], strict=True)],
            indexes,
        )
        _insert(
            Petition.petitioners.through,
            ["petition_id", "petitioner_id"],
            [(petition_ids[p], person_ids[q]) for p, q in rows["links"]],
            indexes,
        )
        _insert(
            Case.responsible_persons.through,
            ["case_id", "person_id"],
            [(case_ids[c], pk) for c, pk in rows["responsible"]],
            indexes,
        )
        _insert(
            CaseEvent,
            ["case_id", "kind", "at", "user_id", "data"],
            [(case_ids[c], *rest) for c, *rest in rows["events"]],
            indexes,
        )
        for model, columns, extra in rows["extra"]:
            _insert(model, columns, [(case_ids[c], *rest) for c, *rest in extra], indexes)
        result.cases += len(case_ids)
        result.petitions += len(petition_ids)
        result.events += len(rows["events"])
        result.petitioners += len(person_ids)
        for state, n in states.items():
            result.states[state] = result.states.get(state, 0) + n
    indexes.restore()
    if check_foreign_keys:
        _foreign_keys_check(indexes.seen)
    audit_record(
        event=AuditEventType.CREATE,
        user=clerk,
        detail=f"生成演示信访事项 {result.cases} 件、信访 {result.petitions} 次",
        town=town,
    )
    return result


def _chunk(args) -> tuple[list, list, dict]:
    """The lives of one chunk of cases, worked out without the database (in a worker process or
    this one). Events come back ready to write: (kind, stored time, user id, JSON)."""
    index, received, seed = args
    ctx = _CTX
    rng = random.Random(seed)
    town, today, tz = ctx.town, ctx.today, ctx.tz
    limits = town.time_limits
    clerk, dept = ctx.clerk_pk, ctx.department_pk
    taken = set(ctx.taken)
    life = _Life(rng, today, stall=0.04)
    stamp = _stamper()

    def moment(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(
            day, dt.time(8 + int(rng.random() * 10), int(rng.random() * 60)), tzinfo=tz
        )

    people: list = []
    built: list = []  # (case, [(petition, person)], events, responsible person ids)
    states: dict = {}
    for received_at in received:
        village = rng.choice(ctx.villages)
        category = rng.choice(ctx.categories)
        matter = rng.choice(category.matters or ["其他"])
        if people and rng.random() < 0.12:
            person = rng.choice(people)  # a petitioner with an earlier matter
        else:
            person = _new(
                Petitioner,
                town=town,
                name=_person_name(rng),
                id_number=_id_number(rng, taken, index, ctx.chunks) if rng.random() < 0.9 else "",
                phone=f"13{rng.randrange(100000000, 999999999)}",
                address=f"{village.name}{rng.randrange(1, 15)}组",
                village=village,
            )
            people.append(person)
        persons = rng.choice([1] * 14 + [2, 3, 5, 8, 12])
        received_day = received_at.date()  # already in the town's time
        case = _new(
            Case,
            town=town,
            year=received_at.year,
            title=f"反映{matter}问题",
            matter=matter if matter in (category.matters or []) else "",
            content=f"信访人反映{matter}方面的问题，要求尽快依法解决。{DEMO_NOTE}",
            category=category,
            village=village,
            received_at=received_at,
            route_due=add_calendar_days(received_day, limits.route_days),
            notify_due=add_calendar_days(received_day, limits.notify_days),
            is_collective=persons >= town.collective_threshold,
            has_threat=rng.random() < 0.03,
            skip_level=rng.choice([Level.COUNTY, Level.CITY, Level.PROVINCE]) if rng.random() < 0.04 else "",
            petitioner_label=person.name,
        )
        channel = rng.choice(CHANNELS)
        petitions = [
            _new(
                Petition,
                channel=channel,
                referral_level=rng.choice([Level.COUNTY, Level.CITY]) if channel == Channel.REFERRAL else "",
                received_at=received_at,
                persons_count=persons,
                kind=case.kind,
                title=case.title,
                content=case.content,
                is_collective=case.is_collective,
                has_threat=case.has_threat,
                skip_level=case.skip_level,
                query_code="".join(rng.choices(QUERY_ALPHABET, k=8))
                if channel in QUERY_CODE_CHANNELS
                else "",
                registered_by_id=clerk,
            )
        ]
        events = [(Ev.REGISTERED, received_at, clerk, {"channel": channel, "persons_count": persons})]
        responsible = []
        _live(
            case, life, rng, today, limits, town, village, category, events, responsible, moment, clerk, dept
        )
        # Repeat petitions on the matter, between its first petition and today.
        for _ in range(rng.choice([0] * 12 + [1, 1, 2, 3])):
            when = moment(
                received_day + dt.timedelta(days=rng.randint(1, max(1, (today - received_day).days)))
            )
            if when > ctx.now:
                continue
            rebound = case.resolution == Res.RESOLVED and case.resolved_on and when.date() > case.resolved_on
            case.repeat_count += 1
            petitions.append(
                _new(
                    Petition,
                    channel=rng.choice(CHANNELS[:7]),
                    received_at=when,
                    persons_count=1,
                    kind=case.kind,
                    title=case.title,
                    content=f"再次反映：{case.content}",
                    is_repeat=True,
                    registered_by_id=clerk,
                )
            )
            events.append(
                (Ev.REBOUND if rebound else Ev.REPEAT, when, clerk, {"channel": petitions[-1].channel})
            )
            if rebound:  # the old resolution no longer holds; the statutory state stays
                case.resolution, case.rebound, case.rebound_at = Res.OPEN, True, when
                case.resolved_on = case.resolution_signed_on = case.resolution_submitted_on = None
                case.stabilized_on, case.resolution_before = None, ""
        rules.derive(case, town, today)
        case.assigned_at = next((at for kind, at, _, _ in events if kind == Ev.ASSIGNED), None)
        built.append((case, [(p, person) for p in petitions], events, responsible))
        states[case.state] = states.get(case.state, 0) + 1
    return _chunk_rows(ctx, people, built, rng, stamp), states


def _chunk_rows(ctx, people, built, rng, stamp) -> dict:
    """The chunk as plain rows, ready to write; ids are chunk-local indexes until the writer
    reserves the real ones (cases' `id` holds the index meanwhile)."""
    person_index = {id(p): i for i, p in enumerate(people)}
    for index, (case, _, _, _) in enumerate(built):
        case.id = index
    extra = [_notice_rows(ctx, built, rng), *_plan_rows(ctx, built, rng, ctx.today)]  # before the values:
    cases, petitions, links, responsible_rows, events = [], [], [], [], []  # a plan sets the case's text
    for index, (case, case_petitions, case_events, responsible) in enumerate(built):
        cases.append(_values(Case, case))
        for petition, person in case_petitions:
            links.append((len(petitions), person_index[id(person)]))
            petition.case_id = index
            petitions.append(_values(Petition, petition))
        responsible_rows += [(index, pk) for pk in responsible]
        events += [
            (index, str(kind), stamp(at), user, _payload(data)) for kind, at, user, data in case_events
        ]
    return {
        "people": [_values(Petitioner, p) for p in people],
        "cases": cases,
        "petitions": petitions,
        "links": links,
        "responsible": responsible_rows,
        "events": events,
        "extra": extra,
    }


class _Row(SimpleNamespace):
    """A row to be inserted: the model's fields as attributes, without a model object's cost."""


_DEFAULTS: dict = {}


def _new(model, **values) -> _Row:
    """A row of `model` with the field defaults, the given values, and foreign keys as ids."""
    if model not in _DEFAULTS:
        now = timezone.now()
        _DEFAULTS[model] = (
            {
                f.attname: (now if getattr(f, "auto_now_add", False) else f.get_default())
                for f in model._meta.concrete_fields
                if not f.primary_key and not f.generated
            },
            {f.name: f.attname for f in model._meta.concrete_fields if f.is_relation},
        )
    defaults, relations = _DEFAULTS[model]
    row = _Row(**defaults)
    for name, value in values.items():
        if name in relations:
            setattr(row, relations[name], value.pk if value is not None else None)
        else:
            setattr(row, name, value)
    return row


_PAYLOADS: dict = {}


def _payload(data: dict) -> str:
    """An event's data as JSON. Generated payloads repeat a lot (the same progress lines, dates,
    names): each distinct one is encoded once."""
    key = tuple(data.items())
    text = _PAYLOADS.get(key)
    if text is None:
        if len(_PAYLOADS) > 100_000:
            _PAYLOADS.clear()
        text = _PAYLOADS[key] = json.dumps(data, ensure_ascii=False)
    return text


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _plain(value):
    """A choice (an enum member) as its plain text: a str subclass costs an enum lookup to unpickle
    in the writer and an adapter lookup in the database driver."""
    return None if value is None else str(value)


def _day_text(value):
    return None if value is None else value.isoformat()


def _stamper():
    """A datetime as the database stores it (SQLite: UTC text, as Django writes it)."""
    if connection.vendor != "sqlite":
        return lambda value: value

    def stamp(value):
        if value is None:
            return None
        return (value.replace(tzinfo=None) - value.utcoffset()).isoformat(" ")

    return stamp


def _reserve_ids(model, count: int) -> list[int]:
    """Primary keys for rows inserted with their ids: from the sequence on PostgreSQL, after the
    largest id on SQLite (whose write lock the transaction already holds)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [r[0] for r in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


BULK_INDEXES = 20_000


def _foreign_keys_check(tables) -> None:
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"PRAGMA foreign_key_check({connection.ops.quote_name(table)})")
            broken = cursor.fetchall()
            if broken:
                raise IntegrityError(f"{table}: {len(broken)} rows point to no row, e.g. {broken[0]}")


class _Indexes:
    """For a big run, a written table's secondary (non-unique) indexes are dropped before its
    first rows and built again at the end: one sort per index instead of a B-tree insert per row,
    which is where most of the writing time went. Unique indexes stay, so duplicates are still
    refused; all of it is inside the writer's transaction, so a failed run leaves them as they were."""

    def __init__(self, bulk: bool):
        self.bulk = bulk
        self.seen: set[str] = set()  # the tables written
        self.dropped: list[str] = []

    def off(self, model) -> None:
        table = model._meta.db_table
        if table in self.seen:
            return
        self.seen.add(table)
        if not self.bulk:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                    "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                    [table],
                )
            else:
                cursor.execute(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                    "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
                    "AND NOT x.indisunique AND NOT x.indisprimary",
                    [table],
                )
            found = cursor.fetchall()
            for name, sql in found:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                self.dropped.append(sql)

    def restore(self) -> None:
        if not self.dropped:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # PostgreSQL builds no index on a table with
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # foreign-key checks still pending
            for sql in self.dropped:
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.dropped = []


_SPECS: dict = {}


def _spec(model):
    """The model's columns other than the id, and how each value is written."""
    if model not in _SPECS:
        # Generated columns (a petitioner's search keys) are the database's to fill.
        fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
        adapters = {
            "DateTimeField": _stamper(),
            "DateField": _day_text if connection.vendor == "sqlite" else None,
        }
        adapters["JSONField"] = _json
        adapters["CharField"] = _plain
        convert = [
            (i, adapters[f.get_internal_type()])
            for i, f in enumerate(fields)
            if adapters.get(f.get_internal_type())
        ]
        _SPECS[model] = (fields, attrgetter(*(f.attname for f in fields)), convert)
    return _SPECS[model]


def _names(model) -> list[str]:
    return [f.attname for f in _spec(model)[0]]


def _columns(model) -> list[str]:
    return [f.column for f in _spec(model)[0]]


def _values(model, row: _Row) -> list:
    _, getter, convert = _spec(model)
    values = list(getter(row))
    for i, adapt in convert:
        values[i] = adapt(values[i])
    return values


def _insert(model, columns: list[str], rows: list[tuple], indexes: "_Indexes") -> None:
    indexes.off(model)
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":  # COPY: one stream instead of a statement per row
        table = f"{quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)})"
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10000):
            cursor.executemany(sql, rows[start : start + 10000])


PLAN_MEASURES = {
    "reasonable": ("诉求合理，协调牵头部门依法依规解决到位", "解决后每月回访一次，持续三个月"),
    "unreasonable": (
        "诉求缺乏依据，由包案领导当面释法明理，教育疏导到位",
        "村组干部每半月走访，关注思想动态",
    ),
    "hardship": ("生活确有困难，落实临时救助和低保等帮扶到位", "纳入常态化帮扶台账，按季度回访"),
    "unlawful": ("对违法行为依法处理，同时做好家属思想工作", "网格员每周见面一次，发现苗头及时报告"),
}
MILESTONES = ["调查核实，摸清诉求", "召开专班会议研究方案", "落实化解措施", "回访确认化解效果"]


def _plan_rows(ctx, built, rng, today) -> list[tuple]:
    """一案一策 for most prominent cases that have an owner: the task force, the plan, dated milestones;
    a few are left short of the five haves, as in a real town."""
    from xinfang.plans.models import CasePlan, Milestone, TaskForceMember

    stamp = _stamper()
    now = stamp(ctx.now)
    members, plans, milestones = [], [], []
    for case, _, _, responsible in built:
        finished = case.resolution in ("resolved", "submitted")  # resolution needed all five haves
        if not (case.prominent and case.lead_leader_id and case.assigned_on):
            continue
        if not finished and rng.random() < 0.15:
            continue
        people = list(dict.fromkeys([case.lead_leader_id, *responsible]))
        for order, person in enumerate(people):
            members.append((case.id, person, "组长" if order == 0 else "成员", order == 0, order))
        judgement = rng.choice(list(PLAN_MEASURES))
        measures, rebound = PLAN_MEASURES[judgement]
        judgements = [judgement]
        if judgement == "unreasonable" and case.id % 3 == 0:  # an unreasonable claim, a family in hardship
            judgements.append("hardship")
            measures = f"{measures}；{PLAN_MEASURES['hardship'][0]}"
        case.plan = measures  # the ledger's 化稳方案 column reads the case's text
        keep = finished or rng.random() < 0.85
        plans.append(
            (case.id, json.dumps(judgements), measures, rebound if keep else "", now, ctx.clerk_pk, 1)
        )
        due = case.assigned_on
        for order, title in enumerate(MILESTONES[: 2 + int(rng.random() * 3)]):
            due = due + dt.timedelta(days=7 + int(rng.random() * 20))
            done = (
                due
                if due < today and (case.resolution in ("resolved", "submitted") or rng.random() < 0.8)
                else None
            )
            milestones.append((case.id, title, due, done, order, ctx.clerk_pk, now))
    day = _day_text if connection.vendor == "sqlite" else (lambda v: v)
    return [
        (TaskForceMember, ["case_id", "person_id", "role", "is_leader", "order"], members),
        (
            CasePlan,
            [
                "case_id",
                "judgements",
                "measures",
                "rebound_measures",
                "updated_at",
                "updated_by_id",
                "version",
            ],
            plans,
        ),
        (
            Milestone,
            ["case_id", "title", "due_on", "done_on", "order", "created_by_id", "created_at"],
            [(c, t, day(d), day(x), o, u, n) for c, t, d, x, o, u, n in milestones],
        ),
    ]


def _notice_rows(ctx, built, rng) -> tuple:
    """双向交办: the assignment notices to the village and the line, most of them acknowledged."""
    from xinfang.notices.choices import NoticeTarget
    from xinfang.notices.models import AssignmentNotice
    from xinfang.notices.services import requirements_for

    town = ctx.town
    village_text = requirements_for(SimpleNamespace(town=town, objection_due=None), NoticeTarget.VILLAGE)
    hours = dt.timedelta(hours=town.notice_ack_hours)
    line_texts = {}
    now = ctx.now
    stamp = _stamper()
    rows = []
    for case, _, _, _ in built:
        sent = case.assigned_at
        if sent is None:
            continue
        line_text = line_texts.get(case.objection_due)
        if line_text is None:
            line_text = line_texts[case.objection_due] = requirements_for(
                SimpleNamespace(town=town, objection_due=case.objection_due), NoticeTarget.DEPARTMENT
            )
        for target, key, text in (
            (NoticeTarget.VILLAGE, ("v", case.village_id), village_text),
            (NoticeTarget.DEPARTMENT, ("d", case.lead_department_id), line_text),
        ):
            if key[1] is None:
                continue
            acked = sent + dt.timedelta(hours=1 + rng.random() * 30)
            # old notices were all signed in the end; a few of the last days' are still waiting
            done = acked < now and (sent < now - dt.timedelta(days=5) or rng.random() < 0.6)
            rows.append(
                (
                    case.id,
                    str(target),
                    key[1] if target == NoticeTarget.VILLAGE else None,
                    key[1] if target == NoticeTarget.DEPARTMENT else None,
                    text,
                    stamp(sent),
                    ctx.clerk_pk,
                    stamp(sent + hours),
                    stamp(acked) if done else None,
                    ctx.unit_users.get(key) if done else None,
                    "",  # no objections in the generated history: nothing withdrawn
                    "{}",  # no snapshot: the 交办单 shows the case as it is
                )
            )
    columns = [
        "case_id",
        "target",
        "village_id",
        "department_id",
        "requirements",
        "sent_at",
        "sent_by_id",
        "ack_due_at",
        "acknowledged_at",
        "acknowledged_by_id",
        "withdrawn_reason",
        "snapshot",
    ]
    return AssignmentNotice, columns, rows


def _owner(case, town, village, category, responsible):
    """The owner by the town's ownership rules, from objects already loaded. Where the rules leave
    it to the joint meeting, or name nobody, the generated history has the office decide."""
    line = category.lead._line_leader
    rule, leader, why = ownership_decide(
        case, town=town, village=village, category=category, line_leader=line, responsible=responsible
    )
    if rule == JOINT_MEETING:
        return line or village.contact_leader, OVERRIDE, "特殊及重大信访事项，经联席会议确定包案领导。"
    if leader is None:
        owner = village.contact_leader
        return owner, OVERRIDE, f"配置中没有分管该条线的镇领导，由联系{village.name}的{owner.name}包案。"
    return leader, rule, why


def _campaign(case, life, day, rng, events, moment, clerk, dept) -> None:
    """稳控, then often 化解 with evidence and the office's check: its own dates, beside the
    statutory path, which goes on whatever happens here."""
    try:
        day = life.after(day, 2, 15)
        case.resolution, case.stabilized_on = Res.STABILIZED, day
        case.last_progress, case.last_progress_on = "信访人情绪稳定，专班每周走访", day
        events.append((Ev.STABILIZED, moment(day), dept, {"text": case.last_progress}))
        if rng.random() < 0.25:
            return
        day = life.after(day, 5, 40)
        case.resolution_before, case.resolution = Res.STABILIZED, Res.SUBMITTED
        case.resolution_submitted_on = case.resolution_signed_on = day
        case.last_progress, case.last_progress_on = "双方签订调解协议书，信访人承诺停访息诉", day
        events.append((Ev.RESOLVE_SUBMITTED, moment(day), dept, {"text": case.last_progress}))
        day = life.after(day, 1, 6)
        case.resolution, case.resolved_on = Res.RESOLVED, day
        events.append((Ev.VERIFIED, moment(day), clerk, {"on": day.isoformat()}))
    except _Stop:
        return


def _deliver(case, life, day, rng, town, request_days, events, moment, user) -> dt.date:
    """送达: the windows for rating and review open on the day the petitioner receives the opinion."""
    day = life.after(day, 0, 3)
    case.delivered_on, case.delivery_way = day, rng.choice([DeliveryWay.IN_PERSON] * 3 + [DeliveryWay.POST])
    case.rating_due = add_calendar_days(day, town.rating_window_days)
    case.review_request_due = add_calendar_days(day, request_days)
    events.append((Ev.DELIVERED, moment(day), user, {"delivered_on": day.isoformat()}))
    return day


def _live(case, life, rng, today, limits, town, village, category, events, responsible, moment, clerk, dept):
    """Moves the case along its life until today; fields and events as the services would write."""
    day = case.received_at.date()  # generated in the town's time
    try:
        day = life.after(day, 0, 6)
        if rng.random() < 0.05:
            case.state = St.NOT_ACCEPTED
            case.not_accepted_reason = "该事项已进入诉讼程序，应通过司法途径解决"
            events.append((Ev.NOT_ACCEPTED, moment(day), clerk, {"reason": case.not_accepted_reason}))
            return
        case.state, case.accepted_on = St.ACCEPTED, day
        case.handling_due = add_calendar_days(day, limits.handling_days)
        events.append((Ev.ACCEPTED, moment(day), clerk, {"handling_due": case.handling_due.isoformat()}))

        day = life.after(day, 0, 4)
        people = responsible_for(village, category.lead)
        leader, rule, why = _owner(case, town, village, category, people)
        case.owner_rule, case.owner_explanation = rule, why
        case.state, case.assigned_on = St.ASSIGNED, day
        case.objection_due = add_working_days(day, limits.misroute_objection_working_days)
        case.lead_department_id, case.lead_leader_id = category.lead_id, leader.pk if leader else None
        owner = leader.name if leader else "包案领导"
        unit = category.lead.name if category.lead else "牵头部门"
        case.plan = f"由{owner}牵头，{unit}负责，村组配合入户做工作，依法依规解决。"
        case.resolve_by = case.handling_due
        case.responsible_label = "、".join(p.name for p in people)
        responsible += [p.pk for p in people]
        events.append((Ev.ASSIGNED, moment(day), clerk, {"lead_leader": leader.name if leader else ""}))

        for _ in range(rng.randint(1, 3)):
            day = life.after(day, 3, 18)
            case.state = St.HANDLING
            case.last_progress, case.last_progress_on = rng.choice(PROGRESS), day
            events.append((Ev.PROGRESS, moment(day), dept, {"text": case.last_progress}))
        if rng.random() < 0.1:
            day = life.after(day, 2, 10)
            case.state, case.extension_days, case.extended_on = St.EXTENDED, rng.choice([15, 20, 30]), day
            case.extension_reason, case.extension_approved_by = "情况复杂，需进一步调查核实", "单位负责人"
            case.handling_due = add_calendar_days(
                case.accepted_on, limits.handling_days + case.extension_days
            )
            case.resolve_by = case.handling_due
            events.append((Ev.EXTENDED, moment(day), dept, {"days": case.extension_days}))

        if rng.random() < 0.3:  # the campaign track, beside the statutory one
            _campaign(case, life, day, rng, events, moment, clerk, dept)

        day = life.after(day, 5, 40)
        case.state, case.replied_on = St.REPLIED, day
        case.decision = rng.choice([Decision.SUPPORT] * 3 + [Decision.EXPLAIN] * 2 + [Decision.REJECT])
        case.reply_facts, case.reply_basis = "经调查核实，情况基本属实。", "《信访工作条例》及相关政策规定"
        events.append((Ev.REPLIED, moment(day), dept, {"decision": Decision(case.decision).label}))
        day = _deliver(case, life, day, rng, town, limits.review_request_days, events, moment, dept)

        if rng.random() < 0.85:
            day = life.after(day, 1, min(20, town.rating_window_days))
            unhappy = rng.random() < 0.08
            case.state, case.rated_on = St.RATED, day
            case.office_rating = Rating.SATISFIED if rng.random() < 0.8 else Rating.BASIC
            case.unit_rating = (
                Rating.DISSATISFIED if unhappy else rng.choice([Rating.SATISFIED] * 4 + [Rating.BASIC])
            )
            case.rating_reason = "认为补偿标准偏低" if unhappy else ""
            events.append((Ev.RATED, moment(day), clerk, {"unit_rating": Rating(case.unit_rating).label}))
            if unhappy and rng.random() < 0.7:
                day = life.after(day, 1, 10)
                case.state, case.review_stage, case.review_requested_on = St.REVIEW, 1, day
                case.review_due = add_calendar_days(day, limits.review_answer_days)
                events.append((Ev.REVIEW_REQUESTED, moment(day), clerk, {"reason": case.rating_reason}))
                day = life.after(day, 5, 28)
                case.state, case.replied_on, case.review_due = St.REPLIED, day, None
                case.office_rating = case.unit_rating = case.rating_reason = ""
                case.rated_on = case.delivered_on = case.rating_due = case.review_request_due = None
                events.append((Ev.REVIEW_ANSWERED, moment(day), clerk, {"decision": "解释说明"}))
                days = limits.re_review_request_days
                day = _deliver(case, life, day, rng, town, days, events, moment, clerk)
        close_from = case.review_request_due + dt.timedelta(days=1)
        if case.state == St.RATED and Rating.DISSATISFIED not in (case.office_rating, case.unit_rating):
            close_from = case.rated_on
        day = life.after(max(day, close_from), 0, 10)
        case.state, case.closed_on = St.CLOSED, day
        events.append((Ev.CLOSED, moment(day), clerk, {"on": day.isoformat()}))
    except _Stop:
        return
