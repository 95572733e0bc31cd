"""The state machine: one service per transition. Each checks the role, the state, its own input and
the version the user saw, then writes the change, the case event and the audit row in one
transaction, or refuses in Chinese and writes nothing.

`case_act` is the one entry for the API and the case page: it turns the submitted fields (strings
from a form or JSON) into the service's arguments, so both answer the same messages.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core.errors import EditConflict
from xinfang.core.scoping import get_scoped_or_404, scope
from xinfang.notices.services import notices_send, notices_withdraw
from xinfang.org.models import Department, Person
from xinfang.workcal.services import add_calendar_days, add_working_days

from . import rules
from .choices import (
    ACTIVE_STATES,
    CAMPAIGN_STATES,
    OPEN_STATES,
    CaseEventType,
    CaseState,
    Decision,
    DeliveryWay,
    Rating,
    Resolution,
)
from .models import Case, CaseEvent
from .ownership import OVERRIDE, accused_conflicts, ownership_propose
from .signals import case_changed

PROGRESS_MAX = 300


class TransitionRefused(Exception):
    """The case is not in a state that allows this step (409)."""


class TransitionForbidden(Exception):
    """The user's role does not take this step (403)."""


class TransitionInvalid(Exception):
    """The step's own input is wrong (422); `errors` maps fields to Chinese messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(errors.values()))


def _allow(user, action: str) -> None:
    """Each step checks its own role rule, whoever calls it (page, API, import, job)."""
    spec = ACTIONS[action]
    if getattr(user, "role", None) not in spec.roles:
        whom = "、".join(Role(r).label for r in Role.values if r in spec.roles)
        raise TransitionForbidden(f"“{spec.label}”由{whom}操作，您的角色不能进行此操作。")


def _locked(case_id: int, user, expected_version: int | None, action: str) -> Case:
    _allow(user, action)
    queryset = Case.objects.select_for_update(of=("self",)).select_related("town__time_limits")
    case = get_scoped_or_404(queryset, user, pk=case_id)
    if expected_version is not None and case.version != expected_version:
        raise EditConflict(
            f"该事项在您打开之后已被他人修改（您看到的是第 {expected_version} 版，"
            f"现在是第 {case.version} 版），为避免覆盖他人的工作，本次操作未保存。"
            "请刷新页面查看最新情况后再操作。"
        )
    return case


def _require(case: Case, allowed, action: str) -> None:
    if case.state not in allowed:
        names = "、".join(CaseState(s).label for s in CaseState.values if s in allowed)
        raise TransitionRefused(
            f"当前办理状态为“{case.get_state_display()}”，不能{action}"
            f"（只有办理状态为“{names}”的事项可以{action}）。"
        )


def _in_hand(case: Case) -> bool:
    """Past assignment and still somebody's work: on the statutory path, or not yet resolved."""
    return case.state in ACTIVE_STATES or (
        case.state in CAMPAIGN_STATES and case.resolution != Resolution.RESOLVED
    )


def _require_in_hand(case: Case, action: str) -> None:
    if not _in_hand(case):
        raise TransitionRefused(
            f"当前办理状态为“{case.get_state_display()}”、化解状态为“{case.get_resolution_display()}”，"
            f"不能{action}（只有已交办、尚在办理或尚未化解的事项可以{action}）。"
        )


def _require_resolution(case: Case, allowed, action: str) -> None:
    if case.resolution not in allowed:
        names = "、".join(Resolution(s).label for s in Resolution.values if s in allowed)
        raise TransitionRefused(
            f"当前化解状态为“{case.get_resolution_display()}”，不能{action}"
            f"（只有化解状态为“{names}”的事项可以{action}）。"
        )


def _day(
    on: dt.date | None,
    case: Case,
    *,
    field: str = "on",
    not_before: dt.date | None = None,
    since: str = "收到信访的日期",
) -> dt.date:
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise TransitionInvalid({field: "日期不能晚于今天。"})
    earliest = not_before or timezone.localtime(case.received_at).date()
    if on < earliest:
        raise TransitionInvalid({field: f"日期不能早于{since}（{earliest:%Y-%m-%d}）。"})
    return on


def _record(case: Case, *, user, kind: str, data: dict, old_state: str, old_resolution: str = "") -> None:
    rules.derive(case, case.town, timezone.localdate())
    case.version += 1
    case.save()
    CaseEvent.objects.create(case=case, kind=kind, at=timezone.now(), user=user, data=data)
    case_changed.send(sender=Case, case=case)
    old, new = {"state": old_state}, {"state": case.state}
    if old_resolution and old_resolution != case.resolution:
        old["resolution"], new["resolution"] = old_resolution, case.resolution
    audit_record(
        event=AuditEventType.UPDATE,
        user=user,
        target=case,
        old=old,
        new={**new, **data},
        detail=CaseEventType(kind).label,
    )


def _handling_due(case: Case) -> dt.date:
    limits = case.town.time_limits
    return add_calendar_days(case.accepted_on, limits.handling_days + case.extension_days + case.paused_days)


def _text(value: str, field: str, message: str, *, limit: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise TransitionInvalid({field: message})
    if limit and len(value) > limit:
        raise TransitionInvalid({field: f"内容过长（{len(value)} 字），请控制在 {limit} 字以内。"})
    return value


# --- registration to assignment -------------------------------------------------------------


@transaction.atomic
def case_accept(*, case_id: int, acting_user, expected_version=None, on: dt.date | None = None) -> Case:
    case = _locked(case_id, acting_user, expected_version, "accept")
    _require(case, {CaseState.REGISTERED}, "受理")
    on = _day(on, case)
    old = case.state
    case.state = CaseState.ACCEPTED
    case.accepted_on = on
    case.handling_due = _handling_due(case)
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.ACCEPTED,
        data={"accepted_on": on.isoformat(), "handling_due": case.handling_due.isoformat()},
        old_state=old,
    )
    return case


