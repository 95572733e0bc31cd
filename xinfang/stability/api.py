"""稳控 through the API: for a phone app, or the police system (警信联动). Scoped like everything else."""

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator, BeforeValidator

from xinfang.core.inputs import EARLIEST, latest_moment
from xinfang.core.masking import mask_id_number
from xinfang.core.schemas import Day, ErrorOut, Id, InSchema, Limit, Offset

from . import selectors
from .choices import (
    ContactWay,
    FoundStatus,
    IncidentKind,
    IncidentLevel,
    KeeperDuty,
    PeriodLevel,
    PetitionerState,
)
from .services import (
    INCIDENT_PERSONS_MAX,
    contact_log,
    follow_up_record,
    incident_record,
    key_person_create,
    period_create,
)

router = Router(tags=["稳控"])


def _help(choices) -> str:
    return "、".join(f"{value} {label}" for value, label in choices.choices)


def _not_a_number(value: Any):
    if isinstance(value, int | float):  # pydantic would read 12345 as seconds since 1970
        raise ValueError("应为日期时间文字，如 2026-05-01T09:30:00+08:00，不能是数字")
    return value


def _within_calendar(value: dt.datetime) -> dt.datetime:
    """Absurd years stay out of the date calculations; the services refuse the future themselves."""
    day = value.date()
    if day < EARLIEST:
        raise ValueError(f"时间不能早于 {EARLIEST:%Y-%m-%d}，请核对年份")
    if day > latest_moment():
        raise ValueError("时间不能晚于现在，请核对日期和时间")
    return value


# When something happened (a contact, an incident): an ISO date and time, a zone optional (Beijing).
When = Annotated[
    dt.datetime,
    BeforeValidator(_not_a_number),
    AfterValidator(_within_calendar),
    Field(description="日期时间，如 2026-05-01T09:30:00+08:00；不带时区按北京时间"),
]
Code = Annotated[str, Field(max_length=20)]


# --- petitioners -------------------------------------------------------------------------------


class PetitionerFoundOut(Schema):
    id: int
    name: str
    id_number: str = Field(..., description="身份证号（打码：前 6 位和后 4 位）")
    village: str | None
    key_person: int | None = Field(None, description="已列为重点人员时，重点人员编号")


class PetitionerFoundListOut(Schema):
    items: list[PetitionerFoundOut]
    count: int


class PetitionerSearch(InSchema):
    q: str = Field("", max_length=40, description="姓名，或完整的 18 位身份证号")
    offset: Offset = 0
    limit: Limit = 50


@router.get(
    "/petitioners", response=PetitionerFoundListOut, summary="查询信访人（姓名，或完整的 18 位身份证号）"
)
def petitioners(request, filters: Query[PetitionerSearch]):
    offset, limit = filters.offset, filters.limit
    found = selectors.petitioners_search(user=request.auth, q=filters.q).prefetch_related("key_persons")
    page = list(found.order_by("name", "id")[offset : offset + limit])
    return {
        "items": [
            {
                "id": p.pk,
                "name": p.name,
                "id_number": mask_id_number(p.id_number),
                "village": p.village.name if p.village_id else None,
                "key_person": next((k.pk for k in p.key_persons.all() if k.status != "revoked"), None),
            }
            for p in page
        ],
        "count": found.count(),
    }


# --- key persons -------------------------------------------------------------------------------


class KeeperIn(InSchema):
    person: Id
    duty: Code = Field("", description="包保职责：" + _help(KeeperDuty) + "；不填则按人员职务推断")


