import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status
from stdnum.cn import ric

from xinfang.core.inputs import CONTENT_MAX, MAX_ID
from xinfang.core.schemas import (
    Day,
    ErrorOut,
    Flag,
    Id,
    IdOrName,
    InSchema,
    Limit,
    LongText,
    Moment,
    Offset,
    Phone,
)
from xinfang.core.scoping import scope
from xinfang.org.models import Category, Department, Person, Village

from . import rules, selectors
from .batch import BATCH_MAX, batch_assign
from .imports import MAX_PERSONS
from .models import Case, Petition
from .ownership import accused_of, ownership_propose
from .services import (
    THREAT_REASON_MAX,
    PetitionerIn,
    PetitionIn,
    petition_register,
    registration_check,
    threat_hit_dismiss,
)
from .transitions import (
    ACTIONS,
    EditConflict,
    TransitionForbidden,
    TransitionInvalid,
    TransitionRefused,
    case_act,
)

router = Router(tags=["信访事项"])

ChannelName = Literal["letter", "visit", "phone", "online", "referral"]
LevelName = Literal["county", "city", "province", "national"]
DeliveryWayName = Literal["in_person", "post", "electronic", "left", "announced"]


class PetitionerBody(InSchema):
    name: str = Field(..., max_length=40, description="姓名")
    id_number: str = Field("", max_length=20, description="身份证号（18 位）")
    phone: Phone = ""
    address: str = Field("", max_length=200)
    village: IdOrName | None = Field(None, description="所在村（居）：编号或名称")


class RepresentativeBody(InSchema):
    name: str = Field(..., max_length=40, description="姓名")
    id_number: str = Field("", max_length=20, description="身份证号（18 位）")
    phone: Phone = ""
    address: str = Field("", max_length=200)
    village: IdOrName | None = Field(None, description="所在村（居）：编号或名称；不填则同信访人")


class PetitionBody(InSchema):
    channel: ChannelName = Field(
        ..., description="渠道：letter 来信、visit 来访、phone 来电、online 网上、referral 交转办"
    )
    received_at: Moment = Field(
        ..., description="收到时间，ISO 8601，带时区，如 2026-01-31T09:30:00+08:00（2000 年起，不晚于现在）"
    )
    referral_level: LevelName | None = Field(None, description="上级交转办的层级")
    petitioner: PetitionerBody
    persons_count: int = Field(1, ge=1, le=MAX_PERSONS, description=f"人数（1–{MAX_PERSONS}）")
    title: str = Field(..., max_length=200, description="事项（一句话）")
    content: LongText = Field(..., description=f"诉求内容（最多 {CONTENT_MAX} 字）")
    kind: Literal["suggestion", "accusation", "claim"] = "claim"
    category: IdOrName | None = Field(None, description="类别：编号或名称")
    matter: str = Field(
        "", max_length=40, description="具体事项：类别配置中的“主要事项”之一，决定是否属于村（居）职权"
    )
    case: Id | None = Field(None, description="重复信访时所属的信访事项编号（id）")
    skip_level: LevelName | None = None
    has_threat: Flag = Field(False, description="扬言（true 或 false）")
    law_related: Flag = Field(False, description="涉法涉诉（true 或 false）")
    representatives: list[RepresentativeBody] = Field(
        [],
        max_length=100,
        description="多人信访推选的其他代表（信访人本人之外）：按身份证号关联已登记的信访人或新建；"
        "来访代表超过本镇上限（settings.max_representatives）时照常登记，并在 warnings 中提示",
    )
    update_petitioner: Flag = Field(
        False,
        description="信访人（或代表）已登记、而所填手机号、住址、村（居）与登记不同时：false 保留原登记信息"
        "（在 warnings 中说明差异），true 以本次填写为准更新（仅联席办）",
    )
    accused_persons: list[Id] = Field([], max_length=50, description="检举控告类：被检举控告人（人员 id）")
    accused_departments: list[IdOrName] = Field(
        [], max_length=50, description="检举控告类：被检举控告部门（编号或名称）"
    )
    accused_villages: list[IdOrName] = Field(
        [], max_length=50, description="检举控告类：被检举控告村（居）（编号或名称）"
    )


