"""Meetings, their cadence and the reception days through the API, scoped like the pages."""

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core.schemas import Day, ErrorOut, Id, InSchema, Limit, LongText, Offset

from . import selectors, services
from .choices import MeetingKind
from .documents import minutes_document, minutes_filename

router = Router(tags=["会议与接待"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KIND_HELP = "、".join(f"{v} {label}" for v, label in MeetingKind.choices)
Ids = Annotated[list[Id], Field(max_length=services.LIST_MAX)]


class TaskIn(InSchema):
    what: str = Field(..., max_length=services.TASK_MAX, description="任务内容")
    owner: Id = Field(..., description="责任人（人员 id）")
    due_on: Day


class OwnerIn(InSchema):
    case: Id = Field(..., description="待联席会议确定的信访事项 id")
    lead_leader: Id = Field(..., description="联席会议确定的包案领导（人员 id）")
    lead_department: Id | None = Field(None, description="牵头部门 id（不填则按类别）")
    responsible_persons: Ids = Field(default_factory=list, description="责任人（人员 id）")


class MeetingIn(InSchema):
    kind: str = Field(..., max_length=20, description=KIND_HELP)
    held_on: Day
    place: str = Field(..., max_length=services.PLACE_MAX)
    title: str = Field("", max_length=services.TITLE_MAX, description="议题")
    host: Id | None = Field(
        None, description="主持人（人员 id）；工作专班会议为召集的包案领导，镇领导记录时为本人"
    )
    attendees: Ids = Field(default_factory=list, description="参会人员（人员 id）")
    cases: Ids = Field(default_factory=list, description="研究的信访事项 id")
    key_persons: Ids = Field(default_factory=list, description="研究的重点人员 id")
    decisions: LongText = Field("", description="会议决定")
    tasks: list[TaskIn] = Field(default_factory=list, max_length=services.TASKS_MAX, description="交办任务")
    owners: list[OwnerIn] = Field(
        default_factory=list, max_length=services.LIST_MAX, description="联席会议确定的包案领导（仅联席会议）"
    )


class TaskOut(Schema):
    id: int
    what: str
    owner: str
    due_on: dt.date
    done_on: dt.date | None


class OwnerDecisionOut(Schema):
    case: int
    number: str
    lead_leader: str
    lead_department: str | None
    responsible_persons: list[str]


class MeetingOut(Schema):
    id: int
    kind: str
    kind_label: str
    held_on: dt.date
    place: str
    title: str
    host: str | None


class MeetingDetailOut(MeetingOut):
    attendees: list[str]
    cases: list[str] = Field(..., description="研究的信访事项编号（调用者可见的）")
    key_persons: list[str]
    decisions: str
    tasks: list[TaskOut]
    owner_decisions: list[OwnerDecisionOut]
    minutes_url: str


class MeetingListOut(Schema):
    items: list[MeetingOut]
    count: int


class MeetingFilters(InSchema):
    kind: str = Field("", max_length=20, description=KIND_HELP)
    start: Day | None = None
    end: Day | None = None
    offset: Offset = 0
    limit: Limit = 50


def _meeting(m) -> dict:
    return {
        "id": m.pk,
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "held_on": m.held_on,
        "place": m.place,
        "title": m.title,
        "host": m.host.name if m.host_id else None,
    }


def _detail(user, meeting) -> dict:
    page = selectors.meeting_page(user=user, meeting=meeting)
    return {
        **_meeting(meeting),
        "attendees": [p.name for p in page["attendees"]],
        "cases": [c.number for c in page["cases"]],
        "key_persons": [kp.petitioner.name for kp in page["key_persons"]],
        "decisions": meeting.decisions,
        "tasks": [
            {"id": t.pk, "what": t.what, "owner": t.owner.name, "due_on": t.due_on, "done_on": t.done_on}
            for t in page["tasks"]
        ],
        "owner_decisions": [
            {
                "case": row["case"].pk,
                "number": row["case"].number,
                "lead_leader": row["decision"].lead_leader.name,
                "lead_department": row["decision"].lead_department.name
                if row["decision"].lead_department_id
                else None,
                "responsible_persons": [p.name for p in row["responsible"]],
            }
            for row in page["owner_decisions"]
        ],
        "minutes_url": f"/api/v1/meetings/{meeting.pk}/minutes",
    }


@router.get("/meetings", response={200: MeetingListOut, 422: ErrorOut}, summary="会议记录（按调用者范围）")
def meeting_index(request, filters: Query[MeetingFilters]):
    if filters.kind and filters.kind not in MeetingKind.values:
        raise ValidationError({"kind": f"会议类型应为：{KIND_HELP}。"})
    found = selectors.meetings(user=request.auth, kind=filters.kind, start=filters.start, end=filters.end)
    page = found[filters.offset : filters.offset + filters.limit]
    return {"items": [_meeting(m) for m in page], "count": found.count()}


@router.post(
    "/meetings",
    response={201: MeetingDetailOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="记录会议（联席办：各类会议；镇领导：本人召集的工作专班会议）",
)
def meeting_new(request, body: MeetingIn):
    meeting = services.meeting_create(
        acting_user=request.auth,
        data=services.MeetingIn(
            kind=body.kind,
            held_on=body.held_on,
            place=body.place,
            title=body.title,
            host_id=body.host,
            attendee_ids=body.attendees,
            case_ids=body.cases,
            key_person_ids=body.key_persons,
            decisions=body.decisions,
            tasks=[services.TaskIn(what=t.what, owner_id=t.owner, due_on=t.due_on) for t in body.tasks],
            owners=[
                services.OwnerIn(
                    case_id=o.case,
                    lead_leader_id=o.lead_leader,
                    lead_department_id=o.lead_department,
                    responsible_ids=o.responsible_persons,
                )
                for o in body.owners
            ],
        ),
    )
    meeting = selectors.meeting_get(user=request.auth, pk=meeting.pk)
    return Status(201, _detail(request.auth, meeting))


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut, summary="一次会议")
def meeting_detail(request, meeting_id: Id):
    return _detail(request.auth, selectors.meeting_get(user=request.auth, pk=meeting_id))


@router.get("/meetings/{meeting_id}/minutes", summary="会议纪要（Word）")
def meeting_minutes(request, meeting_id: Id):
    user = request.auth
    meeting = selectors.meeting_get(user=user, pk=meeting_id)
    content = minutes_document(selectors.meeting_page(user=user, meeting=meeting))
    audit_record(
        event=AuditEventType.EXPORT, user=user, target=meeting, town=meeting.town, detail="下载会议纪要"
    )
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(minutes_filename(meeting))}"
    response["Cache-Control"] = "private, no-store"
    return response


class TaskDoneIn(InSchema):
    done_on: Day | None = Field(None, description="完成日期（不填为今天）")


@router.post(
    "/meeting-tasks/{task_id}/done",
    response={200: TaskOut, 403: ErrorOut, 422: ErrorOut},
    summary="会议交办任务完成（联席办、责任人或会议召集人）",
)
def task_done(request, task_id: Id, body: TaskDoneIn):
    t = services.task_done(acting_user=request.auth, task_id=task_id, done_on=body.done_on)
    return {"id": t.pk, "what": t.what, "owner": t.owner.name, "due_on": t.due_on, "done_on": t.done_on}


# --- cadence -----------------------------------------------------------------------------------


class CadenceRowOut(Schema):
    code: str
    name: str
    leader_id: int | None
    leader_name: str
    period_start: dt.date
    period_end: dt.date
    required: int
    held: int
    short: bool
    ended: bool


class CadenceOut(Schema):
    items: list[CadenceRowOut]
    count: int


class CadenceFilters(InSchema):
    start: Day | None = Field(None, description="起（默认本月 1 日）")
    end: Day | None = Field(None, description="止（默认今天）")
    town: Id | None = Field(None, description="镇 id（县信访局用）")


@router.get("/meeting-cadence", response={200: CadenceOut, 422: ErrorOut}, summary="会议频次：应召开与已召开")
def cadence(request, filters: Query[CadenceFilters]):
    from xinfang.core.scoping import get_scoped_or_404
    from xinfang.org.models import Town

    user = request.auth
    today = timezone.localdate()
    start, end = filters.start or today.replace(day=1), filters.end or today
    if end < start or (end - start).days > 366 * 3:
        raise ValidationError({"end": "止日期不能早于起日期，且范围不超过三年。"})
    town = (
        user.town
        if user.town_id
        else (get_scoped_or_404(Town, user, pk=filters.town) if filters.town else None)
    )
    if town is None:
        raise ValidationError({"town": "请指定镇（town）。"})
    rows = selectors.cadence_rows(town, start, end, today=today)
    return {"items": rows, "count": len(rows)}


# --- reception days ----------------------------------------------------------------------------


class ReceptionIn(InSchema):
    held_on: Day
    place: str = Field(..., max_length=services.PLACE_MAX)
    leader: Id = Field(..., description="接访的镇领导（人员 id）")
    notes: str = Field("", max_length=services.NOTES_MAX)


class ReceptionOut(Schema):
    id: int
    held_on: dt.date
    place: str
    leader: str
    notes: str
    petitions: list[str] = Field(..., description="接待的来访所属事项编号（调用者可见的）")


class ReceptionListOut(Schema):
    items: list[ReceptionOut]
    count: int


class Paging(InSchema):
    offset: Offset = 0
    limit: Limit = 50


def _reception(user, r) -> dict:
    links = selectors.reception_petitions(user=user, reception=r)
    return {
        "id": r.pk,
        "held_on": r.held_on,
        "place": r.place,
        "leader": r.leader.name,
        "notes": r.notes,
        "petitions": [link.petition.case.number for link in links],
    }


@router.get("/receptions", response=ReceptionListOut, summary="领导接访日")
def reception_index(request, filters: Query[Paging]):
    found = selectors.receptions(user=request.auth)
    page = found[filters.offset : filters.offset + filters.limit]
    return {"items": [_reception(request.auth, r) for r in page], "count": found.count()}


@router.post(
    "/receptions",
    response={201: ReceptionOut, 403: ErrorOut, 422: ErrorOut},
    summary="安排领导接访日（仅联席办）",
)
def reception_new(request, body: ReceptionIn):
    r = services.reception_create(
        acting_user=request.auth,
        held_on=body.held_on,
        place=body.place,
        leader_id=body.leader,
        notes=body.notes,
    )
    return Status(201, _reception(request.auth, r))


class ReceptionLinkIn(InSchema):
    petition: Id = Field(..., description="信访记录 id")


@router.post(
    "/receptions/{reception_id}/petitions",
    response={201: ReceptionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="把已登记的来访关联到领导接访日（仅联席办）",
)
def reception_link(request, reception_id: Id, body: ReceptionLinkIn):
    services.reception_link(acting_user=request.auth, reception_id=reception_id, petition_id=body.petition)
    return Status(201, _reception(request.auth, selectors.reception_get(user=request.auth, pk=reception_id)))