@transaction.atomic
def case_not_accept(*, case_id: int, acting_user, reason: str, expected_version=None) -> Case:
    case = _locked(case_id, acting_user, expected_version, "not_accept")
    _require(case, {CaseState.REGISTERED}, "作出不予受理决定")
    reason = _text(reason, "reason", "请填写不予受理的理由（将写入不予受理告知书）。")
    old = case.state
    case.state = CaseState.NOT_ACCEPTED
    case.not_accepted_reason = reason
    _record(case, user=acting_user, kind=CaseEventType.NOT_ACCEPTED, data={"reason": reason}, old_state=old)
    return case


@transaction.atomic
def case_assign(
    *,
    case_id: int,
    acting_user,
    lead_department: Department | None = None,
    lead_leader: Person | None = None,
    responsible_persons: list[Person] | None = None,
    supporting_departments: list[Department] | None = None,
    override_reason: str = "",
    plan: str = "",
    resolve_by: dt.date | None = None,
    on: dt.date | None = None,
    expected_version=None,
) -> Case:
    """交办: the owner (包案领导), the lead and supporting departments, the responsible persons and the
    plan. Whatever the office leaves out comes from the ownership rules; choosing another owner than
    the rules propose needs a reason, which is kept with the case and audited."""
    case = _locked(case_id, acting_user, expected_version, "assign")
    _require(case, {CaseState.ACCEPTED}, "交办")
    on = _day(on, case, not_before=case.accepted_on, since="受理日期")
    proposal = ownership_propose(case)
    lead_leader = lead_leader or proposal.lead_leader
    lead_department = lead_department or proposal.lead_department
    responsible_persons = list(responsible_persons or proposal.responsible_persons)
    if supporting_departments is None:
        supporting_departments = proposal.supporting_departments
    override_reason = (override_reason or "").strip()
    overridden = lead_leader is not None and lead_leader != proposal.lead_leader
    errors = {}
    if lead_department is None:
        errors["lead_department"] = "请选择牵头部门。"
    if lead_leader is None:
        errors["lead_leader"] = (
            "该事项属于特殊及重大信访事项，包案领导须由联席会议确定：请选择联席会议确定的包案领导，"
            "并在“改变推荐的理由”中注明会议日期。"
            if proposal.waits_for_joint_meeting
            else "请选择包案领导。"
        )
    elif not lead_leader.is_leader:
        errors["lead_leader"] = f"{lead_leader.name}不是镇党政负责人，不能担任包案领导。"
    elif overridden and not override_reason:
        proposed = proposal.lead_leader.name if proposal.lead_leader else "待联席会议确定"
        errors["override_reason"] = (
            f"规则推荐的包案领导是{proposed}，您选择了{lead_leader.name}：请写明改变推荐的理由（将记入审计日志）。"
        )
    if not responsible_persons:
        errors["responsible_persons"] = "请至少选择一名责任人。"
    if resolve_by is not None and resolve_by < on:
        errors["resolve_by"] = "解决时限不能早于交办日期。"
    for obj in [lead_department, lead_leader, *responsible_persons, *supporting_departments]:
        if obj is not None and obj.town_id != case.town_id:
            errors["lead_department"] = "所选部门或人员不属于本镇。"
    # 回避: an override cannot hand an accusation to whom it accuses (《信访工作条例》第三十条).
    for field, message in accused_conflicts(
        case,
        lead_leader=lead_leader,
        lead_department=lead_department,
        responsible_persons=responsible_persons,
        supporting_departments=supporting_departments,
    ).items():
        errors.setdefault(field, message)
    if errors:
        raise TransitionInvalid(errors)
    old = case.state
    case.state = CaseState.ASSIGNED
    case.assigned_on = on
    case.objection_due = add_working_days(on, case.town.time_limits.misroute_objection_working_days)
    case.lead_department = lead_department
    case.lead_leader = lead_leader
    if overridden:
        case.owner_rule = OVERRIDE
        case.owner_explanation = (
            f"联席办指定{lead_leader.name}包案：{override_reason}（规则推荐：{proposal.explanation}）"
        )
    else:
        case.owner_rule, case.owner_explanation = proposal.rule, proposal.explanation
    case.plan = (plan or "").strip()
    case.resolve_by = resolve_by or case.handling_due
    case.responsible_label = "、".join(p.name for p in responsible_persons)[:200]
    data = {
        "lead_department": lead_department.name,
        "lead_leader": lead_leader.name,
        "responsible_persons": [p.name for p in responsible_persons],
        "supporting_departments": [d.name for d in supporting_departments],
        "rule": case.owner_rule,
        "resolve_by": case.resolve_by.isoformat(),
        "objection_due": case.objection_due.isoformat(),
    }
    if overridden:
        data["override_reason"] = override_reason
        data["proposed_leader"] = proposal.lead_leader.name if proposal.lead_leader else ""
    _record(case, user=acting_user, kind=CaseEventType.ASSIGNED, data=data, old_state=old)
    case.responsible_persons.set(responsible_persons)
    case.supporting_departments.set(supporting_departments)
    notices_send(case=case, acting_user=acting_user)  # 双向交办: the notices to the village and the line
    return case


@transaction.atomic
def case_set_resolve_by(
    *, case_id: int, acting_user, resolve_by: dt.date | None, reason: str, expected_version=None
) -> Case:
    """调整解决时限: the office moves the date set at assignment (the joint meeting or the owner's
    plan asks for another), with a reason; the statutory handling limit is not touched by this."""
    case = _locked(case_id, acting_user, expected_version, "set_resolve_by")
    _require_in_hand(case, "调整解决时限")
    if resolve_by is None:
        raise TransitionInvalid({"resolve_by": "请填写新的解决时限。"})
    today = timezone.localdate()
    if resolve_by < today:
        raise TransitionInvalid({"resolve_by": f"新的解决时限不能早于今天（{today:%Y-%m-%d}）。"})
    if resolve_by == case.resolve_by:
        raise TransitionInvalid({"resolve_by": f"解决时限已是 {resolve_by:%Y-%m-%d}，无需调整。"})
    reason = _text(reason, "reason", "请说明调整解决时限的理由（如联席会议决定、化稳方案调整）。", limit=200)
    old, before = case.state, case.resolve_by
    case.resolve_by = resolve_by
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.RESOLVE_BY_CHANGED,
        data={
            "text": f"解决时限由 {before:%Y-%m-%d} 调整为 {resolve_by:%Y-%m-%d}" if before else "",
            "resolve_by": resolve_by.isoformat(),
            "reason": reason,
        },
        old_state=old,
    )
    return case