class CaseOut(Schema):
    id: int
    number: str
    state: str = Field(..., description="办理状态（法定程序）")
    state_label: str
    resolution: str = Field(
        ..., description="化解状态：open 在办、stabilized 稳控、submitted 报送化解待销号、resolved 已化解"
    )
    resolution_label: str
    concluded_unresolved: bool = Field(..., description="已办结未化解：法定程序已办结、仍在突出问题台账上")
    delivered_on: dt.date | None = Field(None, description="处理意见书送达日期")
    title: str
    village: str | None
    category: str | None
    received_at: dt.datetime
    route_due: dt.date
    repeat_count: int
    is_collective: bool
    has_threat: bool
    skip_level: str
    rebound: bool
    version: int
    notify_due: dt.date | None
    handling_due: dt.date | None
    due_on: dt.date | None = Field(None, description="当前期限")
    prominent: bool
    petitioners: str
    lead_leader: str | None
    lead_department: str | None
    responsible_persons: str
    plan: str
    resolve_by: dt.date | None
    last_progress: str
    decision: str
    office_rating: str
    unit_rating: str
    review_stage: int
    matter: str
    major: bool
    owner_rule: str
    owner_explanation: str


class ThreatDismissalOut(Schema):
    by: str
    at: dt.datetime
    reason: str


class ThreatHitOut(Schema):
    index: int = Field(..., description="在本次信访识别结果中的序号（标为误报时用）")
    field: Literal["title", "content"] = Field(..., description="title 事项、content 诉求内容")
    phrase: str = Field(..., description="识别到的扬言词语或句式")
    kind: str = Field(..., description="类型，如 自伤自杀、极端暴力、越级进京赴省、聚集堵路、媒体炒作")
    start: int = Field(..., description="在该字段文本中的起始位置（字符）")
    end: int
    sentence: str = Field(..., description="所在句子")
    dismissed: ThreatDismissalOut | None = Field(None, description="已被联席办标为误报：谁、何时、理由")


class PetitionOut(Schema):
    id: int
    channel: str
    received_at: dt.datetime
    is_repeat: bool
    query_code: str
    persons_count: int
    petitioner: int | None = Field(None, description="信访人编号（多人信访时为第一位，即登记的信访人）")
    petitioners: list[int] = Field(default_factory=list, description="本次信访的全部信访人编号")
    has_threat: bool = Field(..., description="扬言：登记人勾选，或识别到扬言且未全部标为误报")
    threat_marked: bool = Field(..., description="登记人勾选了扬言")
    threat_hits: list[ThreatHitOut] = Field(..., description="在事项和诉求内容中识别到的扬言")


class CandidateOut(Schema):
    case: CaseOut
    reason: str


class RegisteredOut(Schema):
    case: CaseOut
    petition: PetitionOut
    repeat_candidates: list[CandidateOut]
    warnings: list[str] = Field(
        ...,
        description="提醒登记人的事项（已照常登记）：与已登记信访人信息不同、来访代表超过上限、检举控告类未填被检举控告对象、"
        "识别到扬言（扬言事项，立即办理）",
    )


class CaseListOut(Schema):
    items: list[CaseOut]
    count: int


class CaseDetailOut(CaseOut):
    content: str
    kind: str = Field(..., description="suggestion 建议意见类、accusation 检举控告类、claim 申诉求决类")
    accused: list[str] = Field(..., description="检举控告类：被检举控告的人员、部门、村（居）")
    petitions: list[PetitionOut]
    five_haves: dict[str, bool] = Field(
        ...,
        description="五有：lead_leader 包案领导、task_force 工作专班、plan 化稳方案、deadline 解决时限、"
        "rebound_measures 防反弹措施",
    )


