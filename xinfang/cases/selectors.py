"""Reads of cases, always through the scoping function."""

import datetime as dt
import re

from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.core.scoping import get_scoped_or_404, scope

from . import rules
from .choices import OPEN_STATES, Channel, Resolution
from .models import Case, Petition, Petitioner

CANDIDATE_WEEKS = 8


SORTS = {
    "-number": ("-year", "-seq"),
    "number": ("year", "seq"),
    "due": (F("due_on").asc(nulls_last=True), "-year", "-seq"),
    "-received": ("-received_at", "-id"),
    "received": ("received_at", "id"),
    "village": ("village__order", "village__name", "-year", "-seq"),
    "state": ("state", "-year", "-seq"),
    "-repeat": ("-repeat_count", "-year", "-seq"),
    # 扬言事项立即办理: threat cases first, each group by its nearest deadline.
    "threat": ("-has_threat", F("due_on").asc(nulls_last=True), "-year", "-seq"),
}
FLAGS = {
    "repeat": Q(repeat_count__gt=0),
    "collective": Q(is_collective=True),
    "skip_level": ~Q(skip_level=""),
    "threat": Q(has_threat=True),
    "rebound": Q(rebound=True),
    "law_related": Q(law_related=True),
}
LEDGER_RELATED = ("town", "village", "category", "lead_leader", "lead_department")


def ledger(*, user, filters: dict | None = None, today: dt.date | None = None):
    """The ledger (台账): every case in the user's scope, or the prominent ones, or the resolved ones,
    filtered and sorted. The page, the Excel export and the API all read it."""
    filters = filters or {}
    today = today or timezone.localdate()
    cases = scope(Case.objects.all(), user).select_related(
        "village", "category", "lead_leader", "lead_department"
    )
    view = filters.get("view") or "all"
    if view == "prominent":
        # Only 对账销号 takes a case off: closed, replied or in the courts, it stays until then.
        cases = cases.filter(rules.prominent_q(today))
    elif view == "resolved":
        cases = cases.filter(resolution=Resolution.RESOLVED)
    if q := filters.get("q"):
        cases = cases.filter(_search_q(q, user))
    state = filters.get("state")
    if state == "open":
        cases = cases.filter(rules.in_hand_q(today))
    elif state:
        cases = cases.filter(state=state)
    if resolution := filters.get("resolution"):
        cases = cases.filter(resolution=resolution)
    for name in ("town_id", "village_id", "category_id"):
        if filters.get(name):
            cases = cases.filter(**{name: filters[name]})
    if filters.get("owner_id"):
        cases = cases.filter(lead_leader_id=filters["owner_id"])
    if filters.get("department_id"):
        cases = cases.filter(lead_department_id=filters["department_id"])
    if filters.get("received_from"):
        cases = cases.filter(received_at__gte=day_start(filters["received_from"]))
    if filters.get("received_to"):
        cases = cases.filter(received_at__lt=day_start(filters["received_to"] + dt.timedelta(days=1)))
    if filters.get("due_by"):
        cases = cases.filter(rules.in_hand_q(today), due_on__lte=filters["due_by"])
    if channel := filters.get("channel"):
        cases = cases.filter(pk__in=Petition.objects.filter(channel=channel).values("case_id"))
    flag = filters.get("flag")
    if flag == "backlog":
        cases = cases.filter(rules.backlog_q(today))
    elif flag == "concluded_unresolved":
        cases = cases.filter(rules.concluded_unresolved_q(today))
    elif flag == "five_haves":
        from xinfang.plans.rules import five_haves_incomplete

        cases = five_haves_incomplete(cases, today)
    elif flag in FLAGS:
        cases = cases.filter(FLAGS[flag])
    if filters.get("overdue"):
        cases = cases.filter(rules.in_hand_q(today), due_on__lt=today)
    return cases.order_by(*SORTS.get(filters.get("sort") or "-number", SORTS["-number"]))


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of a local (Beijing) day: a range on the indexed column, not on its date."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# What the search box takes for a person's numbers: a whole ID number (18 characters, or the old 15
# digits), the last 4 to 6 of one, a whole phone number (mobile or landline), or a phone's last 4.
_ID_FULL = re.compile(r"\d{17}[\dX]|\d{15}")
_ID_TAIL = re.compile(r"\d{3,5}[\dX]")
_PHONE_FULL = re.compile(r"(?:\+?86)?1\d{10}|0\d{9,11}")


