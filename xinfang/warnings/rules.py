"""The warning rules over the cases, the notices, the plans and stability. Each scanner reads what it
needs in a few set-based queries (no query per case) and yields findings; the engine stores what is
new. The rules of screening, meetings and supervision are registered by those apps.

A clock's subject is the case and the clock ("case:12:handling"), its state the deadline and the
stage ("2026-12-01:75"): a later stage fires again, and so does a new deadline (an extension)."""

import datetime as dt
import math
from collections import defaultdict

from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.cases.choices import UNRESOLVED, CaseState
from xinfang.cases.models import Case, Petition
from xinfang.cases.rules import HANDLING_STATES
from xinfang.notices.models import AssignmentNotice
from xinfang.org.models import Category, TimeLimits, Village
from xinfang.plans.models import Milestone
from xinfang.stability import selectors as stability_selectors
from xinfang.stability.choices import ALARMING, KEPT, FoundStatus, KeyPersonStatus
from xinfang.stability.models import KeyPerson, KeyPersonKeeper, ProtectionPeriod, StayCheck

from .choices import Level
from .models import Warning
from .registry import Finding, event_rule, params_for, rule

R = Role
STAGE_LEVELS = [Level.BLUE, Level.YELLOW, Level.ORANGE]
DEFAULT_PERCENTS = [50, 75, 90]