@transaction.atomic
def case_mark_major(*, case_id: int, acting_user, reason: str, expected_version=None) -> Case:
    """特殊重大事项: where the town's rules say so, its owner is then named by the joint meeting."""
    case = _locked(case_id, acting_user, expected_version, "mark_major")
    if case.major:
        raise TransitionRefused("该事项已标记为特殊重大事项。")
    reason = _text(reason, "reason", "请说明标记为特殊重大事项的理由。", limit=200)
    old = case.state
    case.major = True
    _record(case, user=acting_user, kind=CaseEventType.MARKED_MAJOR, data={"reason": reason}, old_state=old)
    return case


@transaction.atomic
def case_object(*, case_id: int, acting_user, reason: str, expected_version=None) -> Case:
    """交办异议: the unit routed a matter that is not its own sends it back within the working-day limit."""
    case = _locked(case_id, acting_user, expected_version, "object")
    _require(case, {CaseState.ASSIGNED}, "提出交办异议")
    reason = _text(reason, "reason", "请说明该事项不属于本单位职责的理由。")
    if timezone.localdate() > case.objection_due:
        raise TransitionRefused(
            f"提出交办异议的期限（{case.objection_due:%Y-%m-%d}，交办后 "
            f"{case.town.time_limits.misroute_objection_working_days} 个工作日）已过，请按交办办理。"
        )
    old = case.state
    department = case.lead_department.name if case.lead_department_id else ""
    case.state = CaseState.ACCEPTED
    case.lead_department = None
    case.assigned_on = case.objection_due = None
    withdrawn = notices_withdraw(
        case=case, acting_user=acting_user, reason=f"{department or '承办单位'}提出交办异议，事项退回重新交办"
    )
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.OBJECTED,
        data={"reason": reason, "department": department, "withdrawn": [n.unit_name for n in withdrawn]},
        old_state=old,
    )
    return case


# --- handling -------------------------------------------------------------------------------


@transaction.atomic
def case_progress(
    *, case_id: int, acting_user, text: str, on: dt.date | None = None, expected_version=None
) -> Case:
    case = _locked(case_id, acting_user, expected_version, "progress")
    _require_in_hand(case, "填报办理进展")
    text = _text(text, "text", "请填写办理进展。", limit=PROGRESS_MAX)
    on = _day(on, case, not_before=case.assigned_on, since="交办日期")
    old = case.state
    if case.state == CaseState.ASSIGNED:
        case.state = CaseState.HANDLING
    case.last_progress, case.last_progress_on = text, on
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.PROGRESS,
        data={"on": on.isoformat(), "text": text},
        old_state=old,
    )
    return case


@transaction.atomic
def case_extend(
    *, case_id: int, acting_user, days: int | None, reason: str, approved_by: str, expected_version=None
) -> Case:
    """延期: once, at most the configured days, approved by the unit head, before the limit runs out."""
    case = _locked(case_id, acting_user, expected_version, "extend")
    if case.extension_days:
        raise TransitionInvalid(
            {
                "days": f"该事项已于 {case.extended_on:%Y-%m-%d} 延期 {case.extension_days} 日，"
                "办理期限只能延长一次。"
            }
        )
    _require(case, {CaseState.ASSIGNED, CaseState.HANDLING}, "延期")
    most = case.town.time_limits.extension_max_days
    errors = {}
    if not days or days < 1 or days > most:
        errors["days"] = f"延期天数应为 1 至 {most} 日。"
    if not (reason or "").strip():
        errors["reason"] = "请填写延期理由（将写入延期告知书）。"
    if not (approved_by or "").strip():
        errors["approved_by"] = "请填写批准延期的单位负责人。"
    if errors:
        raise TransitionInvalid(errors)
    today = timezone.localdate()
    if today > case.handling_due:
        raise TransitionRefused(f"办理期限已于 {case.handling_due:%Y-%m-%d} 届满，不能再延期，请尽快办结。")
    old = case.state
    case.state = CaseState.EXTENDED
    case.extension_days, case.extended_on = days, today
    case.extension_reason, case.extension_approved_by = reason.strip(), approved_by.strip()
    case.handling_due = _handling_due(case)
    if case.resolve_by and case.resolve_by < case.handling_due:
        case.resolve_by = case.handling_due
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.EXTENDED,
        data={
            "days": days,
            "reason": case.extension_reason,
            "approved_by": case.extension_approved_by,
            "handling_due": case.handling_due.isoformat(),
        },
        old_state=old,
    )
    return case


HEARING_STATES = frozenset(
    {CaseState.ASSIGNED, CaseState.HANDLING, CaseState.EXTENDED, CaseState.REVIEW, CaseState.RE_REVIEW}
)


@transaction.atomic
def case_hearing(*, case_id: int, acting_user, on: dt.date | None = None, expected_version=None) -> Case:
    """听证开始: the clock stops until the hearing ends (听证时间不计入期限)."""
    case = _locked(case_id, acting_user, expected_version, "hearing")
    _require(case, HEARING_STATES, "组织听证")
    if case.paused_since:
        raise TransitionRefused(f"该事项自 {case.paused_since:%Y-%m-%d} 起已在听证中。")
    on = _day(on, case)
    old = case.state
    case.paused_since = on
    _record(case, user=acting_user, kind=CaseEventType.HEARING, data={"on": on.isoformat()}, old_state=old)
    return case