def _case(c: Case) -> dict:
    return {
        "id": c.pk,
        "number": c.number,
        "state": c.state,
        "state_label": c.get_state_display(),
        "resolution": c.resolution,
        "resolution_label": c.get_resolution_display(),
        "concluded_unresolved": bool(c.ledger_from) and rules.concluded_unresolved(c),
        "delivered_on": c.delivered_on,
        "title": c.title,
        "village": c.village.name if c.village_id else None,
        "category": c.category.name if c.category_id else None,
        "received_at": c.received_at,
        "route_due": c.route_due,
        "repeat_count": c.repeat_count,
        "is_collective": c.is_collective,
        "has_threat": c.has_threat,
        "skip_level": c.skip_level,
        "rebound": c.rebound,
        "version": c.version,
        "notify_due": c.notify_due,
        "handling_due": c.handling_due,
        "due_on": c.due_on,
        "prominent": c.prominent,
        "petitioners": c.petitioner_label,
        "lead_leader": c.lead_leader.name if c.lead_leader_id else None,
        "lead_department": c.lead_department.name if c.lead_department_id else None,
        "responsible_persons": c.responsible_label,
        "plan": c.plan,
        "resolve_by": c.resolve_by,
        "last_progress": c.last_progress,
        "decision": c.decision,
        "office_rating": c.office_rating,
        "unit_rating": c.unit_rating,
        "review_stage": c.review_stage,
        "matter": c.matter,
        "major": c.major,
        "owner_rule": c.owner_rule,
        "owner_explanation": c.owner_explanation,
    }


def _petition(p, petitioners: list[int] | None = None) -> dict:
    petitioners = petitioners or []
    return {
        "petitioner": petitioners[0] if petitioners else None,
        "petitioners": petitioners,
        "id": p.pk,
        "channel": p.channel,
        "received_at": p.received_at,
        "is_repeat": p.is_repeat,
        "query_code": p.query_code,
        "persons_count": p.persons_count,
        "has_threat": p.has_threat,
        "threat_marked": p.threat_marked,
        "threat_hits": threat_hits_out(p),
    }


def threat_hits_out(p) -> list[dict]:
    return [
        {
            "index": i,
            "field": h.get("field", "content"),
            "phrase": h["phrase"],
            "kind": h["kind"],
            "start": h["start"],
            "end": h["end"],
            "sentence": h["sentence"],
            "dismissed": h.get("dismissed"),
        }
        for i, h in enumerate(p.threat_hits or [])
    ]


def _by_id_or_name(model, value, user, field: str, label: str):
    if value in (None, ""):
        return None
    objects = scope(model.objects.all(), user)
    found = objects.filter(pk=value).first() if isinstance(value, int) else objects.filter(name=value).first()
    if found is None:
        raise ValidationError(
            {field: f"{label}“{value}”不存在或不在本镇，请用 /api/v1/config 接口查询可选值。"}
        )
    return found


def _many_by_id_or_name(model, values, user, field: str, label: str) -> list:
    return [_by_id_or_name(model, v, user, f"{field}.{i}", label) for i, v in enumerate(values)]


@router.post(
    "/petitions",
    response={201: RegisteredOut, 403: ErrorOut, 422: ErrorOut},
    summary="登记一次信访（新事项或重复信访；仅镇信访联席办）",
)
def petition_create(request, body: PetitionBody):
    user = request.user
    registration_check(user)  # 403 before any look-up: the service checks it again
    village = _by_id_or_name(Village, body.petitioner.village, user, "petitioner.village", "村（居）")
    category = _by_id_or_name(Category, body.category, user, "category", "类别")
    representatives = [
        PetitionerIn(
            name=r.name,
            id_number=r.id_number,
            phone=r.phone,
            address=r.address,
            village=_by_id_or_name(Village, r.village, user, f"representatives.{i}.village", "村（居）"),
        )
        for i, r in enumerate(body.representatives)
    ]
    people = scope(Person.objects.all(), user)
    found = people.in_bulk(body.accused_persons)
    missing = [pk for pk in body.accused_persons if pk not in found]
    if missing:
        raise ValidationError({"accused_persons": f"人员 {missing[0]} 不存在或不在本镇。"})
    petition = petition_register(
        data=PetitionIn(
            channel=body.channel,
            received_at=body.received_at,
            referral_level=body.referral_level or "",
            petitioner=PetitionerIn(
                name=body.petitioner.name,
                id_number=body.petitioner.id_number,
                phone=body.petitioner.phone,
                address=body.petitioner.address,
                village=village,
            ),
            persons_count=body.persons_count,
            title=body.title,
            content=body.content,
            kind=body.kind,
            category=category,
            matter=body.matter,
            case_id=body.case,
            skip_level=body.skip_level or "",
            has_threat=body.has_threat,
            law_related=body.law_related,
            representatives=representatives,
            update_petitioner=body.update_petitioner,
            accused_persons=[found[pk] for pk in dict.fromkeys(body.accused_persons)],
            accused_departments=_many_by_id_or_name(
                Department, body.accused_departments, user, "accused_departments", "部门"
            ),
            accused_villages=_many_by_id_or_name(
                Village, body.accused_villages, user, "accused_villages", "村（居）"
            ),
        ),
        acting_user=user,
    )
    registered = petition.case
    candidates = selectors.repeat_candidates(
        user=user,
        id_number=ric.compact(body.petitioner.id_number or ""),
        village=registered.village,
        category=registered.category,
        exclude=registered,
    )
    return Status(
        201,
        {
            "case": _case(registered),
            "petition": _petition(petition),
            "repeat_candidates": [{"case": _case(c), "reason": reason} for c, reason in candidates],
            "warnings": petition.warnings,
        },
    )