class KeyPersonIn(InSchema):
    petitioner: Id = Field(..., description="信访人编号（GET /api/v1/petitioners?q= 查询）")
    level: Code = Field(..., description="风险等级代码（镇配置；演示镇 high 高、medium 中、low 低）")
    reasons: str = Field(..., max_length=1000, description="列管原因（1000 字以内）")
    keepers: list[Id | KeeperIn] = Field(
        default_factory=list,
        max_length=50,
        description="包保人员：人员编号，或 {person, duty}；可先不填（包保未落实）",
    )
    case: Id | None = Field(None, description="相关信访事项编号")
    group: str = Field("", max_length=60, description="涉众群体名称")
    tags: list[Annotated[str, Field(max_length=20)]] = Field(
        default_factory=list, max_length=10, description="标签，最多 10 个，每个 20 字以内"
    )
    measures: str = Field("", max_length=2000, description="稳控措施（2000 字以内）")


class KeeperOut(Schema):
    person: int
    name: str
    duty: str
    duty_label: str


class StandingOut(Schema):
    required: int = Field(..., description="要求见面次数")
    within_days: int = Field(..., description="在多少日内（保障期内为 1：每日）")
    met: int
    today: int
    short: bool
    period: str = Field(..., description="提高要求的保障期名称，没有为空")


class KeyPersonOut(Schema):
    id: int
    petitioner: int
    name: str
    id_number: str = Field(..., description="身份证号（打码）")
    village: str | None
    level: str
    level_label: str
    reasons: str
    group: str
    tags: list[str]
    measures: str
    status: str
    status_label: str
    status_reason: str
    case: int | None
    case_number: str
    keepers: list[KeeperOut]
    kept: bool = Field(..., description="包保已落实（至少一名包保人员）")
    last_contact_at: dt.datetime | None
    last_found: str
    standing: StandingOut | None = Field(None, description="今日见面要求与完成情况（在控、外出、失联的人员）")


class KeyPersonListOut(Schema):
    items: list[KeyPersonOut]
    count: int


def _standing(s) -> dict | None:
    if s is None:
        return None
    return {
        "required": s.need.contacts,
        "within_days": s.need.days,
        "met": s.met,
        "today": s.today,
        "short": s.short,
        "period": s.need.period,
    }


def _kp(kp, standing=None) -> dict:
    keepers = list(kp.keepers.all())
    return {
        "id": kp.pk,
        "petitioner": kp.petitioner_id,
        "name": kp.petitioner.name,
        "id_number": mask_id_number(kp.petitioner.id_number),
        "village": kp.village.name if kp.village_id else None,
        "level": kp.level,
        "level_label": kp.level_name,
        "reasons": kp.reasons,
        "group": kp.group,
        "tags": kp.tags or [],
        "measures": kp.measures,
        "status": kp.status,
        "status_label": kp.get_status_display(),
        "status_reason": kp.status_reason,
        "case": kp.case_id,
        "case_number": kp.case.number if kp.case_id else "",
        "keepers": [
            {"person": k.person_id, "name": k.person.name, "duty": k.duty, "duty_label": k.get_duty_display()}
            for k in keepers
        ],
        "kept": bool(keepers),
        "last_contact_at": kp.last_contact_at,
        "last_found": kp.last_found,
        "standing": _standing(standing),
    }


class KeyPersonFilters(InSchema):
    q: str = Field("", max_length=60, description="姓名、涉众群体或完整身份证号")
    level: Code = ""
    status: Code = Field("", description="状态；kept 为在控、外出、失联")
    village: Id | None = Field(None, description="村（居）编号")
    group: str = Field("", max_length=60)
    unkept: bool = Field(False, description="只看包保未落实")
    short_today: bool = Field(False, description="只看今日见面不足的")
    offset: Offset = 0
    limit: Limit = 50


@router.get("/key-persons", response=KeyPersonListOut, summary="重点人员（short_today=true：今日见面不足）")
def key_person_index(request, filters: Query[KeyPersonFilters]):
    user = request.auth
    found = selectors.key_person_filter(
        selectors.key_persons(user=user),
        q=filters.q.strip(),
        level=filters.level,
        status=filters.status,
        village=filters.village,
        group=filters.group,
        unkept=filters.unkept,
    )
    if filters.short_today:
        rows = [s for s in selectors.standings(list(found)) if s.short]
        page = rows[filters.offset : filters.offset + filters.limit]
        return {"items": [_kp(s.key_person, s) for s in page], "count": len(rows)}
    page = list(found[filters.offset : filters.offset + filters.limit])
    by_pk = {s.key_person.pk: s for s in selectors.standings(page)}
    return {"items": [_kp(kp, by_pk.get(kp.pk)) for kp in page], "count": found.count()}


