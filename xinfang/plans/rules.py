"""The five haves (五有) and overdue milestones as pure functions of a case, and the same rules as
queryset filters so that lists never run a query per row."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from xinfang.cases import rules as case_rules

from .choices import FIVE_HAVE_NAMES, FIVE_HAVES
from .models import CasePlan, Milestone, TaskForceMember

# The annotations `with_five_haves` adds; `five_haves` reads them when present.
NOTE_MAX = 300
ANNOTATIONS = ("fh_task_force", "fh_plan", "fh_rebound_measures")


def is_prominent(case, today: dt.date | None = None) -> bool:
    """On the prominent ledger today (the cases' own rule: marked, or a backlog by now)."""
    return case_rules.on_ledger(case, today or timezone.localdate())


def prominent_q(today: dt.date | None = None) -> Q:
    return case_rules.prominent_q(today or timezone.localdate())


def _plan_q() -> Q:
    return ~Q(judgements=[]) & ~Q(measures="")


def _rebound_q() -> Q:
    return ~Q(rebound_measures="")


def _stored_plan(case) -> CasePlan | None:
    try:
        return case.case_plan
    except CasePlan.DoesNotExist:
        return None


def five_haves(case) -> dict[str, bool]:
    """包案领导、工作专班、化稳方案、解决时限、防反弹措施: which of the five the case has.

    The plan counts when its findings (三到位一处理, one or more) and its measures are filled in. Reads the
    annotations of `with_five_haves` when the case came from such a queryset; otherwise two queries.
    """
    if all(hasattr(case, name) for name in ANNOTATIONS):
        task_force, plan, rebound = (bool(getattr(case, name)) for name in ANNOTATIONS)
    else:
        stored = _stored_plan(case)
        task_force = TaskForceMember.objects.filter(case_id=case.pk).exists()
        plan = bool(stored and stored.judgements and stored.measures.strip())
        rebound = bool(stored and stored.rebound_measures.strip())
    return {
        "lead_leader": case.lead_leader_id is not None,
        "task_force": task_force,
        "plan": plan,
        "deadline": case.resolve_by is not None,
        "rebound_measures": rebound,
    }


def five_haves_missing(case) -> list[str]:
    """The Chinese names of what the case lacks, in the order of the five: ["工作专班", "防反弹措施"]."""
    have = five_haves(case)
    return [FIVE_HAVE_NAMES[key] for key, _, _ in FIVE_HAVES if not have[key]]


def with_five_haves(cases: QuerySet) -> QuerySet:
    """The cases annotated with fh_task_force, fh_plan and fh_rebound_measures (booleans, one
    EXISTS subquery each, computed in the same query as the rows)."""
    plans = CasePlan.objects.filter(case=OuterRef("pk"))
    return cases.annotate(
        fh_task_force=Exists(TaskForceMember.objects.filter(case=OuterRef("pk"))),
        fh_plan=Exists(plans.filter(_plan_q())),
        fh_rebound_measures=Exists(plans.filter(_rebound_q())),
    )


def five_haves_incomplete_q() -> Q:
    """On a queryset from `with_five_haves`: the cases that lack any of the five."""
    return (
        Q(lead_leader__isnull=True)
        | Q(fh_task_force=False)
        | Q(fh_plan=False)
        | Q(resolve_by__isnull=True)
        | Q(fh_rebound_measures=False)
    )


def five_haves_incomplete(cases: QuerySet, today: dt.date | None = None) -> QuerySet:
    """The prominent cases on the ledger among `cases` (until 对账销号, whatever the statutory state)
    that lack any of the five, annotated."""
    return with_five_haves(cases.filter(prominent_q(today))).filter(five_haves_incomplete_q())


def overdue_days(milestone, today: dt.date | None = None) -> int:
    """How many days a milestone that is not done is past its date; 0 when done or not yet due."""
    today = today or timezone.localdate()
    if milestone.done_on is not None or milestone.due_on >= today:
        return 0
    return (today - milestone.due_on).days


def milestone_overdue_q(today: dt.date | None = None, prefix: str = "") -> Q:
    """Milestones not done and past their date, on a case still in hand."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}done_on__isnull": True, f"{prefix}due_on__lt": today}) & case_rules.in_hand_q(
        today, prefix=f"{prefix}case__"
    )


def with_overdue_milestones(cases: QuerySet, today: dt.date | None = None) -> QuerySet:
    """The cases annotated with has_overdue_milestone (one EXISTS subquery in the same query)."""
    overdue = Milestone.objects.filter(milestone_overdue_q(today), case=OuterRef("pk"))
    return cases.annotate(has_overdue_milestone=Exists(overdue))


def open_milestones(case) -> list[Milestone]:
    """The case's milestones not yet done, by date."""
    return list(
        Milestone.objects.filter(case_id=case.pk, done_on__isnull=True).order_by("due_on", "order", "id")
    )


def resolve_milestones_check(*, case, explanation: str = "") -> str:
    """At 报送化解 the plan's open milestones are closed or explained. Returns "" when every milestone
    is done (or there are none), else the note to keep with the step ("未完成的工作节点：…；说明：…");
    raises ValidationError({"milestones_note": message}) when some are open and nothing explains them."""
    still_open = open_milestones(case)
    if not still_open:
        return ""
    names = "、".join(f"{m.title}（时限 {m.due_on:%Y-%m-%d}）" for m in still_open)
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError(
            {
                "milestones_note": f"化稳方案还有 {len(still_open)} 个工作节点未完成：{names}。"
                "请先在“工作节点”中标记完成，或在此说明未完成的原因。"
            }
        )
    if len(explanation) > NOTE_MAX:
        raise ValidationError(
            {"milestones_note": f"说明过长（{len(explanation)} 字），请控制在 {NOTE_MAX} 字以内。"}
        )
    return f"未完成的工作节点：{names}；说明：{explanation}"