def _today(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


def percents_of(town) -> list[int]:
    limits = TimeLimits.objects.filter(town=town).values_list("warning_percents", flat=True).first()
    return sorted(set(limits or DEFAULT_PERCENTS))


def clock_stage(
    start: dt.date, due: dt.date, today: dt.date, percents: list[int]
) -> tuple[str, str, int] | None:
    """(stage, level, percent used) of a clock on `today`: the highest configured percentage reached
    (the last one orange, the one before yellow, earlier ones blue), or overdue (red); None before the
    first percentage."""
    if today > due:
        return "overdue", Level.RED, 100
    total = (due - start).days
    if total <= 0:
        return None
    used = math.floor((today - start).days * 100 / total)
    reached = [i for i, p in enumerate(percents) if used >= p]
    if not reached:
        return None
    i = reached[-1]
    level = STAGE_LEVELS[max(0, len(STAGE_LEVELS) - len(percents) + i)]
    return str(percents[i]), level, used


# (clock, its name, the cases whose clock runs, the start field, the deadline field).
# Not watched, on purpose: the petitioner's own windows (申请复查 review_request_due after a rating)
# and the unit's objection window (objection_due): nobody in the town has a duty running against them.
CASE_CLOCKS = [
    (
        "notify",
        "告知受理",
        Q(state=CaseState.REGISTERED, notify_due__isnull=False),
        "received_at",
        "notify_due",
    ),
    (
        "route",
        "转送交办",
        Q(state__in=[CaseState.REGISTERED, CaseState.ACCEPTED]),
        "received_at",
        "route_due",
    ),
    (
        "handling",
        "办理",
        Q(state__in=HANDLING_STATES, handling_due__isnull=False),
        "accepted_on",
        "handling_due",
    ),
    (
        "rating",
        "满意度评价",
        Q(state=CaseState.REPLIED, delivered_on__isnull=False, rating_due__isnull=False),
        "delivered_on",
        "rating_due",
    ),
    (
        "review",
        "复查（复核）答复",
        Q(state__in=[CaseState.REVIEW, CaseState.RE_REVIEW], review_due__isnull=False),
        "review_requested_on",
        "review_due",
    ),
    (
        "resolve_by",
        "化解（解决时限）",
        Q(ledger_from__isnull=False, resolution__in=UNRESOLVED, resolve_by__isnull=False)
        & ~Q(state=CaseState.NOT_ACCEPTED),
        "ledger_from",
        "resolve_by",
    ),
]


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    return value


def _responsible(town, case_ids) -> dict[int, list[int]]:
    """The 责任人 of the cases a rule found: a few hundred ids a query, or, for many, the town's
    whole table of them in one read."""
    through = Case.responsible_persons.through
    out = defaultdict(list)
    ids = sorted(set(case_ids))
    if len(ids) > 5000:
        wanted = set(ids)
        for case_id, person_id in through.objects.filter(case__town=town).values_list("case_id", "person_id"):
            if case_id in wanted:
                out[case_id].append(person_id)
        return out
    for start in range(0, len(ids), 900):
        rows = through.objects.filter(case_id__in=ids[start : start + 900]).values_list(
            "case_id", "person_id"
        )
        for case_id, person_id in rows:
            out[case_id].append(person_id)
    return out


def _clock_text(number, title, name, due, stage, used, today) -> str:
    if stage == "overdue":
        return f"{number}“{title}”{name}期限 {due:%Y-%m-%d} 已过，超期 {(today - due).days} 天，请立即办理。"
    left = (due - today).days
    return f"{number}“{title}”{name}期限 {due:%Y-%m-%d}，时限已用去 {used}%（剩 {left} 天），请抓紧办理。"


def _told_overdue(subject_prefix: str, subject_suffix: str, due_field: str):
    """EXISTS: the clock's overdue warning for its present deadline is stored already. Most clocks of
    a big town are long overdue; a second scan leaves them in the database instead of reading them
    (the unique index on rule, subject and state answers it)."""
    subject = Concat(Value(subject_prefix), Cast("pk", CharField()), Value(subject_suffix))
    state = Concat(Cast(due_field, CharField()), Value(":overdue"))
    return Exists(
        Warning.objects.filter(rule="case_clock", subject=OuterRef("_subject"), state=OuterRef("_state"))
    ), {"_subject": subject, "_state": state}


@rule("case_clock", "办理时限预警", level=Level.YELLOW, roles=(R.OFFICE, R.DEPARTMENT, R.VILLAGE))
def case_clocks(town, now):
    today = _today(now)
    percents = percents_of(town)
    for clock, name, running, start_field, due_field in CASE_CLOCKS:
        told, names = _told_overdue("case:", f":{clock}", due_field)
        cases = (
            Case.objects.filter(running, town=town)
            .annotate(**names)
            .exclude(Q(**{f"{due_field}__lt": today}) & told)
        )
        rows = cases.order_by().values_list(
            "pk",
            "number",
            "title",
            "village_id",
            "lead_department_id",
            "lead_leader_id",
            start_field,
            due_field,
        )
        found_rows = []
        for pk, number, title, village_id, department_id, leader_id, start, due in rows.iterator(
            chunk_size=5000
        ):
            start = _day(start)
            if start is None or due is None:
                continue
            found = clock_stage(start, due, today, percents)
            if found is not None:
                found_rows.append((pk, number, title, village_id, department_id, leader_id, due, found))
        responsible = _responsible(town, (r[0] for r in found_rows))
        for pk, number, title, village_id, department_id, leader_id, due, (stage, level, used) in found_rows:
            yield Finding(
                subject=f"case:{pk}:{clock}",
                state=f"{due:%Y-%m-%d}:{stage}",
                level=level,
                text=_clock_text(number, title, name, due, stage, used, today),
                case_id=pk,
                village_id=village_id,
                department_id=department_id,
                person_ids=tuple(p for p in [leader_id, *responsible.get(pk, [])] if p),
            )
    # 工作节点 of the plans (化稳方案): each milestone a clock from the day it was set to its date.
    told, names = _told_overdue("milestone:", "", "due_on")
    milestones = (
        Milestone.objects.filter(case__town=town, done_on__isnull=True, case__resolution__in=UNRESOLVED)
        .annotate(**names)
        .exclude(Q(due_on__lt=today) & told)
        .order_by()
    ).values_list(
        "pk",
        "title",
        "created_at",
        "due_on",
        "case_id",
        "case__number",
        "case__village_id",
        "case__lead_department_id",
        "case__lead_leader_id",
    )
    for pk, title, created_at, due, case_id, number, village_id, department_id, leader_id in milestones:
        found = clock_stage(_day(created_at), due, today, percents)
        if found is None:
            continue
        stage, level, used = found
        yield Finding(
            subject=f"milestone:{pk}",
            state=f"{due:%Y-%m-%d}:{stage}",
            level=level,
            text=_clock_text(number, title, "工作节点", due, stage, used, today),
            case_id=case_id,
            village_id=village_id,
            department_id=department_id,
            person_ids=(leader_id,) if leader_id else (),
        )


# 扬言: raised when the petition is registered (signals.py), not by a scan.
event_rule("threat", "扬言预警", level=Level.RED, roles=(R.OFFICE,), description="扬言事项立即办理")


def threat_finding(petition) -> Finding:
    case = petition.case
    persons = [case.lead_leader_id, *case.responsible_persons.values_list("pk", flat=True)]
    return Finding(
        subject=f"petition:{petition.pk}",
        state="threat",
        level=Level.RED,
        text=f"扬言事项立即办理：{case.number}“{case.title}”的信访（{timezone.localtime(petition.received_at):%m月%d日}）"
        "内容含扬言，请立即核实、稳控并办理。",
        case_id=case.pk,
        village_id=case.village_id,
        department_id=case.lead_department_id,
        person_ids=tuple(p for p in persons if p),
    )


@rule(
    "group_forming",
    "群体动向预警",
    level=Level.ORANGE,
    roles=(R.OFFICE, R.LEADER, R.VILLAGE),
    count=3,
    days=7,
)
def group_forming(town, now):
    """N petitions of one category from one village, or on one matter, within D days. Fires once per
    D-day period for a group (the state is the period), so a lasting group is told again a period later."""
    p = params_for(town, "group_forming")
    count, days = int(p["count"]), int(p["days"])
    period = _today(now).toordinal() // days
    # The window's petitions first, from the petitions alone (their time has no index to join on),
    # then their cases' village, category and matter: two small reads instead of a join over all.
    recent = list(
        Petition.objects.filter(received_at__gt=now - dt.timedelta(days=days), received_at__lte=now)
        .order_by()
        .values_list("case_id", flat=True)
    )
    cases = {}
    ids = sorted(set(recent))
    for start in range(0, len(ids), 900):
        for pk, village, category, matter in (
            Case.objects.filter(town=town, pk__in=ids[start : start + 900])
            .order_by()
            .values_list("pk", "village_id", "category_id", "matter")
        ):
            cases[pk] = (village, category, matter)
    by_village = defaultdict(lambda: [0, set()])
    by_matter = defaultdict(lambda: [0, set(), set()])
    for case_id in recent:
        if case_id not in cases:
            continue  # another town's
        village, category, matter = cases[case_id]
        if village and category:
            group = by_village[(village, category)]
            group[0] += 1
            group[1].add(case_id)
        if matter:
            group = by_matter[(category, matter)]
            group[0] += 1
            group[1].add(case_id)
            group[2].add(village)
    villages = dict(Village.objects.filter(town=town).values_list("pk", "name"))
    categories = dict(Category.objects.filter(town=town).values_list("pk", "name"))
    for (v, c), (n, in_cases) in sorted(by_village.items()):
        if n < count:
            continue
        yield Finding(
            subject=f"group:village:{v}:category:{c}",
            state=f"p{period}",
            text=f"{villages.get(v, '')}近 {days} 日“{categories.get(c, '')}”类信访 "
            f"{n} 次（{len(in_cases)} 件），有群体动向，请研判并提前化解。",
            village_id=v,
            url=f"/cases/?village={v}",
        )
    for (c, matter), (n, in_cases, in_villages) in sorted(by_matter.items(), key=lambda kv: str(kv[0])):
        in_villages.discard(None)
        if n < count or len(in_villages) < 2:
            continue
        yield Finding(
            subject=f"group:matter:{c}:{matter}"[:120],
            state=f"p{period}",
            text=f"近 {days} 日“{matter}”事项信访 {n} 次"
            f"（{len(in_cases)} 件，涉及 {len(in_villages)} 个村（居）），有群体动向，请研判并提前化解。",
        )


def _recent_petitions(town, now, days: int):
    return Petition.objects.filter(
        case__town=town, received_at__gt=now - dt.timedelta(days=days), received_at__lte=now
    ).values_list(
        "pk",
        "received_at",
        "skip_level",
        "case_id",
        "case__number",
        "case__title",
        "case__village_id",
        "case__lead_department_id",
        "case__lead_leader_id",
        "case__repeat_count",
    )


@rule("repeat_petition", "重复信访预警", level=Level.YELLOW, roles=(R.OFFICE, R.VILLAGE), lookback_days=3)
def repeat_petitions(town, now):
    days = int(params_for(town, "repeat_petition")["lookback_days"])
    rows = _recent_petitions(town, now, days).filter(is_repeat=True)
    for pk, at, _skip, case_id, number, title, village_id, department_id, leader_id, repeats in rows:
        yield Finding(
            subject=f"petition:{pk}",
            state="repeat",
            text=f"{number}“{title}”{timezone.localtime(at):%m月%d日}再次信访"
            f"（累计重复 {repeats} 次），请包案领导接访化解。",
            case_id=case_id,
            village_id=village_id,
            department_id=department_id,
            person_ids=(leader_id,) if leader_id else (),
        )


# The owner and the office are told of a rebound by the cases app the moment it happens (an inbox
# row); this rule puts it on the warnings board and the outside channels, so by default it names no
# roles and the inbox is not told twice.
@rule("rebound", "化解后反弹预警", level=Level.ORANGE, roles=(), lookback_days=7)
def rebounds(town, now):
    days = int(params_for(town, "rebound")["lookback_days"])
    rows = Case.objects.filter(
        town=town, rebound=True, rebound_at__gt=now - dt.timedelta(days=days), rebound_at__lte=now
    ).values_list("pk", "number", "title", "rebound_at", "village_id", "lead_department_id")
    for pk, number, title, at, village_id, department_id in rows:
        yield Finding(
            subject=f"case:{pk}:rebound",
            state=f"{at:%Y%m%d%H%M%S}",
            text=f"{number}“{title}”已化解销号，{timezone.localtime(at):%m月%d日}信访人再次信访，化解后反弹。",
            case_id=pk,
            village_id=village_id,
            department_id=department_id,
        )


SKIP_LEVEL_LEVELS = {
    "county": Level.YELLOW,
    "city": Level.ORANGE,
    "province": Level.ORANGE,
    "national": Level.RED,
}
SKIP_LEVEL_NAMES = {"county": "县", "city": "市", "province": "省", "national": "北京"}


@rule("skip_level", "越级信访预警", level=Level.ORANGE, roles=(R.OFFICE, R.LEADER), lookback_days=3)
def skip_levels(town, now):
    days = int(params_for(town, "skip_level")["lookback_days"])
    rows = _recent_petitions(town, now, days).exclude(skip_level="")
    for pk, at, skip, case_id, number, title, village_id, department_id, leader_id, _repeats in rows:
        yield Finding(
            subject=f"petition:{pk}",
            state=f"skip:{skip}",
            level=SKIP_LEVEL_LEVELS.get(skip, Level.ORANGE),
            text=f"{number}“{title}”信访人{timezone.localtime(at):%m月%d日}"
            f"越级到{SKIP_LEVEL_NAMES.get(skip, skip)}信访，"
            "请包案领导立即对接、稳控化解。",
            case_id=case_id,
            village_id=village_id,
            department_id=department_id,
            person_ids=(leader_id,) if leader_id else (),
        )


def _keepers(key_person_ids) -> dict[int, tuple[int, ...]]:
    out = defaultdict(list)
    for kp, person in KeyPersonKeeper.objects.filter(key_person_id__in=key_person_ids).values_list(
        "key_person_id", "person_id"
    ):
        out[kp].append(person)
    return {k: tuple(v) for k, v in out.items()}


@rule("key_person_lost", "重点人员失联预警", level=Level.RED, roles=(R.OFFICE, R.VILLAGE))
def key_persons_lost(town, now):
    rows = list(
        KeyPerson.objects.filter(town=town, status__in=KEPT)
        .filter(Q(status=KeyPersonStatus.LOST) | Q(last_found__in=ALARMING))
        .values_list(
            "pk", "petitioner__name", "village_id", "case_id", "status", "last_found", "last_contact_at"
        )
    )
    keepers = _keepers([r[0] for r in rows])
    for pk, name, village_id, case_id, status, found, at in rows:
        what = "失联" if status == KeyPersonStatus.LOST or found == FoundStatus.LOST else "见面时状态异常"
        yield Finding(
            subject=f"key_person:{pk}:lost",
            state=f"{what}:{at:%Y%m%d%H%M}" if at else what,
            text=f"重点人员{name}{what}"
            + (f"（最近见面 {timezone.localtime(at):%m月%d日 %H:%M}）" if at else "")
            + "，请包保专班立即查找、稳控并报告。",
            key_person_id=pk,
            case_id=case_id,
            village_id=village_id,
            person_ids=keepers.get(pk, ()),
        )


@rule(
    "key_person_contacts_short",
    "重点人员见面不足预警",
    level=Level.YELLOW,
    roles=(R.VILLAGE,),
    cadence="evening",
    from_hour=20,
)
def key_persons_contacts_short(town, now):
    """At the end of the day only (from `from_hour`, Beijing time): in the morning nobody has been met yet."""
    if timezone.localtime(now).hour < int(params_for(town, "key_person_contacts_short")["from_hour"]):
        return
    day = _today(now)
    kept = KeyPerson.objects.filter(town=town, status__in=KEPT).select_related("petitioner")
    short = [s for s in stability_selectors.standings(kept, day) if s.short]
    keepers = _keepers([s.key_person.pk for s in short])
    for s in short:
        kp = s.key_person
        yield Finding(
            subject=f"key_person:{kp.pk}:contacts",
            state=f"{day:%Y-%m-%d}",
            # In a protection period (一日三见面) a missing contact is more serious.
            level=Level.ORANGE if s.periods else None,
            text=f"重点人员{kp.petitioner.name}见面不足：要求{s.need.text}，"
            f"已见 {s.met} 次，还差 {s.missing} 次。",
            key_person_id=kp.pk,
            case_id=kp.case_id,
            village_id=kp.village_id,
            person_ids=keepers.get(kp.pk, ()),
        )


@rule(
    "key_person_outside_period",
    "保障期重点人员外出预警",
    level=Level.RED,
    roles=(R.OFFICE, R.LEADER, R.VILLAGE),
)
def key_persons_outside(town, now):
    """In a protection period in force, a key person of it who is away: marked 外出, last found away,
    or not in place at the last stay check."""
    day = _today(now)
    periods = list(ProtectionPeriod.objects.filter(town=town, start__lte=day, end__gte=day))
    for period in periods:
        members = list(
            period.key_persons.filter(status__in=KEPT).values_list(
                "pk", "petitioner__name", "village_id", "case_id", "status", "last_found"
            )
        )
        last_check = {}
        for kp, in_place, note in (
            StayCheck.objects.filter(period=period)
            .order_by("confirmed_at", "id")
            .values_list("key_person_id", "in_place", "note")
        ):
            last_check[kp] = (in_place, note)
        keepers = _keepers([m[0] for m in members])
        for pk, name, village_id, case_id, status, found in members:
            check = last_check.get(pk)
            away = (
                status == KeyPersonStatus.AWAY
                or found == FoundStatus.AWAY
                or (check is not None and not check[0])
            )
            if not away:
                continue
            yield Finding(
                subject=f"key_person:{pk}:period:{period.pk}",
                state=f"{day:%Y-%m-%d}",
                text=f"保障期“{period.name}”内重点人员{name}不在当地"
                + (f"（{check[1]}）" if check and check[1] else "")
                + "，请包保专班立即落实去向、劝返稳控。",
                key_person_id=pk,
                case_id=case_id,
                village_id=village_id,
                person_ids=keepers.get(pk, ()),
            )


@rule(
    "notice_unacknowledged",
    "交办单超时未签收预警",
    level=Level.ORANGE,
    roles=(R.OFFICE, R.VILLAGE, R.DEPARTMENT),
)
def notices_unacknowledged(town, now):
    rows = AssignmentNotice.objects.filter(
        case__town=town, acknowledged_at__isnull=True, withdrawn_at__isnull=True, ack_due_at__lt=now
    ).values_list(
        "pk", "sent_at", "ack_due_at", "case_id", "case__number", "case__title", "village_id", "department_id"
    )
    for pk, sent, due, case_id, number, title, village_id, department_id in rows:
        yield Finding(
            subject=f"notice:{pk}",
            state="overdue",
            text=f"{number}“{title}”的交办单 {timezone.localtime(sent):%m月%d日 %H:%M} 发出，"
            f"签收时限 {timezone.localtime(due):%m月%d日 %H:%M} 已过仍未签收，请立即签收办理。",
            case_id=case_id,
            village_id=village_id,
            department_id=department_id,
            url="/notices/",
        )
