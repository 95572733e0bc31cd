"""督查督办 through the API: the notices (list, issue, detail, reply, close) and the visits."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from xinfang.core.schemas import Day, ErrorOut, Id, InSchema, Limit, Offset

from . import selectors, services
from .choices import NoticeStatus, Subject, UnitKind

router = Router(tags=["督查督办"])


def _help(choices) -> str:
    return "、".join(f"{value} {label}" for value, label in choices.choices)


class SupervisionReplyOut(Schema):
    id: int
    text: str
    replied_by: str
    replied_at: dt.datetime
    late: bool = Field(..., description="超过回复期限后回复")


class SupervisionNoticeOut(Schema):
    id: int
    number: str
    unit_kind: str = Field(..., description=_help(UnitKind))
    unit: int
    unit_name: str
    subject: str = Field(..., description=_help(Subject))
    case: int | None
    case_number: str
    key_person: int | None
    key_person_name: str
    theme: str
    requirements: str
    reply_due: dt.date
    status: str = Field(..., description=_help(NoticeStatus))
    status_label: str
    days_overdue: int
    issued_by: str
    issued_at: dt.datetime
    closed_at: dt.datetime | None
    close_note: str
    version: int
    replies: list[SupervisionReplyOut] = Field(default_factory=list, description="回复（仅单件查询时给出）")


class SupervisionNoticeListOut(Schema):
    items: list[SupervisionNoticeOut]
    count: int


def _notice(n, today, *, replies=False) -> dict:
    status = n.status_on(today)
    return {
        "id": n.pk,
        "number": n.number,
        "unit_kind": n.unit_kind,
        "unit": n.village_id or n.department_id,
        "unit_name": n.unit_name,
        "subject": n.subject,
        "case": n.case_id,
        "case_number": n.case.number if n.case_id else "",
        "key_person": n.key_person_id,
        "key_person_name": n.key_person.petitioner.name if n.key_person_id else "",
        "theme": n.theme,
        "requirements": n.requirements,
        "reply_due": n.reply_due,
        "status": status,
        "status_label": NoticeStatus(status).label,
        "days_overdue": n.days_overdue(today),
        "issued_by": n.issued_by.display_name,
        "issued_at": n.issued_at,
        "closed_at": n.closed_at,
        "close_note": n.close_note,
        "version": n.version,
        "replies": [
            {
                "id": r.pk,
                "text": r.text,
                "replied_by": r.replied_by.display_name,
                "replied_at": r.replied_at,
                "late": timezone.localtime(r.replied_at).date() > n.reply_due,
            }
            for r in n.replies.all()
        ]
        if replies
        else [],
    }


class SupervisionNoticeFilters(InSchema):
    status: str = Field("", max_length=20, description="状态：" + _help(NoticeStatus) + "；不填为全部")
    offset: Offset = 0
    limit: Limit = 50


@router.get(
    "/supervision-notices",
    response={200: SupervisionNoticeListOut, 422: ErrorOut},
    summary="督办单：联席办、镇领导、督查专班为全镇的，村（居）、部门为发往本单位的",
)
def notice_index(request, filters: Query[SupervisionNoticeFilters]):
    if filters.status and filters.status not in NoticeStatus.values:
        return Status(
            422,
            {
                "detail": "输入有误",
                "errors": [{"field": "status", "message": "只能是以下之一：" + _help(NoticeStatus)}],
            },
        )
    today = timezone.localdate()
    found = selectors.notices(user=request.auth, today=today, status=filters.status)
    page = found[filters.offset : filters.offset + filters.limit]
    return {"items": [_notice(n, today) for n in page], "count": found.count()}


class SupervisionNoticeIn(InSchema):
    unit_kind: str = Field(..., max_length=20, description="督办对象类型：" + _help(UnitKind))
    unit: Id = Field(..., description="村（居）或部门的编号")
    subject: str = Field(..., max_length=20, description="督办内容：" + _help(Subject))
    case: Id | None = Field(None, description="信访事项编号（subject 为 case 时必填）")
    key_person: Id | None = Field(None, description="重点人员编号（subject 为 key_person 时必填）")
    theme: str = Field(..., max_length=services.THEME_MAX, description="督办事项（200 字以内）")
    requirements: str = Field(..., max_length=services.TEXT_MAX, description="督办要求（2000 字以内）")
    reply_due: Day = Field(..., description="回复期限（今天起 90 日内）")


@router.post(
    "/supervision-notices",
    response={201: SupervisionNoticeOut, 403: ErrorOut, 422: ErrorOut},
    summary="下发督办单（仅督查专班）",
)
def notice_new(request, body: SupervisionNoticeIn):
    notice = services.notice_issue(
        acting_user=request.auth,
        unit_kind=body.unit_kind,
        unit_id=body.unit,
        subject=body.subject,
        case_id=body.case,
        key_person_id=body.key_person,
        theme=body.theme,
        requirements=body.requirements,
        reply_due=body.reply_due,
    )
    notice = selectors.notice_get(user=request.auth, pk=notice.pk)
    return Status(201, _notice(notice, timezone.localdate(), replies=True))


@router.get("/supervision-notices/{notice_id}", response=SupervisionNoticeOut, summary="一张督办单及其回复")
def notice_detail(request, notice_id: Id):
    notice = selectors.notice_get(user=request.auth, pk=notice_id)
    return _notice(notice, timezone.localdate(), replies=True)


class SupervisionReplyIn(InSchema):
    text: str = Field(..., max_length=services.TEXT_MAX, description="回复内容（2000 字以内）")


@router.post(
    "/supervision-notices/{notice_id}/replies",
    response={201: SupervisionNoticeOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="回复督办单（仅被督办单位）",
)
def notice_reply(request, notice_id: Id, body: SupervisionReplyIn):
    try:
        services.notice_reply(acting_user=request.auth, notice_id=notice_id, text=body.text)
    except services.NoticeClosed as exc:
        return Status(409, {"detail": str(exc)})
    notice = selectors.notice_get(user=request.auth, pk=notice_id)
    return Status(201, _notice(notice, timezone.localdate(), replies=True))


class SupervisionCloseIn(InSchema):
    note: str = Field(..., max_length=500, description="办结意见")
    version: int | None = Field(None, ge=1, le=2**31, description="读取时的版本，防止覆盖新的回复")


@router.post(
    "/supervision-notices/{notice_id}/close",
    response={200: SupervisionNoticeOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="办结督办单（仅督查专班）",
)
def notice_close(request, notice_id: Id, body: SupervisionCloseIn):
    try:
        services.notice_close(
            acting_user=request.auth, notice_id=notice_id, note=body.note, version=body.version
        )
    except services.NoticeClosed as exc:
        return Status(409, {"detail": str(exc)})
    notice = selectors.notice_get(user=request.auth, pk=notice_id)
    return _notice(notice, timezone.localdate(), replies=True)


class SupervisionVisitOut(Schema):
    id: int
    day: dt.date
    villages: list[str]
    departments: list[str]
    findings: str
    problems: str
    notices: list[int]
    recorded_by: str


class SupervisionVisitListOut(Schema):
    items: list[SupervisionVisitOut]
    count: int


class SupervisionVisitFilters(InSchema):
    offset: Offset = 0
    limit: Limit = 50


def _visit(v) -> dict:
    return {
        "id": v.pk,
        "day": v.day,
        "villages": [x.name for x in v.villages.all()],
        "departments": [x.name for x in v.departments.all()],
        "findings": v.findings,
        "problems": v.problems,
        "notices": [n.pk for n in v.notices.all()],
        "recorded_by": v.recorded_by.display_name,
    }


@router.get("/supervision-visits", response=SupervisionVisitListOut, summary="督查记录")
def visit_index(request, filters: Query[SupervisionVisitFilters]):
    found = selectors.visits(user=request.auth)
    return {
        "items": [_visit(v) for v in found[filters.offset : filters.offset + filters.limit]],
        "count": found.count(),
    }


class SupervisionVisitIn(InSchema):
    day: Day
    villages: list[Id] = Field(default_factory=list, max_length=100)
    departments: list[Id] = Field(default_factory=list, max_length=100)
    findings: str = Field(..., max_length=services.TEXT_MAX)
    problems: str = Field("", max_length=services.TEXT_MAX)
    notices: list[Id] = Field(default_factory=list, max_length=100)


@router.post(
    "/supervision-visits",
    response={201: SupervisionVisitOut, 403: ErrorOut, 422: ErrorOut},
    summary="记录督查（仅督查专班）",
)
def visit_new(request, body: SupervisionVisitIn):
    visit = services.visit_record(
        acting_user=request.auth,
        day=body.day,
        village_ids=body.villages,
        department_ids=body.departments,
        findings=body.findings,
        problems=body.problems,
        notice_ids=body.notices,
    )
    return Status(201, _visit(selectors.visits(user=request.auth).get(pk=visit.pk)))
