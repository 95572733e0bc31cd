"""排查 and 研判 through the API: rounds with each unit's report, a unit's own report (a phone app),
what becomes of an item, and the four-level assessments. Scoped like the pages."""

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from xinfang.accounts.choices import Role
from xinfang.core.masking import mask_id_number
from xinfang.core.schemas import Day, ErrorOut, Flag, Id, InSchema, Limit, Offset

from . import rules, selectors, services
from .choices import AssessmentLevel, AssessmentStatus, ItemKind, Outcome, RoundKind, UnitKind

router = Router(tags=["排查研判"])

Code = Annotated[str, Field(max_length=20)]
Text = Annotated[str, Field(max_length=2000)]


def _help(choices) -> str:
    return "、".join(f"{value} {label}" for value, label in choices.choices)


# --- rounds ------------------------------------------------------------------------------------


class ReportOut(Schema):
    id: int
    unit_kind: str = Field(..., description="单位类型：" + _help(UnitKind))
    unit: str
    village_id: int | None
    grid_id: int | None
    department_id: int | None
    submitted_at: dt.datetime | None
    zero: bool = Field(..., description="零报告")
    statement: str
    reporter: str
    item_count: int
    missing: bool = Field(..., description="报送期限已过而未按时报送（漏报）")
    late: bool = Field(..., description="逾期补报")
    version: int


class MissingOut(Schema):
    report: int
    unit_kind: str
    unit: str
    village_id: int | None
    grid_id: int | None
    department_id: int | None


class RoundOut(Schema):
    id: int
    kind: str = Field(..., description="类型：" + _help(RoundKind))
    kind_label: str
    name: str
    start: dt.date
    end: dt.date
    due: dt.date
    note: str
    open: bool = Field(..., description="仍在报送期限内")
    total: int
    submitted: int
    zero: int
    reports: list[ReportOut]
    missing: list[MissingOut]


class RoundListOut(Schema):
    items: list[RoundOut]
    count: int


def _report(r, due: dt.date, today: dt.date) -> dict:
    day = timezone.localtime(r.submitted_at).date() if r.submitted_at else None
    return {
        "id": r.pk,
        "unit_kind": r.unit_kind,
        "unit": r.unit_name,
        "village_id": r.village_id,
        "grid_id": r.grid_id,
        "department_id": r.department_id,
        "submitted_at": r.submitted_at,
        "zero": r.is_zero,
        "statement": r.statement,
        "reporter": r.reporter.display_name if r.reporter_id else "",
        "item_count": getattr(r, "item_count", 0),
        "missing": rules.is_past_due(due, day, today),
        "late": bool(day and day > due),
        "version": r.version,
    }


def _rounds(user, found) -> list[dict]:
    today = timezone.localdate()
    by_round: dict[int, list] = {}
    for r in selectors.reports(user=user, round_ids=[x.pk for x in found]):
        by_round.setdefault(r.round_id, []).append(r)
    out = []
    for rnd in found:
        reports = [_report(r, rnd.due, today) for r in by_round.get(rnd.pk, [])]
        out.append(
            {
                "id": rnd.pk,
                "kind": rnd.kind,
                "kind_label": rnd.get_kind_display(),
                "name": rnd.name,
                "start": rnd.start,
                "end": rnd.end,
                "due": rnd.due,
                "note": rnd.note,
                "open": today <= rnd.due,
                "total": len(reports),
                "submitted": sum(1 for r in reports if r["submitted_at"]),
                "zero": sum(1 for r in reports if r["submitted_at"] and r["zero"]),
                "reports": reports,
                "missing": [
                    {k: r[k] for k in ("unit_kind", "unit", "village_id", "grid_id", "department_id")}
                    | {"report": r["id"]}
                    for r in reports
                    if r["missing"]
                ],
            }
        )
    return out


class RoundFilters(InSchema):
    kind: Literal["", "campaign", "rolling"] = Field("", description="类型：" + _help(RoundKind))
    offset: Offset = 0
    limit: Limit = 20


@router.get(
    "/screening-rounds", response=RoundListOut, summary="排查轮次（含各单位报送情况和漏报单位，按查看范围）"
)
def round_index(request, filters: Query[RoundFilters]):
    found = selectors.rounds(user=request.auth).order_by("-start", "-id")
    if filters.kind:
        found = found.filter(kind=filters.kind)
    page = list(found[filters.offset : filters.offset + filters.limit])
    return {"items": _rounds(request.auth, page), "count": found.count()}