def search_kind(q: str) -> str:
    """What a search term looks up among the petitioners' personal data: "id_number", "id_tail",
    "phone" or "" (a case number, a title or a name only)."""
    term = re.sub(r"[\s-]", "", q).upper()
    if _ID_FULL.fullmatch(term):
        return "id_number"
    if _PHONE_FULL.fullmatch(term):
        return "phone"
    if _ID_TAIL.fullmatch(term):
        return "id_tail"
    return ""


def _search_q(q: str, user) -> Q:
    """The search box: a case's number, title or petitioners' names contain the term; a term of
    digits also finds the cases of the petitioners whose ID number or phone is (or ends with) it.

    People are found by an equality on an indexed column (the last four characters of the ID number
    or phone, kept by the database), so a search reads a handful of petitioners however many there
    are, and reaches their cases through their petitions. A whole ID number or phone number is
    looked up only there: no case number or title holds one, and skipping the text match spares a
    scan of every case."""
    found = Q(number__contains=q) | Q(title__contains=q) | Q(petitioner_label__contains=q)
    kind = search_kind(q)
    if not kind:
        return found
    term = re.sub(r"[\s-]", "", q).upper()
    # The cases found are scoped as always; this only keeps other towns' people out of the subquery.
    people = Petitioner.objects.all()
    if user.role != Role.COUNTY:
        people = people.filter(town_id=user.town_id)
    if kind == "id_number":
        people = people.filter(id_last4=term[-4:], id_number=term)
    elif kind == "phone":
        people = people.filter(phone_last4=term[-4:], phone__contains=term[-11:])
    else:
        matches = Q(id_last4=term[-4:], id_number__endswith=term)
        if len(term) == 4 and term.isdigit():
            matches |= Q(phone_last4=term)
        people = people.filter(matches)
    petitions = Petition.petitioners.through.objects.filter(petitioner__in=people)
    _search_audit(user, q, kind)
    by_person = Q(pk__in=petitions.values("petition__case_id"))
    return by_person if kind in ("id_number", "phone") else found | by_person


SEARCH_KINDS = {"id_number": "身份证号", "phone": "电话号码", "id_tail": "身份证号或手机号后几位"}


def _search_audit(user, q: str, kind: str) -> None:
    """A search by ID number or phone reads personal data: one audit row, with the term masked (the
    log must not become a second copy of the numbers it guards)."""
    from xinfang.audit.choices import AuditEventType
    from xinfang.audit.services import audit_record
    from xinfang.core.masking import mask_id_number, mask_phone

    term = re.sub(r"[\s-]", "", q).upper()
    shown = {"id_number": mask_id_number, "phone": mask_phone}.get(kind, lambda t: t)(term)
    audit_record(
        event=AuditEventType.VIEW_PERSONAL_DATA,
        user=user,
        detail=f"按{SEARCH_KINDS[kind]}查找信访事项：{shown}",
    )


def rows_by_id(cases, ids: list[int], today: dt.date | None = None) -> list[Case]:
    """The cases of one page, in the page's order, each marked with its five-haves gaps and whether
    a milestone of its plan is overdue. Pages are cut on ids first, so the database sorts narrow
    index entries, not whole rows (at 100,000 cases: a few milliseconds instead of forty)."""
    from xinfang.plans.rules import five_haves_missing, is_prominent, with_five_haves
    from xinfang.plans.selectors import overdue_case_ids

    if not ids:
        return []
    today = today or timezone.localdate()
    rows = with_five_haves(cases.model.objects.filter(pk__in=ids).select_related(*LEDGER_RELATED))
    found = {c.pk: c for c in rows}
    overdue = overdue_case_ids(ids, today=today)
    page = [found[pk] for pk in ids if pk in found]
    for c in page:
        c.milestone_overdue = c.pk in overdue
        c.on_ledger = is_prominent(c, today)  # a backlog (积案) included, until 对账销号
        c.concluded_unresolved = c.on_ledger and rules.concluded_unresolved(c)
        c.five_haves_gaps = five_haves_missing(c) if c.on_ledger else []
    return page


EXPORT_CHUNK = 2000