@transaction.atomic
def case_hearing_end(*, case_id: int, acting_user, on: dt.date | None = None, expected_version=None) -> Case:
    case = _locked(case_id, acting_user, expected_version, "hearing_end")
    if not case.paused_since:
        raise TransitionRefused("该事项没有正在进行的听证。")
    on = _day(on, case, not_before=case.paused_since, since="听证开始日期")
    days = (on - case.paused_since).days
    old = case.state
    case.paused_days += days
    case.paused_since = None
    if case.state in (CaseState.REVIEW, CaseState.RE_REVIEW):
        case.review_due = _review_due(case)
        due = case.review_due
    else:
        case.handling_due = _handling_due(case)
        due = case.handling_due
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.HEARING_END,
        data={"on": on.isoformat(), "paused_days": days, "due": due.isoformat()},
        old_state=old,
    )
    return case


# --- the written opinion, its delivery, rating, review ----------------------------------------


def _opinion(case: Case, *, decision: str, facts: str, basis: str, on: dt.date) -> dict:
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = "请选择处理意见：支持、解释说明或不予支持。"
    if not (facts or "").strip():
        errors["facts"] = "请填写认定的事实和理由。"
    if not (basis or "").strip():
        errors["basis"] = "请填写处理依据（法律、法规、政策的名称和条款）。"
    if errors:
        raise TransitionInvalid(errors)
    case.decision, case.reply_facts, case.reply_basis = decision, facts.strip(), basis.strip()
    case.replied_on = on
    # The windows open when the petitioner receives the opinion (送达), not when it is written.
    case.delivered_on, case.delivery_way = None, ""
    case.rating_due = case.review_request_due = None
    case.office_rating = case.unit_rating = case.rating_reason = ""
    case.rated_on = None
    return {"decision": Decision(decision).label, "on": on.isoformat()}


def _delivery(case: Case, *, on: dt.date | None, way: str, required: bool) -> dict:
    """送达: 《信访工作条例》第三十五条 counts the review window from the day the petitioner received
    the opinion; the rating window counts from then too, both on the working calendar (a last day
    on a holiday moves to the next working day)."""
    if on is None and not way:
        if required:
            raise TransitionInvalid({"delivered_on": "请填写处理意见书的送达日期。"})
        return {}
    errors = {}
    if on is None:
        errors["delivered_on"] = "请填写送达日期。"
    if way not in DeliveryWay.values:
        errors["delivery_way"] = "请选择送达方式：直接送达、邮寄送达、电子送达、留置送达或公告送达。"
    if errors:
        raise TransitionInvalid(errors)
    on = _day(on, case, field="delivered_on", not_before=case.replied_on, since="出具处理意见的日期")
    limits = case.town.time_limits
    request_days = limits.review_request_days if case.review_stage == 0 else limits.re_review_request_days
    case.delivered_on, case.delivery_way = on, way
    case.rating_due = add_calendar_days(on, case.town.rating_window_days)
    case.review_request_due = add_calendar_days(on, request_days)
    return {
        "delivered_on": on.isoformat(),
        "delivery_way": DeliveryWay(way).label,
        "rating_due": case.rating_due.isoformat(),
        "review_request_due": case.review_request_due.isoformat(),
    }


def _require_delivered(case: Case, action: str) -> None:
    if case.delivered_on is None:
        raise TransitionRefused(f"处理意见书尚未送达信访人，请先记录送达（日期和方式），再{action}。")


@transaction.atomic
def case_reply(
    *,
    case_id: int,
    acting_user,
    decision: str,
    facts: str,
    basis: str,
    on: dt.date | None = None,
    delivered_on: dt.date | None = None,
    delivery_way: str = "",
    expected_version=None,
) -> Case:
    """处理意见书: the request, the facts and reasons, the decision and its basis. Procedural
    completion (办结), not resolution (化解): the resolution track is untouched. When the opinion is
    handed over at once, its delivery is recorded in the same step."""
    case = _locked(case_id, acting_user, expected_version, "reply")
    _require(case, rules.HANDLING_STATES, "出具处理意见书")
    if case.paused_since:
        raise TransitionRefused("听证尚未结束，请先记录听证结束再出具处理意见书。")
    on = _day(on, case, not_before=case.accepted_on, since="受理日期")
    old = case.state
    data = _opinion(case, decision=decision, facts=facts, basis=basis, on=on)
    data |= _delivery(case, on=delivered_on, way=delivery_way, required=False)
    case.state = CaseState.REPLIED
    _record(case, user=acting_user, kind=CaseEventType.REPLIED, data=data, old_state=old)
    return case


@transaction.atomic
def case_deliver(*, case_id: int, acting_user, on: dt.date | None, way: str, expected_version=None) -> Case:
    """送达处理意见书 (or the review opinion): the date the petitioner received it and how."""
    case = _locked(case_id, acting_user, expected_version, "deliver")
    _require(case, {CaseState.REPLIED}, "记录送达")
    if case.delivered_on is not None:
        raise TransitionRefused(f"处理意见书已于 {case.delivered_on:%Y-%m-%d} 送达，无需再次记录。")
    old = case.state
    data = _delivery(case, on=on, way=way, required=True)
    _record(case, user=acting_user, kind=CaseEventType.DELIVERED, data=data, old_state=old)
    return case


@transaction.atomic
def case_rate(
    *,
    case_id: int,
    acting_user,
    office_rating: str,
    unit_rating: str,
    reason: str = "",
    on: dt.date | None = None,
    expected_version=None,
) -> Case:
    """The petitioner's rating of the petition office and of the handling unit, separately."""
    case = _locked(case_id, acting_user, expected_version, "rate")
    _require(case, {CaseState.REPLIED}, "记录评价")
    _require_delivered(case, "记录评价")
    on = _day(on, case, not_before=case.delivered_on, since="送达处理意见书的日期")
    errors = {}
    for field, value, whom in (
        ("office_rating", office_rating, "信访部门"),
        ("unit_rating", unit_rating, "办理单位"),
    ):
        if value not in Rating.values:
            errors[field] = f"请选择对{whom}的评价：满意、基本满意或不满意。"
    dissatisfied = Rating.DISSATISFIED in (office_rating, unit_rating)
    if dissatisfied and not (reason or "").strip():
        errors["reason"] = "评价为不满意时，请记录信访人不满意的理由。"
    if errors:
        raise TransitionInvalid(errors)
    if on > case.rating_due:
        raise TransitionRefused(
            f"评价期限已于 {case.rating_due:%Y-%m-%d} 届满，该事项记为“超期未评价”，不能再补录评价。"
        )
    old = case.state
    case.state = CaseState.RATED
    case.office_rating, case.unit_rating, case.rating_reason = (
        office_rating,
        unit_rating,
        (reason or "").strip(),
    )
    case.rated_on = on
    data = {"office_rating": Rating(office_rating).label, "unit_rating": Rating(unit_rating).label}
    if case.rating_reason:
        data["reason"] = case.rating_reason
    _record(case, user=acting_user, kind=CaseEventType.RATED, data=data, old_state=old)
    return case


