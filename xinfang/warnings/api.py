"""预警 through the API: the caller's own warnings (their inbox copies), one warning, acknowledge and
handle. Another user's warning, or another town's, answers 404."""

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema

from xinfang.core.schemas import ErrorOut, Id, InSchema, Limit, Offset

from . import selectors
from .services import NOTE_MAX, warning_acknowledge, warning_handle

router = Router(tags=["预警"])

LevelName = Literal["blue", "yellow", "orange", "red"]


class ObjectOut(Schema):
    type: str = Field(
        ...,
        description="case 信访事项、key_person 重点人员、village 村（居）、department 部门，或规则自定的对象",
    )
    id: int | None
    label: str


class WarningOut(Schema):
    id: int
    level: str = Field(..., description="blue 蓝、yellow 黄、orange 橙、red 红")
    rule: str
    rule_name: str
    object: ObjectOut
    text: str
    url: str
    created_at: dt.datetime
    read: bool = Field(..., description="本人是否已读")
    status: str = Field(..., description="open 待签收、acknowledged 已签收、handled 已处置")
    acknowledged_at: dt.datetime | None
    handled_at: dt.datetime | None
    handled_note: str


class WarningListOut(Schema):
    items: list[WarningOut]
    count: int


class WarningFilters(InSchema):
    unread: bool = Field(False, description="true：只看未读")
    level: LevelName | None = None
    rule: str = Field("", max_length=60, description="规则代码")
    offset: Offset = 0
    limit: Limit = 50


class HandleIn(InSchema):
    note: str = Field(..., min_length=1, max_length=NOTE_MAX, description="处置情况")


def _out(w, read: bool) -> dict:
    return {
        "id": w.pk,
        "level": w.level,
        "rule": w.rule,
        "rule_name": selectors.rule_name(w.rule),
        "object": selectors.object_of(w),
        "text": w.text,
        "url": f"/warnings/{w.pk}/",
        "created_at": w.created_at,
        "read": read,
        "status": w.status,
        "acknowledged_at": w.acknowledged_at,
        "handled_at": w.handled_at,
        "handled_note": w.handled_note,
    }


@router.get("/warnings", response=WarningListOut, summary="我的预警（unread=true 只看未读，level= 按等级）")
def warning_index(request, filters: Query[WarningFilters]):
    rows = selectors.my_warnings(
        user=request.auth, unread=filters.unread, level=filters.level or "", rule=filters.rule
    )
    page = rows[filters.offset : filters.offset + filters.limit]
    return {"items": [_out(a.warning, a.read_at is not None) for a in page], "count": rows.count()}


@router.get("/warnings/{warning_id}", response={200: WarningOut, 404: ErrorOut}, summary="一条预警")
def warning_one(request, warning_id: Id):
    d = selectors.detail(user=request.auth, pk=warning_id)
    return _out(d.warning, d.mine is not None and d.mine.read_at is not None)


@router.post(
    "/warnings/{warning_id}/ack",
    response={200: WarningOut, 403: ErrorOut, 404: ErrorOut},
    summary="签收预警（接收人或联席办）",
)
def warning_ack(request, warning_id: Id):
    w = warning_acknowledge(warning_id=warning_id, acting_user=request.auth)
    return _out(w, True)


@router.post(
    "/warnings/{warning_id}/handle",
    response={200: WarningOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="处置预警并填写处置情况（接收人或联席办）",
)
def warning_handled(request, warning_id: Id, body: HandleIn):
    w = warning_handle(warning_id=warning_id, acting_user=request.auth, note=body.note)
    return _out(w, True)
