import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from xinfang.cases import rules as case_rules
from xinfang.cases.models import Case
from xinfang.cases.selectors import case_get
from xinfang.core.inputs import MAX_ID
from xinfang.core.schemas import Day, ErrorOut, Flag, Id, InSchema, LongText
from xinfang.core.scoping import get_scoped_or_404, scope
from xinfang.org.models import Person

from . import rules, selectors
from .choices import Judgement
from .models import Milestone, MilestoneProgress
from .services import (
    milestone_add,
    milestone_done,
    milestone_progress_add,
    plan_save,
    task_force_set,
    task_force_version,
)

router = Router(tags=["一案一策"])
JUDGEMENT_HELP = "三到位一处理：" + "、".join(f"{value} {label}" for value, label in Judgement.choices)


class FiveHavesOut(Schema):
    lead_leader: bool = Field(..., description="包案领导")
    task_force: bool = Field(..., description="工作专班")
    plan: bool = Field(..., description="化稳方案（已作三到位一处理研判并填写措施）")
    deadline: bool = Field(..., description="解决时限")
    rebound_measures: bool = Field(..., description="防反弹措施")


def five_haves_out(case: Case) -> dict:
    """The five haves of a case for the API: {"lead_leader": true, "task_force": false, …}."""
    return rules.five_haves(case)


class MemberIn(InSchema):
    person: Id = Field(..., description="人员 id（本镇人员，见 /api/v1/config）")
    role: str = Field("", max_length=20, description="专班职务，如 组长、副组长、成员；不填按是否组长")
    is_leader: Flag = Field(False, description="是否专班组长（每个专班恰好一名）")


class TaskForceIn(InSchema):
    members: list[MemberIn] = Field(..., max_length=100)
    version: str | None = Field(
        None, max_length=64, description="读取时的 version；专班已被他人修改时拒绝保存（409），不填则不检查"
    )


class MemberOut(Schema):
    person: int
    name: str
    title: str
    role: str
    is_leader: bool


class TaskForceOut(Schema):
    case: int
    members: list[MemberOut]
    version: str = Field(..., description="专班的版本，保存时原样带回以免覆盖他人的修改")


class PlanIn(InSchema):
    judgements: list[str] = Field(
        [], max_length=4, description=f"研判结论，可多项（如 unreasonable 与 hardship）：{JUDGEMENT_HELP}"
    )
    judgement: str = Field(
        "", max_length=20, description="只有一项结论时也可只填 judgement（与 judgements 合并）"
    )
    measures: LongText = Field(..., description="化解稳控措施")
    rebound_measures: LongText = Field("", description="防反弹措施")
    version: int | None = Field(
        None,
        ge=0,
        le=MAX_ID,
        description="读取时的 version（尚无方案为 0）；方案已被他人修改时拒绝保存（409），不填则不检查",
    )


class ProgressOut(Schema):
    id: int
    milestone: int
    on: dt.date
    text: str
    by: str
    created_at: dt.datetime


class MilestoneOut(Schema):
    id: int
    case: int
    title: str
    due_on: dt.date
    done_on: dt.date | None
    overdue_days: int = Field(..., description="超期天数；已完成、未到期或事项已办结时为 0")
    progress: list[ProgressOut]


class PlanOut(Schema):
    case: int
    prominent: bool = Field(..., description="当前是否为突出问题（“五有”不全时不能报送化解）")
    judgements: list[str] = Field(..., description="研判结论（三到位一处理），可多项")
    judgement_label: str = Field(..., description="研判结论的中文，多项以“；”分隔")
    measures: str
    rebound_measures: str
    updated_at: dt.datetime | None
    updated_by: str | None
    version: int = Field(..., description="方案的版本（尚无方案为 0），保存时原样带回以免覆盖他人的修改")
    five_haves: FiveHavesOut
    missing: list[str] = Field(..., description="“五有”尚缺的项目")
    milestones: list[MilestoneOut]


class MilestoneIn(InSchema):
    title: LongText = Field(..., description="工作节点")
    due_on: Day | None = Field(..., description="完成时限")


class ProgressIn(InSchema):
    text: LongText = Field(..., description="进展情况（300 字以内）")
    on: Day | None = Field(None, description="日期，默认今天")


class DoneIn(InSchema):
    on: Day | None = Field(None, description="完成日期，默认今天")


def _progress(p: MilestoneProgress) -> dict:
    return {
        "id": p.pk,
        "milestone": p.milestone_id,
        "on": p.on,
        "text": p.text,
        "by": p.by.display_name,
        "created_at": p.created_at,
    }