def _review_due(case: Case) -> dt.date:
    limits = case.town.time_limits
    days = limits.review_answer_days if case.review_stage == 1 else limits.re_review_answer_days
    return add_calendar_days(case.review_requested_on, days + case.paused_days)


@transaction.atomic
def case_request_review(
    *, case_id: int, acting_user, reason: str, on: dt.date | None = None, expected_version=None
) -> Case:
    """复查, then 复核: asked within the limit after the opinion was received; after re-review nothing
    more. A 涉法涉诉 matter follows 诉访分离 and goes to the legal procedure instead."""
    case = _locked(case_id, acting_user, expected_version, "request_review")
    if case.review_stage >= 2:
        raise TransitionRefused("该事项已经复核，复核意见为终结意见，同一事实和理由不再受理复查复核申请。")
    if case.law_related:
        raise TransitionRefused(
            "该事项涉法涉诉，按诉访分离不走复查复核：请引导信访人依法通过诉讼等法律程序解决，"
            "并在事项中记录“导入法律程序”。"
        )
    _require(case, {CaseState.REPLIED, CaseState.RATED}, "申请复查（复核）")
    _require_delivered(case, "记录复查（复核）申请")
    reason = _text(reason, "reason", "请记录信访人申请复查（复核）的理由。")
    on = _day(on, case, not_before=case.delivered_on, since="送达处理意见书的日期")
    what = "复查" if case.review_stage == 0 else "复核"
    if on > case.review_request_due:
        raise TransitionRefused(
            f"申请{what}的期限已于 {case.review_request_due:%Y-%m-%d} 届满"
            f"（收到处理意见书之日 {case.delivered_on:%Y-%m-%d} 起 30 日内），不予受理。"
        )
    old = case.state
    case.review_stage += 1
    case.state = CaseState.REVIEW if case.review_stage == 1 else CaseState.RE_REVIEW
    case.review_requested_on = on
    case.paused_days = 0
    case.review_due = _review_due(case)
    kind = CaseEventType.REVIEW_REQUESTED if case.review_stage == 1 else CaseEventType.RE_REVIEW_REQUESTED
    _record(
        case,
        user=acting_user,
        kind=kind,
        data={"reason": reason, "on": on.isoformat(), "review_due": case.review_due.isoformat()},
        old_state=old,
    )
    return case


@transaction.atomic
def case_review_answer(
    *,
    case_id: int,
    acting_user,
    decision: str,
    facts: str,
    basis: str,
    on: dt.date | None = None,
    delivered_on: dt.date | None = None,
    delivery_way: str = "",
    expected_version=None,
) -> Case:
    """The review opinion opens a new rating and re-review window once delivered; the re-review
    opinion is final and concludes the statutory path, not the matter."""
    case = _locked(case_id, acting_user, expected_version, "review_answer")
    _require(case, {CaseState.REVIEW, CaseState.RE_REVIEW}, "作出复查（复核）意见")
    if case.paused_since:
        raise TransitionRefused("听证尚未结束，请先记录听证结束。")
    on = _day(on, case, not_before=case.review_requested_on, since="申请复查（复核）的日期")
    old = case.state
    final = case.state == CaseState.RE_REVIEW
    data = _opinion(case, decision=decision, facts=facts, basis=basis, on=on)
    data |= _delivery(case, on=delivered_on, way=delivery_way, required=False)
    if final:
        case.state = CaseState.CLOSED
        case.closed_on = on
        case.rating_due = case.review_request_due = None  # nothing more opens after 复核
        kind = CaseEventType.RE_REVIEW_ANSWERED
    else:
        case.state = CaseState.REPLIED
        kind = CaseEventType.REVIEW_ANSWERED
    case.review_due = None
    _record(case, user=acting_user, kind=kind, data=data, old_state=old)
    return case


@transaction.atomic
def case_close(*, case_id: int, acting_user, on: dt.date | None = None, expected_version=None) -> Case:
    """办结终结: no review asked in time, or the petitioner satisfied. The same matter is then not
    accepted again (不再受理). The statutory path ends here; the resolution track does not."""
    case = _locked(case_id, acting_user, expected_version, "close")
    _require(case, {CaseState.REPLIED, CaseState.RATED}, "办结终结")
    _require_delivered(case, "办结终结")
    on = _day(on, case, not_before=case.delivered_on, since="送达处理意见书的日期")
    basic = case.town.basic_satisfied_counts
    content = case.state == CaseState.RATED and all(
        rules.satisfied(r, basic_counts=basic) for r in (case.office_rating, case.unit_rating)
    )
    if not content and on <= case.review_request_due:
        raise TransitionRefused(
            f"信访人未表示满意，申请复查（复核）的期限到 {case.review_request_due:%Y-%m-%d} 才届满，"
            "届满后方可终结。"
        )
    old = case.state
    case.state = CaseState.CLOSED
    case.closed_on = on
    _record(case, user=acting_user, kind=CaseEventType.CLOSED, data={"on": on.isoformat()}, old_state=old)
    return case


LEGAL_STATES = frozenset({CaseState.ACCEPTED}) | ACTIVE_STATES


