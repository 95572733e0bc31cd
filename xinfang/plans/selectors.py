"""Reads of task forces, plans and milestones, always through the scoping function."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from xinfang.cases import rules as case_rules
from xinfang.cases.models import Case
from xinfang.core.scoping import scope

from . import rules
from .models import CasePlan, Milestone, MilestoneProgress, TaskForceMember


def task_force_list(*, user, case_id: int) -> QuerySet:
    return scope(TaskForceMember.objects.filter(case_id=case_id), user).select_related("person", "case")


def plan_get(*, user, case_id: int) -> CasePlan | None:
    return scope(CasePlan.objects.filter(case_id=case_id), user).select_related("updated_by", "case").first()


def milestone_list(*, user, case_id: int, today: dt.date | None = None) -> list[Milestone]:
    """The case's milestones by date, each with its progress and `overdue_days` (0 when not overdue,
    and for a case no longer open)."""
    today = today or timezone.localdate()
    progress = scope(MilestoneProgress.objects.all(), user).select_related("by").order_by("on", "id")
    milestones = list(
        scope(Milestone.objects.filter(case_id=case_id), user)
        .select_related("case")
        .prefetch_related(Prefetch("progress", queryset=progress, to_attr="entries"))
        .order_by("due_on", "order", "id")
    )
    for m in milestones:
        m.overdue_days = rules.overdue_days(m, today) if case_rules.in_hand(m.case, today) else 0
    return milestones


def overdue_milestones(user, *, today: dt.date | None = None, owner=None) -> QuerySet:
    """Milestones past their date and not done, on open cases in the user's scope, oldest first;
    only those of the cases `owner` (a Person) owns as 包案领导 when given."""
    today = today or timezone.localdate()
    milestones = scope(Milestone.objects.filter(rules.milestone_overdue_q(today)), user)
    if owner is not None:
        milestones = milestones.filter(case__lead_leader=owner)
    return milestones.select_related("case", "case__village", "case__lead_leader").order_by("due_on", "id")


def overdue_case_ids(case_ids, *, today: dt.date | None = None) -> set[int]:
    """Which of these cases (already found through the user's scope) have an overdue milestone: one
    query for a whole page of the ledger."""
    return set(
        Milestone.objects.filter(rules.milestone_overdue_q(today), case_id__in=list(case_ids))
        .order_by()
        .values_list("case_id", flat=True)
        .distinct()
    )


@dataclass
class Group:
    """One owner's or one village's prominent cases that lack any of the five haves."""

    key: int | None
    label: str
    cases: list = field(default_factory=list)


def five_haves_incomplete(*, user, today: dt.date | None = None, owner=None) -> list[Case]:
    """The open prominent cases in the user's scope that lack any of the five haves, each with
    `missing` (the Chinese names) and `has_overdue_milestone`, in one query; only the cases `owner`
    (a Person) owns as 包案领导 when given."""
    today = today or timezone.localdate()
    cases = scope(Case.objects.all(), user)
    if owner is not None:
        cases = cases.filter(lead_leader=owner)
    cases = rules.five_haves_incomplete(cases, today)
    cases = rules.with_overdue_milestones(cases, today)
    rows = list(cases.select_related("town", "village", "lead_leader", "category").order_by("-year", "-seq"))
    for c in rows:
        c.missing = rules.five_haves_missing(c)
    return rows


def group_by_owner(cases: list[Case]) -> list[Group]:
    """Per 包案领导, the most cases first; the cases with no owner yet last."""
    groups: dict[int | None, Group] = {}
    for c in cases:
        label = c.lead_leader.name if c.lead_leader_id else "尚未确定包案领导"
        groups.setdefault(c.lead_leader_id, Group(c.lead_leader_id, label)).cases.append(c)
    return sorted(groups.values(), key=lambda g: (g.key is None, -len(g.cases), g.label))


def group_by_village(cases: list[Case]) -> list[Group]:
    """Per village, in the town's order of villages; the cases of no village last."""
    groups: dict[int | None, Group] = {}
    for c in cases:
        label = c.village.name if c.village_id else "未明确村（居）"
        groups.setdefault(c.village_id, Group(c.village_id, label)).cases.append(c)
    order = {c.village_id: (c.village.order, c.village.name) for c in cases if c.village_id}
    return sorted(groups.values(), key=lambda g: (g.key is None, order.get(g.key, (0, ""))))