class RoundIn(InSchema):
    name: str = Field(..., max_length=100, description="名称")
    kind: Literal["campaign", "rolling"] = Field("campaign", description="类型：" + _help(RoundKind))
    start: Day = Field(..., description="排查开始日期")
    end: Day = Field(..., description="排查结束日期")
    due: Day = Field(..., description="报送期限（当日 24 时前）")
    note: str = Field("", max_length=500, description="排查重点")
    units: list[Literal["village", "grid", "department"]] = Field(
        default_factory=list,
        max_length=3,
        description="须报送的单位类型，不填按镇配置（默认全部村居、网格、部门）",
    )


@router.post(
    "/screening-rounds",
    response={201: RoundOut, 403: ErrorOut, 422: ErrorOut},
    summary="发起排查（仅联席办）",
)
def round_new(request, body: RoundIn):
    rnd = services.round_create(
        acting_user=request.auth,
        name=body.name,
        kind=body.kind,
        start=body.start,
        end=body.end,
        due=body.due,
        note=body.note,
        unit_kinds=body.units or None,
    )
    return Status(201, _rounds(request.auth, [rnd])[0])


@router.get("/screening-rounds/{round_id}", response=RoundOut, summary="一轮排查")
def round_detail(request, round_id: Id):
    return _rounds(request.auth, [selectors.round_get(user=request.auth, pk=round_id)])[0]


class ItemIn(InSchema):
    kind: Code = Field(..., description="类型：" + _help(ItemKind))
    title: str = Field(..., max_length=100, description="事项（一句话）")
    description: Text = Field(..., description="具体情况（2000 字以内）")
    risk_level: Code = Field(..., description="风险等级代码（镇配置；演示镇 high 高、medium 中、low 低）")
    village: Id | None = Field(None, description="所在村（居）编号；村（居）、网格报送时默认本村")
    department: Id | None = Field(None, description="涉及条线（部门）编号，交叉排查时填写")
    category: Id | None = Field(None, description="问题类别编号")
    person_name: str = Field("", max_length=40, description="涉及人员姓名")
    person_id_number: str = Field("", max_length=18, description="涉及人员身份证号")
    persons_count: int = Field(1, ge=1, le=10_000, description="涉及人数")


class ReportIn(InSchema):
    zero: Flag = Field(False, description="零报告（经排查未发现问题）；true 时不填 items")
    statement: str = Field("", max_length=500, description="零报告声明，不填用镇配置的标准表述")
    items: list[ItemIn] = Field(default_factory=list, max_length=services.ITEMS_PER_REPORT)
    version: int | None = Field(None, ge=1, le=2**31, description="读取时的版本号，防止覆盖他人的修改")