@transaction.atomic
def case_to_legal(
    *, case_id: int, acting_user, organ: str, on: dt.date | None = None, text: str = "", expected_version=None
) -> Case:
    """诉访分离: a 涉法涉诉 matter is handed to the legal procedure (the court, procuratorate or police
    and the date) instead of 复查/复核. The statutory petition path ends; stability work and the
    resolution track go on."""
    case = _locked(case_id, acting_user, expected_version, "to_legal")
    if not case.law_related:
        raise TransitionRefused("只有涉法涉诉事项才按诉访分离导入法律程序。")
    _require(case, LEGAL_STATES, "导入法律程序")
    organ = _text(organ, "organ", "请填写导入的法律程序及机关（如：县人民法院 民事诉讼）。", limit=100)
    text = (text or "").strip()[:PROGRESS_MAX]
    on = _day(on, case)
    old = case.state
    case.state = CaseState.LEGAL
    case.legal_organ, case.legal_on = organ, on
    case.paused_since = None
    case.review_due = None
    data = {"on": on.isoformat(), "text": f"导入{organ}"}
    if text:
        data["reason"] = text
    _record(case, user=acting_user, kind=CaseEventType.TO_LEGAL, data=data, old_state=old)
    return case


# --- the campaign track ---------------------------------------------------------------------


@transaction.atomic
def case_stabilize(
    *, case_id: int, acting_user, text: str, on: dt.date | None = None, expected_version=None
) -> Case:
    """稳控: the petitioner is stable though the matter is not yet resolved. A fact beside the
    statutory path: the case's handling, opinion, rating and review go on as before."""
    case = _locked(case_id, acting_user, expected_version, "stabilize")
    _require(case, CAMPAIGN_STATES, "标记稳控")
    _require_resolution(case, {Resolution.OPEN}, "标记稳控")
    text = _text(text, "text", "请填写稳控措施和信访人目前的状态。", limit=PROGRESS_MAX)
    on = _day(on, case, not_before=case.assigned_on, since="交办日期")
    old, old_resolution = case.state, case.resolution
    case.resolution = Resolution.STABILIZED
    case.stabilized_on = on
    case.last_progress, case.last_progress_on = text, on
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.STABILIZED,
        data={"on": on.isoformat(), "text": text},
        old_state=old,
        old_resolution=old_resolution,
    )
    return case


def resolution_evidence(case: Case) -> list:
    """The agreement or commitment on file; after a rebound only what was uploaded since counts.
    The office sees the same list beside the 对账销号 form."""
    from xinfang.attachments.models import EVIDENCE_KINDS, Attachment

    files = Attachment.objects.filter(case=case, kind__in=EVIDENCE_KINDS)
    if case.rebound_at:
        files = files.filter(uploaded_at__gt=case.rebound_at)
    return list(files.select_related("uploaded_by").order_by("-uploaded_at"))


def _five_haves(case: Case) -> None:
    """A prominent case is resolved only with all five haves (五有) in place."""
    from xinfang.plans.rules import five_haves_missing, is_prominent

    if is_prominent(case) and (missing := five_haves_missing(case)):
        raise TransitionInvalid(
            {"five_haves": f"该事项为突出问题，“五有”尚缺：{'、'.join(missing)}，补齐后才能报送化解。"}
        )


def _milestones_closed(case: Case, note: str) -> str:
    """The plan's open milestones are done or explained before 报送化解 (a dated plan is not left
    hanging by a resolution)."""
    from django.core.exceptions import ValidationError

    from xinfang.plans.rules import resolve_milestones_check

    try:
        return resolve_milestones_check(case=case, explanation=note)
    except ValidationError as exc:
        raise TransitionInvalid({f: "；".join(m) for f, m in exc.message_dict.items()}) from None


@transaction.atomic
def case_resolve(
    *,
    case_id: int,
    acting_user,
    text: str,
    signed_on: dt.date | None = None,
    milestones_note: str = "",
    expected_version=None,
) -> Case:
    """报送化解: only with the agreement or commitment uploaded and its signing date; the office then
    checks it (对账销号). After a rebound, the evidence must be new: uploaded and signed since."""
    case = _locked(case_id, acting_user, expected_version, "resolve")
    _require(case, CAMPAIGN_STATES, "报送化解")
    _require_resolution(case, {Resolution.OPEN, Resolution.STABILIZED}, "报送化解")
    text = _text(text, "text", "请填写化解情况（如何解决、信访人的态度）。", limit=PROGRESS_MAX)
    _five_haves(case)
    milestones = _milestones_closed(case, milestones_note)
    evidence = resolution_evidence(case)
    if not evidence:
        raise TransitionInvalid(
            {
                "evidence": "该事项化解后又反弹，须上传反弹之后新签订的调解协议书或"
                "停诉息访承诺书，再报送化解。"
                if case.rebound_at
                else "化解须有证据：请先在“附件”中上传调解协议书或停诉息访承诺书，再报送化解。"
            }
        )
    if signed_on is None:
        raise TransitionInvalid({"signed_on": "请填写调解协议书或停诉息访承诺书的签订日期。"})
    rebound_day = timezone.localtime(case.rebound_at).date() if case.rebound_at else None
    signed_on = _day(
        signed_on,
        case,
        field="signed_on",
        not_before=rebound_day,
        since="最近一次反弹的日期（反弹之前签订的协议已经失效）" if rebound_day else "收到信访的日期",
    )
    old, old_resolution = case.state, case.resolution
    case.resolution_before = old_resolution
    case.resolution = Resolution.SUBMITTED
    case.resolution_submitted_on = timezone.localdate()
    case.resolution_signed_on = signed_on
    case.last_progress, case.last_progress_on = text, timezone.localdate()
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.RESOLVE_SUBMITTED,
        data={
            "text": text,
            "signed_on": signed_on.isoformat(),
            "evidence": [a.name for a in evidence],
            **({"reason": milestones} if milestones else {}),
        },
        old_state=old,
        old_resolution=old_resolution,
    )
    return case