class ThreatDismissBody(InSchema):
    reason: str = Field(..., max_length=THREAT_REASON_MAX, description="误报理由（必填）")


class ThreatDismissedOut(Schema):
    case: CaseOut
    petition: PetitionOut


@router.post(
    "/petitions/{petition_id}/threat-hits/{index}/dismiss",
    response={200: ThreatDismissedOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="把一条扬言识别结果标为误报（仅镇信访联席办，须写明理由，记入审计日志）",
)
def threat_dismiss(
    request, petition_id: Id, index: Annotated[int, Field(ge=0, le=1000)], body: ThreatDismissBody
):
    petition = threat_hit_dismiss(
        petition_id=petition_id, index=index, reason=body.reason, acting_user=request.user
    )
    return {"case": _case(petition.case), "petition": _petition(petition)}


class ActionBody(InSchema):
    """The fields each step takes; a step ignores the others."""

    version: int | None = Field(
        None, ge=0, le=MAX_ID, description="调用者看到的版本号；与当前版本不同则拒绝（409），防止覆盖他人修改"
    )
    on: Day | None = Field(None, description="日期（受理、进展、意见、评价等），默认今天")
    reason: LongText = Field(
        "", description="理由：不予受理、交办异议、延期、申请复查、销号退回、列为突出问题"
    )
    text: LongText = Field("", description="办理进展、稳控措施或化解情况（progress、stabilize、resolve）")
    lead_department: Id | None = Field(None, description="assign：牵头部门 id；不填则按包案规则推荐")
    lead_leader: Id | None = Field(
        None, description="assign：包案领导 id（镇党政负责人）；不填则按包案规则推荐"
    )
    responsible_persons: list[Id] = Field(
        [], max_length=100, description="assign：责任人 id 列表；不填则按包案规则推荐"
    )
    supporting_departments: list[Id] | None = Field(
        None, max_length=100, description="assign：配合部门 id 列表；不填则按规则"
    )
    override_reason: LongText = Field("", description="assign：包案领导与规则推荐不同时，写明理由")
    plan: LongText = Field("", description="assign：化稳方案")
    resolve_by: Day | None = Field(None, description="assign：解决时限，默认为办理期限")
    days: int | None = Field(None, ge=1, le=366, description="extend：延期天数（不超过 30 日，只能延期一次）")
    approved_by: str = Field("", max_length=40, description="extend：批准延期的单位负责人")
    decision: Literal["support", "explain", "reject", ""] = Field(
        "", description="reply、review_answer：support 支持、explain 解释说明、reject 不予支持"
    )
    facts: LongText = Field("", description="reply、review_answer：认定的事实和理由")
    basis: LongText = Field("", description="reply、review_answer：处理依据")
    office_rating: Literal["satisfied", "basic", "dissatisfied", ""] = Field(
        "", description="rate：对信访部门的评价"
    )
    unit_rating: Literal["satisfied", "basic", "dissatisfied", ""] = Field(
        "", description="rate：对办理单位的评价"
    )
    approve: Flag = Field(True, description="verify：true 销号，false 退回（须填 reason）")
    delivered_on: Day | None = Field(
        None, description="reply、review_answer：当场送达时的送达日期（评价期、申请复查期自此起算）"
    )
    delivery_way: DeliveryWayName | Literal[""] = Field("", description="reply、review_answer：送达方式")
    way: DeliveryWayName | Literal[""] = Field(
        "",
        description="deliver：送达方式（日期用 on）：in_person 直接、post 邮寄、electronic 电子、"
        "left 留置、announced 公告",
    )
    organ: str = Field(
        "", max_length=100, description="to_legal：导入的法律程序及机关，如“县人民法院 民事诉讼”"
    )
    signed_on: Day | None = Field(None, description="resolve：调解协议书或停诉息访承诺书的签订日期")
    milestones_note: LongText = Field(
        "", max_length=300, description="resolve：化稳方案尚有未完成的工作节点时，说明原因"
    )


class ActionOut(Schema):
    case: CaseOut
    version: int


ACTION_SUMMARY = "办理环节操作：" + "、".join(f"{name} {a.label}" for name, a in ACTIONS.items())


@router.post(
    "/cases/{case_id}/actions/{action}",
    response={200: ActionOut, 409: ErrorOut, 422: ErrorOut, 403: ErrorOut},
    summary=ACTION_SUMMARY,
)
def case_action(request, case_id: Id, action: Annotated[str, Field(max_length=40)], body: ActionBody):
    if action not in ACTIONS:
        raise ValidationError({"action": f"不认识的操作“{action}”，可用：{'、'.join(ACTIONS)}。"})
    try:
        case = case_act(
            action=action,
            case_id=case_id,
            acting_user=request.user,
            data=body.model_dump(exclude={"version"}),
            expected_version=body.version,
        )
    except TransitionForbidden as exc:
        return Status(403, {"detail": str(exc)})
    except (TransitionRefused, EditConflict) as exc:
        return Status(409, {"detail": str(exc)})
    except TransitionInvalid as exc:
        errors = [{"field": f, "message": m} for f, m in exc.errors.items()]
        return Status(422, {"detail": f"输入有误：{exc}", "errors": errors})
    return {"case": _case(case), "version": case.version}


class CaseFilters(InSchema):
    view: Literal["all", "prominent", "resolved"] = Field(
        "all", description="all 全部、prominent 突出问题台账、resolved 已化解"
    )
    q: str = Field(
        "",
        max_length=60,
        description="编号、事项或信访人姓名包含；也可为信访人的身份证号（全号或后 4–6 位）、"
        "电话号码（全号或后 4 位）。按身份证号或电话查找记入审计日志",
    )
    state: str | None = Field(
        None, max_length=20, description="办理状态，或 open 表示在办（法定程序未完结或突出问题未化解）"
    )
    resolution: Literal["open", "stabilized", "submitted", "resolved"] | None = Field(
        None, description="化解状态"
    )
    town: Id | None = Field(None, description="镇 id（县信访局跨镇查看时用）")
    village: Id | None = Field(None, description="村（居）id")
    category: Id | None = Field(None, description="类别 id")
    owner: Id | None = Field(None, description="包案领导 id")
    channel: ChannelName | None = None
    flag: (
        Literal[
            "repeat",
            "collective",
            "skip_level",
            "threat",
            "rebound",
            "backlog",
            "concluded_unresolved",
            "law_related",
            "five_haves",
        ]
        | None
    ) = None
    overdue: bool = False
    department: Id | None = Field(None, description="牵头部门（条线）id")
    received_from: Day | None = Field(None, description="首次信访日期不早于")
    received_to: Day | None = Field(None, description="首次信访日期不晚于")
    due_by: Day | None = Field(None, description="在办且当前期限不晚于（含已超期）")
    sort: Literal[
        "-number", "number", "due", "-received", "received", "village", "state", "-repeat", "threat"
    ] = Field("-number", description="排序；threat 扬言事项在前（立即办理），再按期限")
    offset: Offset = 0
    limit: Limit = 50


# --- 集中交办 (before /cases/{case_id}, whose pattern would take the path) ------------------------


class BatchItemIn(InSchema):
    case: Id
    version: int | None = Field(
        None, ge=1, le=MAX_ID, description="打开页面时看到的版本（可不填；填了则发现并发修改）"
    )


class BatchAssignIn(InSchema):
    items: list[BatchItemIn] = Field(..., min_length=1, max_length=BATCH_MAX, description="要交办的事项")


class BatchOutcomeOut(Schema):
    case: int
    number: str
    assigned: bool
    reason: str = Field(..., description="未交办的原因（已交办时为空）")
    lead_leader: str


class BatchAssignOut(Schema):
    items: list[BatchOutcomeOut]
    count: int
    assigned: int
    refused: int


@router.post(
    "/cases/batch-assign",
    response={200: BatchAssignOut, 403: ErrorOut, 422: ErrorOut},
    summary="集中交办：逐件按包案规则的推荐交办，不能交办的列明原因，其余照常交办（仅联席办）",
)
def cases_batch_assign(request, body: BatchAssignIn):
    outcomes = batch_assign(acting_user=request.user, items=[(i.case, i.version) for i in body.items])
    items = [
        {
            "case": o.case_id,
            "number": o.number,
            "assigned": o.assigned,
            "reason": o.reason,
            "lead_leader": o.lead_leader,
        }
        for o in outcomes
    ]
    done = sum(1 for o in outcomes if o.assigned)
    return {"items": items, "count": len(items), "assigned": done, "refused": len(items) - done}


@router.get("/cases", response=CaseListOut, summary="信访事项列表与台账（按调用者范围，台账的筛选条件）")
def case_index(request, filters: Query[CaseFilters]):
    cases = selectors.ledger(
        user=request.user,
        filters={
            "view": filters.view,
            "q": filters.q.strip(),
            "state": filters.state,
            "resolution": filters.resolution,
            "town_id": filters.town,
            "village_id": filters.village,
            "category_id": filters.category,
            "owner_id": filters.owner,
            "channel": filters.channel,
            "flag": filters.flag,
            "overdue": filters.overdue,
            "department_id": filters.department,
            "received_from": filters.received_from,
            "received_to": filters.received_to,
            "due_by": filters.due_by,
            "sort": filters.sort,
        },
    )
    page = selectors.ledger_page(cases, filters.offset, filters.offset + filters.limit)
    return {"items": [_case(c) for c in page], "count": cases.count()}


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="一个信访事项")
def case_detail(request, case_id: Id):
    case = selectors.case_get(user=request.user, pk=case_id)
    petitions = selectors.petition_list_for_case(user=request.user, case=case)
    # In the order they were linked: the registered petitioner first, then the representatives.
    linked: dict[int, list[int]] = {}
    for petition_id, petitioner_id in (
        Petition.petitioners.through.objects.filter(petition__case=case)
        .order_by("id")
        .values_list("petition_id", "petitioner_id")
    ):
        linked.setdefault(petition_id, []).append(petitioner_id)
    from xinfang.plans.api import five_haves_out

    return {
        **_case(case),
        "content": case.content,
        "kind": case.kind,
        "accused": list(accused_of(case).names),
        "petitions": [_petition(p, linked.get(p.pk)) for p in petitions],
        "five_haves": five_haves_out(case),
    }


class Ref(Schema):
    id: int
    name: str


class OwnershipOut(Schema):
    rule: str = Field(
        ...,
        description="village 属地包案、line 条线包案、joint_meeting 待联席会议确定、"
        "joint_decided 联席会议确定、none 无法推荐",
    )
    rule_label: str
    explanation: str
    waits_for_joint_meeting: bool
    lead_leader: Ref | None
    lead_department: Ref | None
    supporting_departments: list[Ref]
    responsible_persons: list[Ref]


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


@router.get(
    "/cases/{case_id}/ownership",
    response=OwnershipOut,
    summary="按包案规则推荐包案领导、责任人和部门，并说明依据",
)
def case_ownership(request, case_id: Id):
    proposal = ownership_propose(selectors.case_get(user=request.user, pk=case_id))
    return {
        "rule": proposal.rule,
        "rule_label": proposal.rule_label,
        "explanation": proposal.explanation,
        "waits_for_joint_meeting": proposal.waits_for_joint_meeting,
        "lead_leader": _ref(proposal.lead_leader),
        "lead_department": _ref(proposal.lead_department),
        "supporting_departments": [_ref(d) for d in proposal.supporting_departments],
        "responsible_persons": [_ref(p) for p in proposal.responsible_persons],
    }