@router.post(
    "/key-persons",
    response={201: KeyPersonOut, 403: ErrorOut, 422: ErrorOut},
    summary="列为重点人员（仅联席办）",
)
def key_person_new(request, body: KeyPersonIn):
    keepers = [k if isinstance(k, int) else (k.person, k.duty) for k in body.keepers]
    kp = key_person_create(
        acting_user=request.auth,
        petitioner_id=body.petitioner,
        level=body.level,
        reasons=body.reasons,
        keepers=keepers,
        case_id=body.case,
        group=body.group,
        tags=body.tags,
        measures=body.measures,
    )
    kp = selectors.key_person_get(user=request.auth, pk=kp.pk)
    return Status(201, _kp(kp, next(iter(selectors.standings([kp])), None)))


@router.get("/key-persons/{key_person_id}", response=KeyPersonOut, summary="一名重点人员")
def key_person_detail(request, key_person_id: Id):
    kp = selectors.key_person_get(user=request.auth, pk=key_person_id)
    return _kp(kp, next(iter(selectors.standings([kp])), None))


class ContactIn(InSchema):
    at: When | None = Field(None, description="见面时间，不填为现在；可补记 7 日以内的见面")
    way: Code = Field(..., description="方式：" + _help(ContactWay))
    status: Code = Field(..., description="见面状态：" + _help(FoundStatus))
    place: str = Field("", max_length=100)
    note: str = Field("", max_length=500, description="情况说明（失联、异常时必填，500 字以内）")


class ContactOut(Schema):
    id: int
    key_person: int
    at: dt.datetime
    way: str
    status: str
    place: str
    note: str
    recorded_by: str
    alarm: bool = Field(..., description="失联或异常：已立即告知包保领导、联席办和民警")


@router.post(
    "/key-persons/{key_person_id}/contacts",
    response={201: ContactOut, 403: ErrorOut, 422: ErrorOut},
    summary="记录见面（包保人员、村、网格员）",
)
def contact_new(request, key_person_id: Id, body: ContactIn):
    contact = contact_log(
        key_person_id=key_person_id,
        acting_user=request.auth,
        at=body.at,
        way=body.way,
        found=body.status,
        place=body.place,
        note=body.note,
    )
    return Status(
        201,
        {
            "id": contact.pk,
            "key_person": contact.key_person_id,
            "at": contact.at,
            "way": contact.way,
            "status": contact.found,
            "place": contact.place,
            "note": contact.note,
            "recorded_by": contact.recorded_by.display_name,
            "alarm": hasattr(contact, "alarm"),
        },
    )


# --- protection periods ------------------------------------------------------------------------


class ProtectionPeriodIn(InSchema):
    name: str = Field(..., max_length=100, description="名称，如 全国两会")
    start: Day
    end: Day = Field(..., description="结束日期（保障期最长 3 个月）")
    level: Code = Field(..., description="级别：" + _help(PeriodLevel))
    contacts_per_day: int | None = Field(
        None, ge=1, le=10, description="每日见面次数（1–10），不填为镇配置（演示镇 3）"
    )
    key_persons: list[Id] | None = Field(
        None, max_length=2000, description="纳入的重点人员编号；不填为全部在控人员"
    )


class ProtectionPeriodOut(Schema):
    id: int
    name: str
    start: dt.date
    end: dt.date
    level: str
    level_label: str
    contacts_per_day: int
    key_persons: int