def _milestone(m: Milestone, entries=None, today=None) -> dict:
    today = today or timezone.localdate()
    return {
        "id": m.pk,
        "case": m.case_id,
        "title": m.title,
        "due_on": m.due_on,
        "done_on": m.done_on,
        "overdue_days": rules.overdue_days(m, today) if case_rules.in_hand(m.case, today) else 0,
        "progress": [_progress(p) for p in (entries if entries is not None else getattr(m, "entries", []))],
    }


def _plan(user, case: Case) -> dict:
    plan = selectors.plan_get(user=user, case_id=case.pk)
    today = timezone.localdate()
    return {
        "case": case.pk,
        "prominent": rules.is_prominent(case, today),
        "judgements": plan.judgements if plan else [],
        "judgement_label": plan.judgement_text if plan else "",
        "measures": plan.measures if plan else "",
        "rebound_measures": plan.rebound_measures if plan else "",
        "updated_at": plan.updated_at if plan else None,
        "updated_by": plan.updated_by.display_name if plan and plan.updated_by_id else None,
        "version": plan.version if plan else 0,
        "five_haves": five_haves_out(case),
        "missing": rules.five_haves_missing(case),
        "milestones": [
            _milestone(m, today=today)
            for m in selectors.milestone_list(user=user, case_id=case.pk, today=today)
        ],
    }


def _task_force(user, case: Case) -> dict:
    members = list(selectors.task_force_list(user=user, case_id=case.pk))
    return {
        "case": case.pk,
        "version": task_force_version(members),
        "members": [
            {
                "person": m.person_id,
                "name": m.person.name,
                "title": m.person.title,
                "role": m.role,
                "is_leader": m.is_leader,
            }
            for m in members
        ],
    }


@router.get("/cases/{case_id}/plan", response=PlanOut, summary="化稳方案、工作节点与“五有”")
def plan_detail(request, case_id: Id):
    return _plan(request.user, case_get(user=request.user, pk=case_id))


@router.put(
    "/cases/{case_id}/plan",
    response={200: PlanOut, 403: ErrorOut, 409: ErrorOut},
    summary="保存化稳方案（三到位一处理研判、措施、防反弹措施）",
)
def plan_update(request, case_id: Id, body: PlanIn):
    data = body.model_dump()
    plan_save(case_id=case_id, acting_user=request.user, expected_version=data.pop("version"), **data)
    return _plan(request.user, case_get(user=request.user, pk=case_id))


@router.get("/cases/{case_id}/task-force", response=TaskForceOut, summary="工作专班")
def task_force_detail(request, case_id: Id):
    return _task_force(request.user, case_get(user=request.user, pk=case_id))


@router.put(
    "/cases/{case_id}/task-force",
    response={200: TaskForceOut, 403: ErrorOut, 409: ErrorOut},
    summary="设置工作专班（整体替换；恰好一名组长）",
)
def task_force_update(request, case_id: Id, body: TaskForceIn):
    case = case_get(user=request.user, pk=case_id)
    people = scope(Person.objects.all(), request.user).in_bulk([m.person for m in body.members])
    members = []
    for m in body.members:
        if m.person not in people:
            raise ValidationError({"members": f"人员 {m.person} 不存在或不在本镇。"})
        members.append((people[m.person], m.role, m.is_leader))
    task_force_set(case_id=case.pk, acting_user=request.user, members=members, expected_version=body.version)
    return _task_force(request.user, case)


@router.post(
    "/cases/{case_id}/milestones",
    response={201: MilestoneOut, 403: ErrorOut},
    summary="添加工作节点（锚定序时）",
)
def milestone_create(request, case_id: Id, body: MilestoneIn):
    milestone = milestone_add(case_id=case_id, acting_user=request.user, title=body.title, due_on=body.due_on)
    return Status(201, _milestone(milestone, entries=[]))


@router.post(
    "/milestones/{milestone_id}/progress",
    response={201: ProgressOut, 403: ErrorOut},
    summary="填报工作节点的进展",
)
def milestone_progress(request, milestone_id: Id, body: ProgressIn):
    entry = milestone_progress_add(
        milestone_id=milestone_id, acting_user=request.user, text=body.text, on=body.on
    )
    return Status(201, _progress(entry))


@router.post(
    "/milestones/{milestone_id}/done",
    response={200: MilestoneOut, 403: ErrorOut},
    summary="标记工作节点完成",
)
def milestone_complete(request, milestone_id: Id, body: DoneIn):
    milestone_done(milestone_id=milestone_id, acting_user=request.user, on=body.on)
    milestone = get_scoped_or_404(Milestone.objects.select_related("case"), request.user, pk=milestone_id)
    entries = scope(MilestoneProgress.objects.filter(milestone=milestone), request.user).select_related("by")
    return _milestone(milestone, entries=list(entries.order_by("on", "id")))


__all__ = ["FiveHavesOut", "five_haves_out", "router"]