def ledger_for_export(cases, today: dt.date | None = None):
    """The ledger's cases one by one for the Excel sheet, each with what the sheet adds to the page:
    the first petition's channel and persons (`first_channel`, `first_persons`), the task force as a
    line (`task_force_text`), the rebound measures (`rebound_text`) and the five-haves gaps of a
    case on the prominent ledger (`five_haves_gaps`). The same few queries for 10 rows or 100,000:
    the rows and their annotations in one query per chunk of EXPORT_CHUNK, the task forces in one
    more per chunk."""
    from django.db.models import OuterRef, Prefetch, Subquery

    from xinfang.plans.models import CasePlan, TaskForceMember
    from xinfang.plans.rules import five_haves_missing, is_prominent, with_five_haves

    today = today or timezone.localdate()
    first = Petition.objects.filter(case=OuterRef("pk")).order_by("received_at", "id")
    rows = with_five_haves(cases).annotate(
        first_channel=Subquery(first.values("channel")[:1]),
        first_persons=Subquery(first.values("persons_count")[:1]),
        rebound_text=Subquery(CasePlan.objects.filter(case=OuterRef("pk")).values("rebound_measures")[:1]),
    )
    members = TaskForceMember.objects.select_related("person").order_by("-is_leader", "order", "id")
    rows = rows.prefetch_related(Prefetch("task_force", queryset=members, to_attr="task_force_members"))
    for c in rows.iterator(chunk_size=EXPORT_CHUNK):
        c.task_force_text = "、".join(
            f"{m.person.name}（{m.role}）" if m.role else m.person.name for m in c.task_force_members
        )
        c.on_ledger = is_prominent(c, today)
        c.five_haves_gaps = five_haves_missing(c) if c.on_ledger else []
        yield c


def ledger_page(cases, start: int, stop: int) -> list[Case]:
    return rows_by_id(cases, list(cases.values_list("pk", flat=True)[start:stop]))


def case_get(*, user, pk: int) -> Case:
    queryset = scope(Case.objects.all(), user).select_related(
        "village", "category", "town__time_limits", "lead_leader", "lead_department", "verified_by"
    )
    return get_scoped_or_404(queryset, user, pk=pk)


# How much of a long sentence the case page shows on each side of a threat phrase.
THREAT_CONTEXT = 40


def threat_findings(petitions) -> list[dict]:
    """The 扬言 of a case's petitions for its page, as plain data: each petition that is 扬言 or had
    hits, with the clerk's tick and each hit's sentence cut around the phrase (before, phrase, after),
    the false positives apart."""
    from .services import THREAT_FIELDS

    found = []
    for p in petitions:
        if not (p.threat_hits or p.threat_marked):
            continue
        hits = []
        for index, h in enumerate(p.threat_hits or []):
            at = h["start"] - h["sentence_start"]
            end = h["end"] - h["sentence_start"]
            before, after = h["sentence"][:at], h["sentence"][end:]
            hits.append(
                {
                    "index": index,
                    "phrase": h["phrase"],
                    "kind": h["kind"],
                    "field": THREAT_FIELDS.get(h.get("field", "content"), ""),
                    "before": ("…" + before[-THREAT_CONTEXT:]) if len(before) > THREAT_CONTEXT else before,
                    "after": (after[:THREAT_CONTEXT] + "…") if len(after) > THREAT_CONTEXT else after,
                    "dismissed": h.get("dismissed"),
                }
            )
        found.append(
            {
                "petition": p,
                "marked": p.threat_marked,
                "live": [h for h in hits if not h["dismissed"]],
                "dismissed": [h for h in hits if h["dismissed"]],
            }
        )
    return found


def petition_list_for_case(*, user, case: Case):
    return (
        scope(Petition.objects.filter(case=case), user)
        .prefetch_related("petitioners")
        .order_by("received_at")
    )


def repeat_candidates(*, user, id_number: str = "", village=None, category=None, exclude: Case | None = None):
    """Cases a new petition may belong to: the petitioner's own first, then the same village and
    category in recent weeks."""
    if not id_number and (village is None or category is None):
        return []  # nothing to look by (and the scoped query costs a millisecond to build)
    cases = scope(Case.objects.all(), user).select_related("village", "category")
    if exclude is not None:
        cases = cases.exclude(pk=exclude.pk)
    own = list(cases.filter(petitions__petitioners__id_number=id_number).distinct()[:10]) if id_number else []
    recent = []
    if village is not None and category is not None:
        since = timezone.now() - dt.timedelta(weeks=CANDIDATE_WEEKS)
        recent = list(
            cases.filter(Q(village=village) & Q(category=category), received_at__gte=since)
            .exclude(pk__in=[c.pk for c in own])
            .filter(state__in=OPEN_STATES)
            .order_by("-received_at")[:10]
        )
    return [(c, "本人既往事项") for c in own] + [(c, f"同村同类近{CANDIDATE_WEEKS}周事项") for c in recent]


def last_channel(*, user) -> str:
    """The channel of the last petition the clerk registered: the office mostly registers visits
    and calls, one after another, and the form starts from the channel used last (来访 for a clerk
    who has registered nothing yet). Kept by the petitions themselves, so it survives sign-outs."""
    last = Petition.objects.filter(registered_by=user).order_by("-id").values_list("channel", flat=True)
    return last.first() or Channel.VISIT