class ProtectionPeriodListOut(Schema):
    items: list[ProtectionPeriodOut]
    count: int


class ProtectionPeriodFilters(InSchema):
    offset: Offset = 0
    limit: Limit = 50


def _period(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "start": p.start,
        "end": p.end,
        "level": p.level,
        "level_label": p.get_level_display(),
        "contacts_per_day": p.contacts_per_day,
        "key_persons": p.key_persons.count(),
    }


@router.get("/protection-periods", response=ProtectionPeriodListOut, summary="重大活动、敏感节点保障期")
def period_index(request, filters: Query[ProtectionPeriodFilters]):
    found = selectors.periods(user=request.auth).order_by("-start", "-id")
    page = found[filters.offset : filters.offset + filters.limit]
    return {"items": [_period(p) for p in page], "count": found.count()}


@router.post(
    "/protection-periods",
    response={201: ProtectionPeriodOut, 403: ErrorOut, 422: ErrorOut},
    summary="设立保障期（仅联席办）",
)
def period_new(request, body: ProtectionPeriodIn):
    period = period_create(
        acting_user=request.auth,
        name=body.name,
        start=body.start,
        end=body.end,
        level=body.level,
        contacts_per_day=body.contacts_per_day,
        key_person_ids=body.key_persons,
    )
    return Status(201, _period(period))


class ProtectionBoardRowOut(Schema):
    key_person: KeyPersonOut
    stay_confirmed: bool | None = Field(..., description="零滞留：true 在当地，false 不在，null 未确认")
    stay_confirmed_by: str
    incidents: int


class ProtectionBoardOut(Schema):
    period: ProtectionPeriodOut
    day: dt.date
    in_force: bool
    rows: list[ProtectionBoardRowOut]
    short: int = Field(..., description="今日见面不足的人数")
    unconfirmed: int = Field(..., description="零滞留未确认的人数")
    stranded: int = Field(..., description="滞留（不在当地）的人数")
    registrations: int = Field(..., description="保障期内被登记次数（零登记目标为 0）")
    missing_reports: list[str] = Field(..., description="今日未报告的村（居）")


@router.get("/protection-periods/{period_id}/board", response=ProtectionBoardOut, summary="保障期看板")
def period_board(request, period_id: Id):
    period = selectors.period_get(user=request.auth, pk=period_id)
    b = selectors.board(user=request.auth, period=period)
    return {
        "period": _period(period),
        "day": b.day,
        "in_force": b.in_force,
        "rows": [
            {
                "key_person": _kp(r.standing.key_person, r.standing),
                "stay_confirmed": r.stay.in_place if r.stay else None,
                "stay_confirmed_by": r.stay.confirmed_by.display_name if r.stay else "",
                "incidents": r.incidents,
            }
            for r in b.rows
        ],
        "short": b.short_count,
        "unconfirmed": b.unconfirmed,
        "stranded": b.stranded,
        "registrations": len(b.registrations),
        "missing_reports": [v.name for v in b.missing_villages],
    }


# --- incidents ---------------------------------------------------------------------------------


class IncidentIn(InSchema):
    kind: Code = Field(..., description="类型：" + _help(IncidentKind))
    occurred_at: When = Field(..., description="发生时间，如 2026-05-01T09:30:00+08:00；不晚于现在")
    level_reached: Code = Field(..., description="到达层级：" + _help(IncidentLevel))
    place: str = Field("", max_length=100)
    persons_count: int = Field(
        1, ge=1, le=INCIDENT_PERSONS_MAX, description=f"人数（1–{INCIDENT_PERSONS_MAX}）"
    )
    persons: str = Field("", max_length=300, description="涉及人员，不填为所选重点人员的姓名")
    key_persons: list[Id] = Field(default_factory=list, max_length=200)
    cases: list[Id] = Field(default_factory=list, max_length=200)
    handling: str = Field("", max_length=2000, description="处置情况（2000 字以内）")


