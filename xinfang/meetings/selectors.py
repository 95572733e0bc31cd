"""What the meeting pages and other apps read. `cadence_rows` is also read by scoring (missed
meetings) and by the warning rule: keep its name and its rows' keys."""

import datetime as dt
from collections import Counter

from django.db.models import Q
from django.utils import timezone

from xinfang.cases.models import Case
from xinfang.core.scoping import get_scoped_or_404, scope
from xinfang.org.choices import CadenceHolder
from xinfang.org.models import Cadence, Person

from .choices import KIND_FOR_HOLDER, MeetingKind
from .models import Meeting, Reception, ReceptionPetition
from .periods import period_label, periods_between


def lead_leaders(town, start: dt.date, end: dt.date) -> list[Person]:
    """The 包案领导 bound by the task-force cadence in [start, end]: leaders owning a case that was
    theirs (named, not yet resolved) at some time in it."""
    owned = (
        Case.objects.filter(town=town, lead_leader__isnull=False)
        .filter(Q(assigned_on__isnull=True) | Q(assigned_on__lte=end))
        .exclude(resolved_on__lt=start)
        .values("lead_leader_id")
    )
    return list(Person.objects.filter(town=town, is_leader=True, pk__in=owned).order_by("id"))


def cadence_rows(town, start: dt.date, end: dt.date, *, today: dt.date | None = None) -> list[dict]:
    """Held against required, per cadence, per leader where the cadence binds each 包案领导, per
    period (month or quarter) that overlaps [start, end].

    Each row: code, name, holder, leader_id (None unless per leader), leader_name, period,
    period_start, period_end, label, required, held, short (held < required), ended (the period is
    over by `today`)."""
    today = today or timezone.localdate()
    cadences = list(Cadence.objects.filter(town=town).order_by("id"))
    if not cadences:
        return []
    widest = [p for c in cadences for p in periods_between(start, end, c.period)]
    first, last = min(p[0] for p in widest), max(p[1] for p in widest)
    meetings = list(
        Meeting.objects.filter(
            town=town, held_on__range=(first, last), kind__in=list(KIND_FOR_HOLDER.values())
        ).values_list("kind", "host_id", "held_on")
    )
    rows = []
    for cadence in cadences:
        kind = KIND_FOR_HOLDER.get(cadence.held_by)
        for p_start, p_end in periods_between(start, end, cadence.period):
            held_in = [(k, h) for k, h, day in meetings if k == kind and p_start <= day <= p_end]
            base = {
                "code": cadence.code,
                "name": cadence.name,
                "holder": cadence.held_by,
                "period": cadence.period,
                "period_start": p_start,
                "period_end": p_end,
                "label": period_label(p_start, cadence.period),
                "required": cadence.times,
                "ended": p_end < today,
            }
            if cadence.held_by == CadenceHolder.LEAD_LEADER:
                by_host = Counter(h for _, h in held_in)
                for leader in lead_leaders(town, p_start, p_end):
                    held = by_host.get(leader.pk, 0)
                    rows.append(
                        {
                            **base,
                            "leader_id": leader.pk,
                            "leader_name": leader.name,
                            "held": held,
                            "short": held < cadence.times,
                        }
                    )
            else:
                held = len(held_in)
                rows.append(
                    {
                        **base,
                        "leader_id": None,
                        "leader_name": "",
                        "held": held,
                        "short": held < cadence.times,
                    }
                )
    return rows


def meetings(*, user, kind: str = "", start: dt.date | None = None, end: dt.date | None = None):
    found = scope(Meeting.objects.all(), user).select_related("town", "host")
    if kind:
        found = found.filter(kind=kind)
    if start:
        found = found.filter(held_on__gte=start)
    if end:
        found = found.filter(held_on__lte=end)
    return found.order_by("-held_on", "-id")


def meeting_get(*, user, pk: int) -> Meeting:
    return get_scoped_or_404(
        Meeting.objects.select_related("town", "host", "created_by").prefetch_related(
            "attendees",
            "tasks__owner",
            "owner_decisions__lead_leader",
            "owner_decisions__lead_department",
            "owner_decisions__responsible_persons",
        ),
        user,
        pk=pk,
    )


def meeting_page(*, user, meeting: Meeting) -> dict:
    """The cases, key persons and decisions of a meeting as the reader may see them: a village
    worker reads the meeting but only their own village's cases among those discussed."""
    from xinfang.stability.models import KeyPerson

    cases = list(
        scope(Case.objects.filter(pk__in=meeting.cases.values("pk")), user).order_by("-year", "-seq")
    )
    visible = {c.pk for c in cases}
    key_persons = list(
        scope(KeyPerson.objects.filter(pk__in=meeting.key_persons.values("pk")), user).select_related(
            "petitioner"
        )
    )
    decisions = [d for d in meeting.owner_decisions.all() if d.case_id in visible]
    by_case = {c.pk: c for c in cases}
    return {
        "meeting": meeting,
        "cases": cases,
        "key_persons": key_persons,
        "owner_decisions": [
            {"decision": d, "case": by_case[d.case_id], "responsible": list(d.responsible_persons.all())}
            for d in decisions
        ],
        "tasks": list(meeting.tasks.all()),
        "attendees": list(meeting.attendees.all()),
    }