def petition_for_receipt(*, user, case: Case, petition_id: int | None = None) -> Petition:
    """The petition a registration receipt (登记回执) is printed for: the one named, or the case's
    latest, in the user's scope."""
    petitions = scope(Petition.objects.filter(case=case), user).prefetch_related("petitioners")
    if petition_id is not None:
        return get_scoped_or_404(petitions, user, pk=petition_id)
    latest = petitions.order_by("-received_at", "-id").first()
    if latest is None:
        raise Http404("该事项没有可以打印回执的信访记录")
    return latest


def petitioner_history(*, user, case: Case) -> list[Case]:
    """The other cases of the persons who petitioned on this one, newest first."""
    link = Petition.petitioners.through.objects
    people = list(link.filter(petition__case=case).values_list("petitioner_id", flat=True))
    cases = link.filter(petitioner_id__in=people).values("petition__case_id")
    return list(
        scope(Case.objects.filter(pk__in=cases), user).exclude(pk=case.pk).order_by("-received_at")[:20]
    )


def assignment_choices(*, user) -> dict:
    """What the assign form offers: departments, leaders and the town's people, all in scope; the
    people also grouped by unit for the 责任人 picker (`people_groups`: [(unit, [person, …]), …],
    each person once, under the first unit they belong to: the town's leaders, then each department
    by its head, then each village by its party head, assigned cadre and residents on staff, then
    the rest). A person's other units go with them as `units`, so that a search by either finds them."""
    from xinfang.org.models import Department, Person, Village

    people = list(scope(Person.objects.all(), user).order_by("-is_leader", "name"))
    departments = list(scope(Department.objects.all(), user).order_by("order", "id"))
    villages = list(scope(Village.objects.all(), user).order_by("order", "id"))
    by_pk = {p.pk: p for p in people}
    for p in people:
        p.units = []
    groups: list[tuple[str, list]] = [("镇党政负责人", [p for p in people if p.is_leader])]
    for p in groups[0][1]:
        p.units.append("镇党政负责人")
    units = [(d.name, [d.head_id]) for d in departments]
    for v in villages:
        staff = [v.party_head_id, v.cadre_id] + [p.pk for p in people if p.village_id == v.pk]
        units.append((v.name, staff))
    placed = {p.pk for p in groups[0][1]}
    for name, ids in units:
        members = []
        for pk in dict.fromkeys(i for i in ids if i in by_pk):
            by_pk[pk].units.append(name)
            if pk not in placed:
                placed.add(pk)
                members.append(by_pk[pk])
        if members:
            groups.append((name, members))
    rest = [p for p in people if p.pk not in placed]
    if rest:
        groups.append(("其他人员", rest))
    return {
        "departments": departments,
        "leaders": [p for p in people if p.is_leader],
        "people": people,
        "people_groups": groups,
    }


def petitioner_get(*, user, pk: int):
    from .models import Petitioner

    return get_scoped_or_404(Petitioner.objects.select_related("village"), user, pk=pk)


def petitions_of(*, user, petitioner) -> list[Petition]:
    return list(
        scope(Petition.objects.filter(petitioners=petitioner), user)
        .select_related("case", "case__village", "case__category")
        .order_by("-received_at")
    )


DESK_SIZE = 50


def desk(*, user, today: dt.date | None = None) -> dict:
    """The open cases a leader owns, or a village's, or a department leads: threats (扬言) first,
    then nearest deadline first."""
    from xinfang.accounts.choices import Role

    today = today or timezone.localdate()
    cases = scope(Case.objects.filter(rules.in_hand_q(today)), user)
    if user.role == Role.LEADER:
        cases = cases.filter(lead_leader_id=user.person_id) if user.person_id else cases.none()
    elif user.role == Role.DEPARTMENT:
        cases = cases.filter(
            Q(lead_department_id=user.department_id) | Q(supporting_departments=user.department_id)
        )
        cases = cases.distinct()
    # 扬言事项立即办理: a threat case comes before every deadline.
    ordered = cases.order_by("-has_threat", F("due_on").asc(nulls_last=True), "-year", "-seq")
    return {
        "cases": rows_by_id(cases, list(ordered.values_list("pk", flat=True)[:DESK_SIZE])),
        "count": cases.count(),
        "overdue": cases.filter(due_on__lt=today).count(),
        "due_soon": cases.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=7)).count(),
        "today": today,
    }