@router.post(
    "/screening-rounds/{round_id}/reports",
    response={201: ReportOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="报送本单位的排查情况（村居、网格员、部门，各报本单位）",
)
def report_new(request, round_id: Id, body: ReportIn):
    user = request.auth
    rnd = selectors.round_get(user=user, pk=round_id)
    mine = selectors.my_reports(user=user, rnd=rnd).first()
    if mine is None:
        if user.role not in services.REPORTERS:
            raise PermissionDenied(
                f"排查报告由各村（居）、网格员和部门报送本单位的情况，{user.get_role_display()}只能查看。"
            )
        raise PermissionDenied("本单位不在本轮排查的报送范围内。")
    report = services.report_submit(
        acting_user=user,
        report_id=mine.pk,
        zero=body.zero,
        statement=body.statement,
        items=[
            services.ItemIn(
                kind=i.kind,
                title=i.title,
                description=i.description,
                risk_level=i.risk_level,
                village_id=i.village,
                department_id=i.department,
                category_id=i.category,
                person_name=i.person_name,
                person_id_number=i.person_id_number,
                persons_count=i.persons_count,
            )
            for i in body.items
        ],
        version=body.version,
    )
    report = selectors.reports(user=user, round_ids=[rnd.pk]).get(pk=report.pk)
    return Status(201, _report(report, rnd.due, timezone.localdate()))


# --- items -------------------------------------------------------------------------------------


class ItemOut(Schema):
    id: int
    round: int
    report: int
    reported_by_unit: str
    kind: str
    kind_label: str
    title: str
    description: str
    village_id: int | None
    department_id: int | None
    category_id: int | None
    person_name: str
    person_id_number: str = Field(..., description="身份证号（联席办以外打码）")
    persons_count: int
    risk_level: str
    outcome: str = Field(..., description="处理结果：" + _help(Outcome))
    case: int | None
    case_number: str
    key_person: int | None
    closed_reason: str
    version: int


class ItemListOut(Schema):
    items: list[ItemOut]
    count: int


def _item(user, i) -> dict:
    return {
        "id": i.pk,
        "round": i.round_id,
        "report": i.report_id,
        "reported_by_unit": i.report.unit_name,
        "kind": i.kind,
        "kind_label": i.get_kind_display(),
        "title": i.title,
        "description": i.description,
        "village_id": i.village_id,
        "department_id": i.department_id,
        "category_id": i.category_id,
        "person_name": i.person_name,
        "person_id_number": i.person_id_number
        if user.role == Role.OFFICE
        else mask_id_number(i.person_id_number),
        "persons_count": i.persons_count,
        "risk_level": i.risk_level,
        "outcome": i.outcome,
        "case": i.case_id,
        "case_number": i.case.number if i.case_id else "",
        "key_person": i.key_person_id,
        "closed_reason": i.closed_reason,
        "version": i.version,
    }


class ItemFilters(InSchema):
    round: Id | None = Field(None, description="排查轮次编号")
    outcome: Literal["", "open", "case", "key_person", "closed"] = Field("", description=_help(Outcome))
    offset: Offset = 0
    limit: Limit = 50


@router.get("/screening-items", response=ItemListOut, summary="排查事项（按查看范围）")
def item_index(request, filters: Query[ItemFilters]):
    found = selectors.items(user=request.auth).order_by("-id")
    if filters.round:
        found = found.filter(round_id=filters.round)
    if filters.outcome:
        found = found.filter(outcome=filters.outcome)
    page = list(found[filters.offset : filters.offset + filters.limit])
    return {"items": [_item(request.auth, i) for i in page], "count": found.count()}


class OutcomeIn(InSchema):
    action: Literal["case", "key_person", "close"] = Field(
        ..., description="case 转为信访事项；key_person 列为重点人员；close 销号"
    )
    category: Id | None = Field(None, description="转为信访事项时的问题类别编号，不填用排查事项的")
    level: Code = Field("", description="列为重点人员的风险等级，不填用排查事项的")
    reasons: str = Field("", max_length=1000, description="列管原因，不填取排查事项的情况")
    reason: str = Field("", max_length=500, description="销号理由（销号时必填）")
    version: int | None = Field(None, ge=1, le=2**31)


@router.post(
    "/screening-items/{item_id}/outcome",
    response={200: ItemOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="处理排查事项：转为信访事项、列为重点人员或销号（仅联席办，一步完成）",
)
def item_outcome(request, item_id: Id, body: OutcomeIn):
    user = request.auth
    if body.action == "case":
        services.item_to_case(
            acting_user=user, item_id=item_id, category_id=body.category, version=body.version
        )
    elif body.action == "key_person":
        services.item_to_key_person(
            acting_user=user, item_id=item_id, level=body.level, reasons=body.reasons, version=body.version
        )
    else:
        services.item_close(acting_user=user, item_id=item_id, reason=body.reason, version=body.version)
    return _item(user, selectors.item_get(user=user, pk=item_id))


# --- assessments -------------------------------------------------------------------------------


class AssessmentOut(Schema):
    id: int
    level: str = Field(..., description="层级：" + _help(AssessmentLevel))
    level_label: str
    unit: str
    village_id: int | None
    grid_id: int | None
    department_id: int | None
    item: int | None
    case: int | None
    key_person: int | None
    subject: str
    status: str = Field(..., description="状态：" + _help(AssessmentStatus))
    held_on: dt.date | None
    risk_level: str
    conclusion: str
    next_step: str
    participants: str
    escalated_from: int | None
    escalation_reason: str
    version: int


class AssessmentListOut(Schema):
    items: list[AssessmentOut]
    count: int


def _assessment(a) -> dict:
    return {
        "id": a.pk,
        "level": a.level,
        "level_label": a.get_level_display(),
        "unit": a.unit_name,
        "village_id": a.village_id,
        "grid_id": a.grid_id,
        "department_id": a.department_id,
        "item": a.item_id,
        "case": a.case_id,
        "key_person": a.key_person_id,
        "subject": a.subject_label,
        "status": a.status,
        "held_on": a.held_on,
        "risk_level": a.risk_level,
        "conclusion": a.conclusion,
        "next_step": a.next_step,
        "participants": a.participants,
        "escalated_from": a.escalated_from_id,
        "escalation_reason": a.escalation_reason,
        "version": a.version,
    }


class AssessmentFilters(InSchema):
    level: Literal["", "grid", "village", "line", "town"] = ""
    status: Literal["", "pending", "done"] = ""
    offset: Offset = 0
    limit: Limit = 50


@router.get("/assessments", response=AssessmentListOut, summary="研判记录（按查看范围）")
def assessment_index(request, filters: Query[AssessmentFilters]):
    found = selectors.assessments(user=request.auth).order_by("-held_on", "-id")
    if filters.level:
        found = found.filter(level=filters.level)
    if filters.status:
        found = found.filter(status=filters.status)
    page = list(found[filters.offset : filters.offset + filters.limit])
    return {"items": [_assessment(a) for a in page], "count": found.count()}


class DetailsIn(InSchema):
    risk_level: Code = Field(..., description="风险等级代码")
    conclusion: Text = Field(..., description="研判结论")
    next_step: Text = Field(..., description="下一步措施")
    participants: str = Field(..., max_length=300, description="参加人员")
    held_on: Day | None = Field(None, description="研判日期，不填为今天")


class AssessmentIn(DetailsIn):
    item: Id | None = Field(None, description="排查事项编号（三选一）")
    case: Id | None = Field(None, description="信访事项编号（三选一）")
    key_person: Id | None = Field(None, description="重点人员编号（三选一）")


@router.post(
    "/assessments",
    response={201: AssessmentOut, 403: ErrorOut, 422: ErrorOut},
    summary="记录研判（网格员、村居、部门、联席办，各在本级）",
)
def assessment_new(request, body: AssessmentIn):
    a = services.assessment_record(
        acting_user=request.auth,
        item_id=body.item,
        case_id=body.case,
        key_person_id=body.key_person,
        risk_level=body.risk_level,
        conclusion=body.conclusion,
        next_step=body.next_step,
        participants=body.participants,
        held_on=body.held_on,
    )
    return Status(201, _assessment(selectors.assessment_get(user=request.auth, pk=a.pk)))


class CompleteIn(DetailsIn):
    version: int | None = Field(None, ge=1, le=2**31)


@router.post(
    "/assessments/{assessment_id}/complete",
    response={200: AssessmentOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="完成提级来的待研判（该级单位）",
)
def assessment_complete(request, assessment_id: Id, body: CompleteIn):
    services.assessment_complete(
        acting_user=request.auth,
        assessment_id=assessment_id,
        risk_level=body.risk_level,
        conclusion=body.conclusion,
        next_step=body.next_step,
        participants=body.participants,
        held_on=body.held_on,
        version=body.version,
    )
    return _assessment(selectors.assessment_get(user=request.auth, pk=assessment_id))


class EscalateIn(InSchema):
    reason: str = Field(..., max_length=500, description="提级理由")
    department: Id | None = Field(None, description="提级到条线研判时负责的部门编号，不填按事项所涉条线")
    version: int | None = Field(None, ge=1, le=2**31)


@router.post(
    "/assessments/{assessment_id}/escalate",
    response={201: AssessmentOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="提级研判（网格→村居→条线→镇），下一级生成待研判",
)
def assessment_escalate(request, assessment_id: Id, body: EscalateIn):
    nxt = services.assessment_escalate(
        acting_user=request.auth,
        assessment_id=assessment_id,
        reason=body.reason,
        department_id=body.department,
        version=body.version,
    )
    return Status(201, _assessment(selectors.assessment_get(user=request.auth, pk=nxt.pk)))


class MissingAssessmentOut(Schema):
    level: str
    level_label: str
    unit: str
    village_id: int | None
    grid_id: int | None
    department_id: int | None
    cadence: str = Field(..., description="wartime 战时研判（保障期内每日）、normal 常态研判")
    window_start: dt.date
    window_end: dt.date


class MissingAssessmentListOut(Schema):
    items: list[MissingAssessmentOut]
    count: int


class MissingFilters(InSchema):
    start: Day = Field(..., description="研判周期结束日期从")
    end: Day = Field(..., description="研判周期结束日期至（最长一年）")


@router.get(
    "/assessments/missing",
    response={200: MissingAssessmentListOut, 422: ErrorOut},
    summary="研判缺失：各单位在各研判周期没有研判记录的（本单位或全镇）",
)
def missing_assessment_index(request, filters: Query[MissingFilters]):
    user = request.auth
    if filters.end < filters.start or (filters.end - filters.start).days > 366:
        raise ValidationError({"end": "结束日期应不早于开始日期，且查询期间不超过一年。"})
    if user.town_id is None:
        return {"items": [], "count": 0}
    rows = [
        r
        for r in selectors.missing_assessments(user.town, filters.start, filters.end)
        if selectors.unit_visible(user, r)
    ]
    return {"items": rows, "count": len(rows)}