def receptions(*, user):
    return scope(Reception.objects.all(), user).select_related("leader").order_by("-held_on", "-id")


def reception_get(*, user, pk: int) -> Reception:
    return get_scoped_or_404(Reception.objects.select_related("leader", "town"), user, pk=pk)


def reception_petitions(*, user, reception: Reception) -> list:
    return list(
        scope(ReceptionPetition.objects.filter(reception=reception), user)
        .select_related("petition__case")
        .order_by("id")
    )


def kinds_for(user) -> list[tuple[str, str]]:
    return list(MeetingKind.choices)


def task_get(*, user, pk: int):
    from .models import FollowUpTask

    return get_scoped_or_404(FollowUpTask.objects.select_related("meeting"), user, pk=pk)


OPEN_FOR_MEETINGS = 500


def cases_to_discuss(*, user) -> list:
    """The cases a meeting may discuss: those not yet resolved, newest first (bounded: a meeting
    picks among the live ones)."""
    from xinfang.cases.choices import Resolution

    return list(
        scope(Case.objects.exclude(resolution=Resolution.RESOLVED), user)
        .select_related("village")
        .order_by("-year", "-seq")[:OPEN_FOR_MEETINGS]
    )


def key_persons_to_discuss(*, user) -> list:
    from xinfang.stability.models import KeyPerson

    return list(
        scope(KeyPerson.objects.all(), user).select_related("petitioner").order_by("id")[:OPEN_FOR_MEETINGS]
    )


def cases_waiting_for_joint_meeting(*, user) -> list:
    """Cases before assignment whose owner the joint meeting names (待联席会议确定), with the proposal
    (already decided ones too, so that a later meeting may change the decision)."""
    from xinfang.cases.choices import CaseState
    from xinfang.cases.ownership import JOINT_DECIDED, ownership_propose

    special = Q(is_collective=True) | Q(has_threat=True) | ~Q(skip_level="") | Q(major=True)
    found = (
        scope(Case.objects.filter(state__in=[CaseState.REGISTERED, CaseState.ACCEPTED]), user)
        .filter(special)
        .select_related("town", "village", "category__lead", "lead_leader")
        .order_by("-year", "-seq")[:OPEN_FOR_MEETINGS]
    )
    rows = []
    for case in found:
        proposal = ownership_propose(case)
        if proposal.waits_for_joint_meeting or proposal.rule == JOINT_DECIDED:
            rows.append({"case": case, "proposal": proposal, "decided": proposal.rule == JOINT_DECIDED})
    return rows


def cadence_year_grid(rows: list[dict], start: dt.date, end: dt.date) -> list[dict]:
    """The year view: one line per cadence (and per leader), one cell per period of [start, end]
    in order; None where a leader owned no case that period (not bound by the cadence)."""
    lines: dict[tuple, dict] = {}
    for r in rows:
        key = (r["code"], r["leader_id"])
        line = lines.setdefault(
            key,
            {
                "code": r["code"],
                "name": r["name"],
                "leader_name": r["leader_name"],
                "period": r["period"],
                "cells": {},
            },
        )
        line["cells"][r["period_start"]] = r
    for line in lines.values():
        periods = [p for p, _ in periods_between(start, end, line["period"])]
        line["cells"] = [line["cells"].get(p) for p in periods]
    return list(lines.values())


def reception_counts(receptions_: list, *, user) -> list:
    counts = Counter(
        scope(ReceptionPetition.objects.filter(reception__in=receptions_), user).values_list(
            "reception_id", flat=True
        )
    )
    for r in receptions_:
        r.petitions_count = counts.get(r.pk, 0)
    return receptions_


def petition_by_number(*, user, number: str):
    """The first petition of a case the user may see, by its number (分信〔2026〕0001号 or 12)."""
    from django.core.exceptions import ValidationError

    from xinfang.cases.models import Petition
    from xinfang.cases.numbering import case_number_normalize

    number = (number or "").strip()[:40]
    if not number:
        raise ValidationError({"case": "请填写事项编号。"})
    town = user.town
    text = case_number_normalize(
        number, prefix=town.case_number_prefix if town else None, year=timezone.localdate().year
    )
    case = scope(Case.objects.filter(number=text), user).first()
    petition = (
        scope(Petition.objects.filter(case=case), user)
        .select_related("case")
        .order_by("-received_at")
        .first()
        if case
        else None
    )
    if petition is None:
        raise ValidationError({"case": f"找不到事项“{number}”，请核对编号（如 分信〔2026〕0001号）。"})
    return petition