@transaction.atomic
def case_verify(*, case_id: int, acting_user, approve: bool, reason: str = "", expected_version=None) -> Case:
    """对账销号: the office checks the evidence; approved, the case leaves the prominent ledger for
    已化解·防反弹, whatever its statutory state."""
    case = _locked(case_id, acting_user, expected_version, "verify")
    _require_resolution(case, {Resolution.SUBMITTED}, "对账销号")
    old, old_resolution = case.state, case.resolution
    if approve:
        case.resolution = Resolution.RESOLVED
        case.resolved_on = timezone.localdate()
        case.verified_by = acting_user
        _record(
            case,
            user=acting_user,
            kind=CaseEventType.VERIFIED,
            data={"on": case.resolved_on.isoformat()},
            old_state=old,
            old_resolution=old_resolution,
        )
    else:
        reason = _text(reason, "reason", "退回时请说明证据或化解情况哪里不足。")
        case.resolution = case.resolution_before or Resolution.OPEN
        case.resolution_submitted_on = case.resolution_signed_on = None
        _record(
            case,
            user=acting_user,
            kind=CaseEventType.VERIFY_REFUSED,
            data={"reason": reason},
            old_state=old,
            old_resolution=old_resolution,
        )
    return case


@transaction.atomic
def case_mark_prominent(*, case_id: int, acting_user, reason: str, expected_version=None) -> Case:
    case = _locked(case_id, acting_user, expected_version, "mark_prominent")
    if case.prominent_marked:
        raise TransitionRefused("该事项已列为突出问题。")
    if case.state == CaseState.NOT_ACCEPTED or case.resolution == Resolution.RESOLVED:
        raise TransitionRefused("不予受理或已化解销号的事项不再列为突出问题；如又信访，按反弹处理。")
    reason = _text(reason, "reason", "请说明列为突出问题的理由。", limit=200)
    old = case.state
    case.prominent_marked, case.prominent_note = True, reason
    _record(
        case, user=acting_user, kind=CaseEventType.MARKED_PROMINENT, data={"reason": reason}, old_state=old
    )
    return case


# --- one entry for the API and the page ------------------------------------------------------


def _date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise TransitionInvalid({field: "日期格式应为 2026-05-01。"}) from None


ID_MAX = 2**63 - 1  # the database's bigint: a larger number is no id, not a server error


