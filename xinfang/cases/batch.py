"""集中交办: the office assigns a selection of accepted cases in one step. Each case is shown with the
proposal the ownership rules give it (owner, lead department, responsible persons, deadline) and goes
through the ordinary assignment (transitions.case_assign) in its own transaction: a case that cannot
be assigned (waiting for the joint meeting, an accused person proposed, changed since the page was
opened, no longer accepted) is listed with the reason and the rest go through."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from xinfang.accounts.choices import Role
from xinfang.core.errors import EditConflict
from xinfang.core.scoping import scope

from .choices import CaseState
from .models import Case
from .ownership import Proposal, ownership_propose
from .transitions import TransitionForbidden, TransitionInvalid, TransitionRefused, case_assign

BATCH_MAX = 200
FIELD_LABELS = {
    "lead_leader": "包案领导",
    "lead_department": "牵头部门",
    "responsible_persons": "责任人",
    "supporting_departments": "配合部门",
    "override_reason": "改变推荐的理由",
    "resolve_by": "解决时限",
    "on": "交办日期",
}


@dataclass
class Candidate:
    case: Case
    proposal: Proposal

    @property
    def problem(self) -> str:
        """What will stop the assignment as proposed, said before the office confirms."""
        if self.proposal.waits_for_joint_meeting:
            return "待联席会议确定包案领导"
        if self.proposal.lead_leader is None:
            return "规则无法推荐包案领导，请在事项页单独交办"
        if self.proposal.lead_department is None:
            return "没有牵头部门，请在事项页单独交办"
        if not self.proposal.responsible_persons:
            return "没有可推荐的责任人，请在事项页单独交办"
        return ""


@dataclass
class Outcome:
    case_id: int
    number: str
    assigned: bool
    reason: str = ""
    lead_leader: str = ""


def batch_candidates(*, user, limit: int = BATCH_MAX) -> list[Candidate]:
    """The accepted cases waiting for assignment (已受理、待交办), the oldest deadline first."""
    cases = (
        scope(Case.objects.filter(state=CaseState.ACCEPTED), user)
        .select_related(
            "town__time_limits", "village__contact_leader", "category__lead", "lead_leader", "lead_department"
        )
        .order_by("due_on", "year", "seq")[:limit]
    )
    return [Candidate(case=c, proposal=ownership_propose(c)) for c in cases]


def _reason(exc: Exception) -> str:
    if isinstance(exc, TransitionInvalid):
        return "；".join(f"{FIELD_LABELS.get(f, f)}：{m}" for f, m in exc.errors.items())
    if isinstance(exc, Http404):
        return "事项不存在或无权查看。"
    return str(exc)


def batch_assign(*, acting_user, items: list[tuple[int, int | None]]) -> list[Outcome]:
    """Assigns each (case id, version the office saw) with its proposal; never one transaction for
    all: each case is assigned or refused on its own."""
    if getattr(acting_user, "role", None) != Role.OFFICE:
        raise PermissionDenied("集中交办由信访联席办操作，您的角色不能进行此操作。")
    if not items:
        raise ValidationError({"cases": "请至少选择一件事项。"})
    if len(items) > BATCH_MAX:
        raise ValidationError({"cases": f"一次最多交办 {BATCH_MAX} 件，请分批进行。"})
    numbers = dict(
        scope(Case.objects.filter(pk__in=[i for i, _ in items]), acting_user).values_list("pk", "number")
    )
    outcomes = []
    for case_id, version in dict.fromkeys(items):
        try:
            case = case_assign(case_id=case_id, acting_user=acting_user, expected_version=version)
        except (TransitionInvalid, TransitionRefused, TransitionForbidden, EditConflict, Http404) as exc:
            outcomes.append(Outcome(case_id, numbers.get(case_id, f"编号 {case_id}"), False, _reason(exc)))
        else:
            outcomes.append(Outcome(case_id, case.number, True, lead_leader=case.lead_leader.name))
    return outcomes