class IncidentOut(Schema):
    id: int
    kind: str
    kind_label: str
    occurred_at: dt.datetime
    place: str
    persons_count: int
    persons: str
    village: str | None
    key_persons: list[int]
    cases: list[int]
    level_reached: str
    handling: str
    period: int | None


class IncidentListOut(Schema):
    items: list[IncidentOut]
    count: int


def _incident(i) -> dict:
    return {
        "id": i.pk,
        "kind": i.kind,
        "kind_label": i.get_kind_display(),
        "occurred_at": i.occurred_at,
        "place": i.place,
        "persons_count": i.persons_count,
        "persons": i.persons,
        "village": i.village.name if i.village_id else None,
        "key_persons": [k.pk for k in i.key_persons.all()],
        "cases": [c.pk for c in i.cases.all()],
        "level_reached": i.level_reached,
        "handling": i.handling,
        "period": i.period_id,
    }


class IncidentFilters(InSchema):
    kind: Code = Field("", description="类型：" + _help(IncidentKind))
    offset: Offset = 0
    limit: Limit = 50


@router.get("/incidents", response=IncidentListOut, summary="五不事件")
def incident_index(request, filters: Query[IncidentFilters]):
    found = selectors.incidents(user=request.auth)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    page = found[filters.offset : filters.offset + filters.limit]
    return {"items": [_incident(i) for i in page], "count": found.count()}


@router.post(
    "/incidents",
    response={201: IncidentOut, 403: ErrorOut, 422: ErrorOut},
    summary="登记五不事件（仅联席办）",
)
def incident_new(request, body: IncidentIn):
    incident = incident_record(
        acting_user=request.auth,
        kind=body.kind,
        occurred_at=body.occurred_at,
        level_reached=body.level_reached,
        place=body.place,
        persons_count=body.persons_count,
        persons=body.persons,
        key_person_ids=body.key_persons,
        case_ids=body.cases,
        handling=body.handling,
    )
    return Status(201, _incident(incident))


# --- follow-ups --------------------------------------------------------------------------------


class FollowUpOut(Schema):
    id: int
    case: int
    case_number: str
    seq: int
    due_on: dt.date
    done_on: dt.date | None
    state: str
    note: str


class FollowUpListOut(Schema):
    items: list[FollowUpOut]
    count: int


class FollowUpIn(InSchema):
    state: Code = Field(..., description="信访人状态：" + _help(PetitionerState))
    note: str = Field(..., max_length=500, description="回访情况（500 字以内）")
    on: Day | None = Field(None, description="回访日期，不填为今天；不早于化解日期，不晚于今天")


class FollowUpFilters(InSchema):
    due: bool = Field(False, description="只看已到期未回访的")
    offset: Offset = 0
    limit: Limit = 50


def _follow_up(f) -> dict:
    return {
        "id": f.pk,
        "case": f.watch.case_id,
        "case_number": f.watch.case.number,
        "seq": f.seq,
        "due_on": f.due_on,
        "done_on": f.done_on,
        "state": f.state,
        "note": f.note,
    }


@router.get("/follow-ups", response=FollowUpListOut, summary="已化解事项的回访（due=true：已到期未回访）")
def follow_up_index(request, filters: Query[FollowUpFilters]):
    found = selectors.follow_ups(user=request.auth, due=filters.due)
    page = found[filters.offset : filters.offset + filters.limit]
    return {"items": [_follow_up(f) for f in page], "count": found.count()}


@router.post(
    "/follow-ups/{follow_up_id}",
    response={200: FollowUpOut, 403: ErrorOut, 422: ErrorOut},
    summary="记录回访（联席办、村（居）、网格员、本事项的包案领导）",
)
def follow_up_done(request, follow_up_id: Id, body: FollowUpIn):
    return _follow_up(
        follow_up_record(
            follow_up_id=follow_up_id, acting_user=request.auth, state=body.state, note=body.note, on=body.on
        )
    )