def _int(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise TransitionInvalid({field: "请填写整数。"}) from None
    if not -ID_MAX <= number <= ID_MAX:
        raise TransitionInvalid({field: "数字过大，请检查。"})
    return number


def _one(model, value, user, field: str, label: str):
    if value in (None, ""):
        return None
    pk = _int(value, field)
    found = scope(model.objects.all(), user).filter(pk=pk).first()
    if found is None:
        raise TransitionInvalid({field: f"所选{label}不存在或不在本镇。"})
    return found


def _many(model, values, user, field: str, label: str) -> list:
    if isinstance(values, str):
        values = [v for v in values.replace("，", ",").split(",") if v.strip()]
    return [_one(model, v, user, field, label) for v in values or []]


def _bool(value) -> bool:
    return value in (True, "1", "true", "on", "yes", 1)


@dataclass(frozen=True)
class Action:
    label: str
    service: Callable
    roles: frozenset
    offer: Callable  # (case) -> bool: where the case page and the API's list offer it
    args: Callable  # (data, user) -> kwargs
    fields: tuple = ()  # what the page's form and the API send; each must reach the service


WORKERS = frozenset({Role.OFFICE, Role.LEADER, Role.DEPARTMENT, Role.VILLAGE})
HANDLERS = frozenset({Role.OFFICE, Role.DEPARTMENT})
OFFICE = frozenset({Role.OFFICE})


def _state(*states):
    allowed = frozenset(states)
    return lambda case: case.state in allowed


def _opinion_args(d, u) -> dict:
    return {
        "decision": d.get("decision", ""),
        "facts": d.get("facts", ""),
        "basis": d.get("basis", ""),
        "on": _date(d.get("on"), "on"),
        "delivered_on": _date(d.get("delivered_on"), "delivered_on"),
        "delivery_way": d.get("delivery_way", ""),
    }


OPINION_FIELDS = ("decision", "facts", "basis", "on", "delivered_on", "delivery_way")

ACTIONS: dict[str, Action] = {
    "accept": Action(
        "受理",
        case_accept,
        OFFICE,
        _state(CaseState.REGISTERED),
        lambda d, u: {"on": _date(d.get("on"), "on")},
        ("on",),
    ),
    "not_accept": Action(
        "不予受理",
        case_not_accept,
        OFFICE,
        _state(CaseState.REGISTERED),
        lambda d, u: {"reason": d.get("reason", "")},
        ("reason",),
    ),
    "assign": Action(
        "交办",
        case_assign,
        OFFICE,
        _state(CaseState.ACCEPTED),
        lambda d, u: {
            "lead_department": _one(Department, d.get("lead_department"), u, "lead_department", "牵头部门"),
            "lead_leader": _one(Person, d.get("lead_leader"), u, "lead_leader", "包案领导"),
            "responsible_persons": _many(
                Person, d.get("responsible_persons"), u, "responsible_persons", "责任人"
            ),
            # Absent: the rules' proposal; present but empty: the office chose none.
            "supporting_departments": _many(
                Department, d.get("supporting_departments"), u, "supporting_departments", "配合部门"
            )
            if d.get("supporting_departments") is not None
            else None,
            "override_reason": d.get("override_reason", ""),
            "plan": d.get("plan", ""),
            "resolve_by": _date(d.get("resolve_by"), "resolve_by"),
            "on": _date(d.get("on"), "on"),
        },
        (
            "lead_department",
            "lead_leader",
            "responsible_persons",
            "supporting_departments",
            "override_reason",
            "plan",
            "resolve_by",
            "on",
        ),
    ),
    "object": Action(
        "交办异议",
        case_object,
        HANDLERS,
        _state(CaseState.ASSIGNED),
        lambda d, u: {"reason": d.get("reason", "")},
        ("reason",),
    ),
    "progress": Action(
        "填报进展",
        case_progress,
        WORKERS,
        _in_hand,
        lambda d, u: {"text": d.get("text", ""), "on": _date(d.get("on"), "on")},
        ("text", "on"),
    ),
    "extend": Action(
        "延期",
        case_extend,
        HANDLERS,
        lambda case: case.state in (CaseState.ASSIGNED, CaseState.HANDLING) and not case.extension_days,
        lambda d, u: {
            "days": _int(d.get("days"), "days"),
            "reason": d.get("reason", ""),
            "approved_by": d.get("approved_by", ""),
        },
        ("days", "reason", "approved_by"),
    ),
    "hearing": Action(
        "听证（暂停计时）",
        case_hearing,
        OFFICE,
        lambda case: case.state in HEARING_STATES and not case.paused_since,
        lambda d, u: {"on": _date(d.get("on"), "on")},
        ("on",),
    ),
    "hearing_end": Action(
        "听证结束",
        case_hearing_end,
        OFFICE,
        lambda case: bool(case.paused_since),
        lambda d, u: {"on": _date(d.get("on"), "on")},
        ("on",),
    ),
    "reply": Action(
        "出具处理意见书",
        case_reply,
        HANDLERS,
        lambda case: case.state in rules.HANDLING_STATES and not case.paused_since,
        _opinion_args,
        OPINION_FIELDS,
    ),
    "deliver": Action(
        "记录送达",
        case_deliver,
        HANDLERS,
        lambda case: case.state == CaseState.REPLIED and case.delivered_on is None,
        lambda d, u: {"on": _date(d.get("on"), "on"), "way": d.get("way", "")},
        ("on", "way"),
    ),
    "rate": Action(
        "记录评价",
        case_rate,
        OFFICE,
        lambda case: case.state == CaseState.REPLIED and case.delivered_on is not None,
        lambda d, u: {
            "office_rating": d.get("office_rating", ""),
            "unit_rating": d.get("unit_rating", ""),
            "reason": d.get("reason", ""),
            "on": _date(d.get("on"), "on"),
        },
        ("office_rating", "unit_rating", "reason", "on"),
    ),
    "request_review": Action(
        "申请复查（复核）",
        case_request_review,
        OFFICE,
        lambda case: (
            case.state in (CaseState.REPLIED, CaseState.RATED)
            and case.delivered_on is not None
            and case.review_stage < 2
            and not case.law_related
        ),
        lambda d, u: {"reason": d.get("reason", ""), "on": _date(d.get("on"), "on")},
        ("reason", "on"),
    ),
    "review_answer": Action(
        "复查（复核）意见",
        case_review_answer,
        OFFICE,
        lambda case: case.state in (CaseState.REVIEW, CaseState.RE_REVIEW) and not case.paused_since,
        _opinion_args,
        OPINION_FIELDS,
    ),
    "close": Action(
        "办结终结",
        case_close,
        OFFICE,
        lambda case: case.state in (CaseState.REPLIED, CaseState.RATED) and case.delivered_on is not None,
        lambda d, u: {"on": _date(d.get("on"), "on")},
        ("on",),
    ),
    "to_legal": Action(
        "导入法律程序",
        case_to_legal,
        OFFICE,
        lambda case: case.law_related and case.state in LEGAL_STATES,
        lambda d, u: {"organ": d.get("organ", ""), "on": _date(d.get("on"), "on"), "text": d.get("text", "")},
        ("organ", "on", "text"),
    ),
    "stabilize": Action(
        "标记稳控",
        case_stabilize,
        WORKERS,
        lambda case: _in_hand(case) and case.resolution == Resolution.OPEN,
        lambda d, u: {"text": d.get("text", ""), "on": _date(d.get("on"), "on")},
        ("text", "on"),
    ),
    "resolve": Action(
        "报送化解",
        case_resolve,
        WORKERS,
        lambda case: _in_hand(case) and case.resolution in (Resolution.OPEN, Resolution.STABILIZED),
        lambda d, u: {
            "text": d.get("text", ""),
            "signed_on": _date(d.get("signed_on"), "signed_on"),
            "milestones_note": d.get("milestones_note", ""),
        },
        ("text", "signed_on", "milestones_note"),
    ),
    "verify": Action(
        "对账销号",
        case_verify,
        OFFICE,
        lambda case: case.resolution == Resolution.SUBMITTED,
        lambda d, u: {"approve": _bool(d.get("approve", True)), "reason": d.get("reason", "")},
        ("approve", "reason"),
    ),
    "set_resolve_by": Action(
        "调整解决时限",
        case_set_resolve_by,
        OFFICE,
        _in_hand,
        lambda d, u: {"resolve_by": _date(d.get("resolve_by"), "resolve_by"), "reason": d.get("reason", "")},
        ("resolve_by", "reason"),
    ),
    "mark_major": Action(
        "标记特殊重大事项",
        case_mark_major,
        OFFICE,
        lambda case: not case.major and case.state in OPEN_STATES,
        lambda d, u: {"reason": d.get("reason", "")},
        ("reason",),
    ),
    "mark_prominent": Action(
        "列为突出问题",
        case_mark_prominent,
        OFFICE,
        lambda case: (
            not case.prominent_marked
            and case.state != CaseState.NOT_ACCEPTED
            and case.resolution != Resolution.RESOLVED
        ),
        lambda d, u: {"reason": d.get("reason", "")},
        ("reason",),
    ),
}


def actions_offered(case: Case, user) -> list[str]:
    """The steps the case page shows this user for this case now."""
    return [n for n, a in ACTIONS.items() if user.role in a.roles and a.offer(case)]


def case_act(
    *, action: str, case_id: int, acting_user, data: dict, expected_version: int | None = None
) -> Case:
    """Runs the named step for the user with the submitted fields."""
    spec = ACTIONS[action]
    _allow(acting_user, action)  # before the fields are read: no lookups for a role that may not act
    kwargs = spec.args(data, acting_user)
    return spec.service(case_id=case_id, acting_user=acting_user, expected_version=expected_version, **kwargs)
