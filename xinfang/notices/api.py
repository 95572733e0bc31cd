import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from xinfang.core.schemas import ErrorOut, Id, InSchema, Limit, Offset

from . import selectors
from .choices import NoticeStatus
from .models import AssignmentNotice
from .services import NoticeAlreadyAcknowledged, notice_acknowledge
from .timing import timing_text

router = Router(tags=["交办单"])


class NoticeOut(Schema):
    id: int
    case: int
    case_number: str
    case_title: str
    target: str = Field(..., description="village 属地（村居）、department 条线（部门）")
    target_label: str = Field(..., description="属地（村居）、条线（部门）或 配合（部门）")
    supporting: bool = Field(..., description="true：发给配合部门的交办单（配合办理）")
    unit: str = Field(..., description="接收单位")
    requirements: str
    sent_at: dt.datetime
    ack_due_at: dt.datetime = Field(..., description="签收时限")
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    status: str = Field(
        ...,
        description="pending 待签收、overdue 超时未签收、acknowledged 已签收、withdrawn 已撤回（交办异议）",
    )
    status_label: str
    timing: str = Field(..., description="已发出多久、剩余或超时多久（中文）")


class NoticeListOut(Schema):
    items: list[NoticeOut]
    count: int


class NoticeFilters(InSchema):
    overdue: bool = Field(False, description="true：只列超时未签收的交办单")
    offset: Offset = 0
    limit: Limit = 50


def _notice(n: AssignmentNotice, now) -> dict:
    status = n.status(now)
    return {
        "id": n.pk,
        "case": n.case_id,
        "case_number": n.case.number,
        "case_title": n.case.title,
        "target": n.target,
        "target_label": n.target_label,
        "supporting": n.supporting,
        "unit": n.unit_name,
        "requirements": n.requirements,
        "sent_at": n.sent_at,
        "ack_due_at": n.ack_due_at,
        "acknowledged_at": n.acknowledged_at,
        "acknowledged_by": n.acknowledged_by.display_name if n.acknowledged_by_id else None,
        "status": status,
        "status_label": NoticeStatus(status).label,
        "timing": timing_text(n, now),
    }


@router.get(
    "/notices",
    response=NoticeListOut,
    summary="交办单：村（居）、部门为本单位收到的，联席办为全镇的；overdue=true 为超时未签收",
)
def notice_index(request, filters: Query[NoticeFilters]):
    now = timezone.now()
    notices = selectors.inbox(user=request.user, overdue=filters.overdue, now=now)
    count = notices.count()
    items = [_notice(n, now) for n in notices[filters.offset : filters.offset + filters.limit]]
    return {"items": items, "count": count}


@router.post(
    "/notices/{notice_id}/acknowledge",
    response={200: NoticeOut, 403: ErrorOut, 409: ErrorOut},
    summary="签收交办单（只能由接收单位签收一次）",
)
def notice_ack(request, notice_id: Id):
    try:
        notice = notice_acknowledge(notice_id=notice_id, acting_user=request.user)
    except NoticeAlreadyAcknowledged as exc:
        return Status(409, {"detail": str(exc)})
    return _notice(notice, timezone.now())
