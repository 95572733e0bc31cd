"""稳控 through the API: for a phone app, or the police system (警信联动). Scoped like everything else."""

import datetime as dt

from ninja import Field, Query, Router, Schema, Status

from xinfang.core.masking import mask_id_number

from . import selectors
from .choices import ContactWay, FoundStatus, IncidentKind, IncidentLevel, KeeperDuty, PeriodLevel
from .services import contact_log, follow_up_record, incident_record, key_person_create, period_create

router = Router(tags=["稳控"])


def _help(choices) -> str:
    return "、".join(f"{value} {label}" for value, label in choices.choices)


# --- petitioners -------------------------------------------------------------------------------


class PetitionerOut(Schema):
    id: int
    name: str
    id_number: str = Field(..., description="身份证号（打码：前 6 位和后 4 位）")
    village: str | None
    key_person: int | None = Field(None, description="已列为重点人员时，重点人员编号")


class PetitionerListOut(Schema):
    items: list[PetitionerOut]
    count: int


@router.get("/petitioners", response=PetitionerListOut, summary="查询信访人（姓名，或完整的 18 位身份证号）")
def petitioners(request, q: str = "", offset: int = 0, limit: int = 50):
    offset, limit = max(offset, 0), min(max(limit, 1), 200)
    found = selectors.petitioners_search(user=request.auth, q=q).prefetch_related("key_persons")
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


class KeeperIn(Schema):
    person: int
    duty: str = Field("", description="包保职责：" + _help(KeeperDuty) + "；不填则按人员职务推断")


class KeyPersonIn(Schema):
    petitioner: int = Field(..., description="信访人编号（GET /api/v1/petitioners?q= 查询）")
    level: str = Field(..., description="风险等级代码（镇配置；演示镇 high 高、medium 中、low 低）")
    reasons: str = Field(..., description="列管原因")
    keepers: list[int | KeeperIn] = Field(
        default_factory=list, description="包保人员：人员编号，或 {person, duty}；可先不填（包保未落实）"
    )
    case: int | None = Field(None, description="相关信访事项编号")
    group: str = Field("", description="涉众群体名称")
    tags: list[str] = Field(default_factory=list)
    measures: str = ""


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


class KeyPersonFilters(Schema):
    q: str = Field("", description="姓名、涉众群体或完整身份证号")
    level: str = ""
    status: str = Field("", description="状态；kept 为在控、外出、失联")
    village: int | None = None
    group: str = ""
    unkept: bool = Field(False, description="只看包保未落实")
    short_today: bool = Field(False, description="只看今日见面不足的")
    offset: int = Field(0, ge=0)
    limit: int = Field(50, ge=1, le=500)


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


@router.post("/key-persons", response={201: KeyPersonOut}, summary="列为重点人员（仅联席办）")
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
def key_person_detail(request, key_person_id: int):
    kp = selectors.key_person_get(user=request.auth, pk=key_person_id)
    return _kp(kp, next(iter(selectors.standings([kp])), None))


class ContactIn(Schema):
    at: dt.datetime | None = Field(None, description="见面时间，不填为现在")
    way: str = Field(..., description="方式：" + _help(ContactWay))
    status: str = Field(..., description="见面状态：" + _help(FoundStatus))
    place: str = ""
    note: str = Field("", description="情况说明（失联、异常时必填）")


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
    response={201: ContactOut},
    summary="记录见面（包保人员、村、网格员）",
)
def contact_new(request, key_person_id: int, body: ContactIn):
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


class PeriodIn(Schema):
    name: str
    start: dt.date
    end: dt.date
    level: str = Field(..., description="级别：" + _help(PeriodLevel))
    contacts_per_day: int | None = Field(None, description="每日见面次数，不填为镇配置（演示镇 3）")
    key_persons: list[int] | None = Field(None, description="纳入的重点人员编号；不填为全部在控人员")


class PeriodOut(Schema):
    id: int
    name: str
    start: dt.date
    end: dt.date
    level: str
    level_label: str
    contacts_per_day: int
    key_persons: int


class PeriodListOut(Schema):
    items: list[PeriodOut]
    count: int


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


@router.get("/protection-periods", response=PeriodListOut, summary="重大活动、敏感节点保障期")
def period_index(request):
    found = selectors.periods(user=request.auth)
    return {"items": [_period(p) for p in found[:200]], "count": found.count()}


@router.post("/protection-periods", response={201: PeriodOut}, summary="设立保障期（仅联席办）")
def period_new(request, body: PeriodIn):
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


class BoardRowOut(Schema):
    key_person: KeyPersonOut
    stay_confirmed: bool | None = Field(..., description="零滞留：true 在当地，false 不在，null 未确认")
    stay_confirmed_by: str
    incidents: int


class BoardOut(Schema):
    period: PeriodOut
    day: dt.date
    in_force: bool
    rows: list[BoardRowOut]
    short: int = Field(..., description="今日见面不足的人数")
    unconfirmed: int = Field(..., description="零滞留未确认的人数")
    stranded: int = Field(..., description="滞留（不在当地）的人数")
    registrations: int = Field(..., description="保障期内被登记次数（零登记目标为 0）")
    missing_reports: list[str] = Field(..., description="今日未报告的村（居）")


@router.get("/protection-periods/{period_id}/board", response=BoardOut, summary="保障期看板")
def period_board(request, period_id: int):
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


class IncidentIn(Schema):
    kind: str = Field(..., description="类型：" + _help(IncidentKind))
    occurred_at: dt.datetime
    level_reached: str = Field(..., description="到达层级：" + _help(IncidentLevel))
    place: str = ""
    persons_count: int = 1
    persons: str = ""
    key_persons: list[int] = Field(default_factory=list)
    cases: list[int] = Field(default_factory=list)
    handling: str = Field("", description="处置情况")


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


@router.get("/incidents", response=IncidentListOut, summary="五不事件")
def incident_index(request, kind: str = "", offset: int = 0, limit: int = 50):
    offset, limit = max(offset, 0), min(max(limit, 1), 500)
    found = selectors.incidents(user=request.auth)
    if kind:
        found = found.filter(kind=kind)
    return {"items": [_incident(i) for i in found[offset : offset + limit]], "count": found.count()}


@router.post("/incidents", response={201: IncidentOut}, summary="登记五不事件（仅联席办）")
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


class FollowUpIn(Schema):
    state: str
    note: str
    on: dt.date | None = None


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
def follow_up_index(request, due: bool = False, offset: int = 0, limit: int = 50):
    offset, limit = max(offset, 0), min(max(limit, 1), 500)
    found = selectors.follow_ups(user=request.auth, due=due)
    return {"items": [_follow_up(f) for f in found[offset : offset + limit]], "count": found.count()}


@router.post("/follow-ups/{follow_up_id}", response=FollowUpOut, summary="记录回访")
def follow_up_done(request, follow_up_id: int, body: FollowUpIn):
    return _follow_up(
        follow_up_record(
            follow_up_id=follow_up_id, acting_user=request.auth, state=body.state, note=body.note, on=body.on
        )
    )
