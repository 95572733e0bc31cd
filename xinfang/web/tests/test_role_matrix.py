"""The role matrix: every write of the API (POST/PUT) and every page POST, tried by every role of the
cast on an object that role can see. A write is allowed exactly where README.md says so; an allowed
write stores something (an audit row), a refused one answers 403 (404 for the administrators, who do
not see cases at all) and stores nothing.

The second half calls the services themselves: each checks its role rule, whatever the view in front
of it checked.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.attachments.services import attachment_add
from xinfang.attachments.tests.files import pdf_bytes, upload
from xinfang.audit.models import AuditEvent
from xinfang.cases.models import Case
from xinfang.cases.ownership import ownership_propose
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.testing import accept_and_assign
from xinfang.cases.transitions import ACTIONS, TransitionForbidden, case_accept, case_act, case_assign
from xinfang.core.admin_site import manage_site
from xinfang.notices.choices import NoticeTarget
from xinfang.notices.models import AssignmentNotice
from xinfang.org.models import Category, Person
from xinfang.plans.services import milestone_add
from xinfang.workcal.models import CalendarDay

pytestmark = pytest.mark.django_db

# One member of the cast per role (village2 is village1's role again).
ROLES = [
    "office",
    "leader1",
    "dept1",
    "village1",
    "grid1",
    "supervisor",
    "county",
    "sysadmin",
    "secadmin",
    "auditadmin",
]
# Who sees the matrix's case (a village1 case in dept1's line, owned by leader1): every work role.
CASE_READERS = {"office", "leader1", "dept1", "village1", "grid1", "supervisor", "county"}

# README.md, 信访事项的办理 and the sections after it.
OFFICE = {"office"}
WORKERS = {"office", "leader1", "dept1", "village1"}  # 联席办、镇领导、部门、村（居）
HANDLERS = {"office", "dept1"}  # 部门、联席办
UPLOADERS = WORKERS  # 附件
RELIEF = {"office", "leader1", "village1"}  # 专项救助
PLANNERS = {"office", "dept1", "village1", "leader1"}  # 一案一策: leader1 is the case's 包案领导
PERSONAL = {"office", "leader1", "supervisor"}  # 完整手机号
EVERYONE = set(ROLES)

ACTION_ROLES = {
    "accept": OFFICE,
    "not_accept": OFFICE,
    "assign": OFFICE,
    "object": HANDLERS,
    "progress": WORKERS,
    "stabilize": WORKERS,
    "extend": HANDLERS,
    "hearing": OFFICE,
    "hearing_end": OFFICE,
    "reply": HANDLERS,
    "deliver": HANDLERS,
    "rate": OFFICE,
    "request_review": OFFICE,
    "review_answer": OFFICE,
    "close": OFFICE,
    "to_legal": OFFICE,
    "resolve": WORKERS,
    "verify": OFFICE,
    "set_resolve_by": OFFICE,
    "mark_major": OFFICE,
    "mark_prominent": OFFICE,
}


@pytest.fixture(autouse=True)
def storage(tmp_path, settings):
    settings.XINFANG_ATTACHMENT_DIR = tmp_path


def _today() -> dt.date:
    return timezone.localdate()


def _register(cast, village_of: str = "village1") -> Case:
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now() - dt.timedelta(hours=1),
            petitioner=PetitionerIn(name="孙某某", village=cast[village_of].village),
            title="土地流转费拖欠（角色矩阵）",
            content="要求支付拖欠的土地流转费。",
            # dept1's department leads the category, so that dept1 sees the case
            category=Category.objects.filter(lead=cast["dept1"].department).first(),
        ),
        acting_user=cast["office"],
    ).case


def _assigned(cast, *, owner: Person | None = None) -> Case:
    """Accepted and assigned to leader1 (village1's contact leader), or to `owner`."""
    case = _register(cast)
    reason = "由联系该村的领导包案，便于属地稳控"
    if owner is None:
        accept_and_assign(cast, case, override_reason=reason)
    else:
        case_accept(case_id=case.pk, acting_user=cast["office"])
        case_assign(
            case_id=case.pk,
            acting_user=cast["office"],
            lead_department=cast["dept1"].department,
            lead_leader=owner,
            responsible_persons=[cast["village1"].village.party_head],
            override_reason=reason,
        )
    return Case.objects.get(pk=case.pk)


def _act(cast, case: Case, action: str, **data) -> Case:
    return case_act(action=action, case_id=case.pk, acting_user=cast["office"], data=data)


def _evidence(cast, case: Case) -> None:
    attachment_add(
        case_id=case.pk,
        acting_user=cast["office"],
        file=upload("调解协议书.pdf", pdf_bytes()),
        kind="mediation_agreement",
    )


# The steps that bring a fresh case to where an action can be taken, and the fields each action sends
# (as the case page's form and the API's body carry them).
def _action_data(cast, case: Case, action: str) -> dict:
    today = _today()
    if action == "assign":
        proposal = ownership_propose(case)
        return {
            "lead_department": proposal.lead_department.pk,
            "lead_leader": proposal.lead_leader.pk,
            "responsible_persons": [p.pk for p in proposal.responsible_persons],
            "resolve_by": str(today + dt.timedelta(days=30)),
        }
    return {
        "not_accept": {"reason": "不属于信访事项"},
        "object": {"reason": "不属于本部门职责"},
        "progress": {"text": "已上门走访"},
        "stabilize": {"text": "已落实稳控"},
        "extend": {"days": 10, "reason": "情况复杂，需进一步调查", "approved_by": "镇建设局局长"},
        "reply": {"decision": "support", "facts": "查明拖欠属实", "basis": "《农村土地承包法》"},
        "deliver": {"on": str(today), "way": "post"},
        "rate": {"office_rating": "satisfied", "unit_rating": "satisfied"},
        "request_review": {"reason": "对处理意见不服"},
        "review_answer": {"decision": "support", "facts": "复查属实", "basis": "《信访工作条例》"},
        "resolve": {"text": "已签订调解协议", "signed_on": str(today)},
        "to_legal": {"organ": "县人民法院 民事诉讼"},
        "verify": {"approve": True},
        "set_resolve_by": {"resolve_by": str(today + dt.timedelta(days=20)), "reason": "联席会议决定"},
        "mark_major": {"reason": "涉及多户群众"},
        "mark_prominent": {"reason": "涉及多户群众"},
    }.get(action, {})


def _case_for(cast, action: str) -> Case:
    if action in ("accept", "not_accept", "assign", "mark_major", "mark_prominent"):
        case = _register(cast)
        if action == "assign":
            case_act(action="accept", case_id=case.pk, acting_user=cast["office"], data={})
        return Case.objects.get(pk=case.pk)
    case = _assigned(cast)
    before = {
        "hearing_end": ["hearing"],
        "deliver": ["reply"],
        "rate": ["reply", "deliver"],
        "request_review": ["reply", "deliver"],
        "review_answer": ["reply", "deliver", "request_review"],
        "close": ["reply", "deliver", "rate"],
        "verify": ["resolve"],
    }.get(action, [])
    if action == "to_legal":  # 诉访分离 is for 涉法涉诉 matters only
        Case.objects.filter(pk=case.pk).update(law_related=True)
    if action in ("resolve", "verify"):
        _evidence(cast, case)
    for step in before:
        _act(cast, case, step, **_action_data(cast, case, step))
    return Case.objects.get(pk=case.pk)


@dataclass
class World:
    """What one row writes to: a case, and whatever else the row needs."""

    case: Case | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class Row:
    id: str
    method: str
    url: Callable[[World], str]
    allowed: set
    setup: Callable  # (cast) -> World
    data: Callable = lambda w, cast: {}  # (world, cast) -> dict
    kind: str = "json"  # json, form or multipart
    readers: set = field(default_factory=lambda: set(CASE_READERS))


def _world_case(case_maker):
    return lambda cast: World(case=case_maker(cast))


def _action_rows() -> list[Row]:
    rows = []
    for action in ACTIONS:
        setup = (lambda a: lambda cast: World(case=_case_for(cast, a)))(action)
        data = (lambda a: lambda w, cast: _action_data(cast, w.case, a))(action)
        rows.append(
            Row(
                f"api:action:{action}",
                "post",
                (lambda a: lambda w: f"/api/v1/cases/{w.case.pk}/actions/{a}")(action),
                ACTION_ROLES[action],
                setup,
                data,
            )
        )
        rows.append(
            Row(
                f"page:action:{action}",
                "post",
                (lambda a: lambda w: f"/cases/{w.case.pk}/actions/{a}/")(action),
                ACTION_ROLES[action],
                setup,
                lambda w, cast, d=data: {
                    k: ("1" if v is True else v) for k, v in d(w, cast).items() if v is not None
                },
                kind="form",
            )
        )
    return rows


def _petition_body(w, cast):
    return {
        "channel": "visit",
        "received_at": timezone.now().isoformat(),
        "petitioner": {"name": "周某某", "village": cast["village1"].village.pk},
        "title": "道路破损（角色矩阵）",
        "content": "村道破损，请求维修。",
    }


def _petition_form(w, cast):
    return {
        "channel": "visit",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "name": "周某某",
        "village": cast["village1"].village.pk,
        "persons_count": 1,
        "kind": "claim",
        "title": "道路破损（角色矩阵）",
        "content": "村道破损，请求维修。",
    }


def _import_file(w, cast):
    import io

    import openpyxl

    from xinfang.cases.imports import COLUMNS

    headers = [c.header for c in COLUMNS]
    values = {
        "渠道": "来访",
        "收到时间": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "信访人姓名": "吴某某",
        "所在村（居）": cast["village1"].village.name,
        "人数": 1,
        "事项": "沟渠堵塞（角色矩阵）",
        "诉求内容": "沟渠堵塞，请求疏通。",
        "性质": "申诉求决类",
    }
    book = openpyxl.Workbook()
    book.active.append(headers)
    book.active.append([values.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return {"action": "import", "file": upload("导入.xlsx", out.getvalue())}


def _notice_world(target: str):
    def setup(cast):
        case = _assigned(cast)
        notice = AssignmentNotice.objects.get(case=case, target=target, supporting=False)
        return World(case=case, extra={"notice": notice})

    return setup


def _milestone_world(cast):
    case = _assigned(cast)
    milestone = milestone_add(
        case_id=case.pk, acting_user=cast["office"], title="入户调解", due_on=_today() + dt.timedelta(days=7)
    )
    return World(case=case, extra={"milestone": milestone})


def _foreign_owner(cast) -> Person:
    """A town leader other than leader1."""
    return (
        Person.objects.filter(town=cast["office"].town, contact_villages__isnull=False)
        .exclude(pk=cast["leader1"].person_id)
        .first()
    )


def _members(cast):
    village = cast["village1"].village
    return [
        {"person": village.contact_leader_id, "role": "组长", "is_leader": True},
        {"person": village.party_head_id, "role": "成员", "is_leader": False},
    ]


def _relief(w, cast):
    return {"kind": "temporary", "amount": "2000", "given_on": str(_today()), "approved_by": "镇民政办"}


def _plan(w, cast):
    return {"judgement": "reasonable", "measures": "入户调解，落实拖欠款", "rebound_measures": "每月回访"}


ASSIGNED = _world_case(_assigned)

ROWS: list[Row] = [
    # 登记: the office only (README 演示账号, issue 8 #1). The API does not check it yet.
    Row(
        "api:petitions",
        "post",
        lambda w: "/api/v1/petitions",
        OFFICE,
        lambda cast: World(),
        _petition_body,
        readers=EVERYONE,
    ),
    Row(
        "page:cases/new",
        "post",
        lambda w: "/cases/new/",
        OFFICE,
        lambda cast: World(),
        _petition_form,
        "form",
    ),
    Row(
        "page:cases/import",
        "post",
        lambda w: "/cases/import/",
        OFFICE,
        lambda c: World(),
        _import_file,
        "multipart",
    ),
    *_action_rows(),
    # 附件
    Row(
        "api:attachments",
        "post",
        lambda w: f"/api/v1/cases/{w.case.pk}/attachments",
        UPLOADERS,
        ASSIGNED,
        lambda w, cast: {"kind": "material", "file": upload("材料.pdf", pdf_bytes())},
        "multipart",
    ),
    Row(
        "page:attachments",
        "post",
        lambda w: f"/cases/{w.case.pk}/attachments/new/",
        UPLOADERS,
        ASSIGNED,
        lambda w, cast: {"kind": "material", "file": upload("材料.pdf", pdf_bytes())},
        "multipart",
    ),
    # 双向交办: the receiving unit signs, nobody else
    *[
        Row(
            f"{where}:notice-ack:{target}",
            "post",
            url,
            {"village1"} if target == NoticeTarget.VILLAGE else {"dept1"},
            _notice_world(target),
        )
        for target in (NoticeTarget.VILLAGE, NoticeTarget.DEPARTMENT)
        for where, url in (
            ("api", lambda w: f"/api/v1/notices/{w.extra['notice'].pk}/acknowledge"),
            ("page", lambda w: f"/notices/{w.extra['notice'].pk}/acknowledge/"),
        )
    ],
    # 专项救助
    Row("api:reliefs", "post", lambda w: f"/api/v1/cases/{w.case.pk}/reliefs", RELIEF, ASSIGNED, _relief),
    Row(
        "page:reliefs",
        "post",
        lambda w: f"/cases/{w.case.pk}/reliefs/new/",
        RELIEF,
        ASSIGNED,
        _relief,
        "form",
    ),
    # 一案一策
    Row("api:plan", "put", lambda w: f"/api/v1/cases/{w.case.pk}/plan", PLANNERS, ASSIGNED, _plan),
    Row(
        "api:plan:another-leader-owns",
        "put",
        lambda w: f"/api/v1/cases/{w.case.pk}/plan",
        PLANNERS - {"leader1"},
        lambda cast: World(case=_assigned(cast, owner=_foreign_owner(cast))),
        _plan,
    ),
    Row(
        "api:task-force",
        "put",
        lambda w: f"/api/v1/cases/{w.case.pk}/task-force",
        PLANNERS,
        ASSIGNED,
        lambda w, cast: {"members": _members(cast)},
    ),
    Row(
        "api:milestones",
        "post",
        lambda w: f"/api/v1/cases/{w.case.pk}/milestones",
        PLANNERS,
        ASSIGNED,
        lambda w, cast: {"title": "召开协调会", "due_on": str(_today() + dt.timedelta(days=5))},
    ),
    Row(
        "api:milestone-progress",
        "post",
        lambda w: f"/api/v1/milestones/{w.extra['milestone'].pk}/progress",
        PLANNERS,
        _milestone_world,
        lambda w, cast: {"text": "已约谈双方"},
    ),
    Row(
        "api:milestone-done",
        "post",
        lambda w: f"/api/v1/milestones/{w.extra['milestone'].pk}/done",
        PLANNERS,
        _milestone_world,
    ),
    Row("page:plan", "post", lambda w: f"/cases/{w.case.pk}/plan/", PLANNERS, ASSIGNED, _plan, "form"),
    Row(
        "page:plan:another-leader-owns",
        "post",
        lambda w: f"/cases/{w.case.pk}/plan/",
        PLANNERS - {"leader1"},
        lambda cast: World(case=_assigned(cast, owner=_foreign_owner(cast))),
        _plan,
        "form",
    ),
    Row(
        "page:task-force",
        "post",
        lambda w: f"/cases/{w.case.pk}/plan/task-force/",
        PLANNERS,
        ASSIGNED,
        lambda w, cast: {
            "person_0": _members(cast)[0]["person"],
            "role_0": "组长",
            "person_1": _members(cast)[1]["person"],
            "role_1": "成员",
            "leader": "0",
        },
        "form",
    ),
    Row(
        "page:milestones",
        "post",
        lambda w: f"/cases/{w.case.pk}/plan/milestones/",
        PLANNERS,
        ASSIGNED,
        lambda w, cast: {"title": "召开协调会", "due_on": str(_today() + dt.timedelta(days=5))},
        "form",
    ),
    Row(
        "page:milestone-progress",
        "post",
        lambda w: f"/cases/{w.case.pk}/plan/milestones/{w.extra['milestone'].pk}/progress/",
        PLANNERS,
        _milestone_world,
        lambda w, cast: {"text": "已约谈双方"},
        "form",
    ),
    Row(
        "page:milestone-done",
        "post",
        lambda w: f"/cases/{w.case.pk}/plan/milestones/{w.extra['milestone'].pk}/done/",
        PLANNERS,
        _milestone_world,
        kind="form",
    ),
    # 账号与组织
    Row(
        "page:unlock",
        "post",
        lambda w: "/accounts/village2/unlock/",
        {"secadmin"},
        lambda cast: World(),
        kind="form",
        readers=EVERYONE,
    ),
    Row(
        "page:person-phone",
        "post",
        lambda w: f"/org/people/{w.extra['person'].pk}/phone/",
        PERSONAL,
        lambda cast: World(extra={"person": cast["village1"].village.party_head}),
        kind="form",
        readers=EVERYONE,
    ),
    Row(
        "page:password",
        "post",
        lambda w: "/password/",
        EVERYONE,
        lambda cast: World(),
        lambda w, cast: {
            "old_password": "Cast@2026pw",
            "new_password1": "Matrix#2026pw",
            "new_password2": "Matrix#2026pw",
        },
        "form",
        readers=EVERYONE,
    ),
]


# --- 稳控 ----------------------------------------------------------------------------------------
KEEPERS = {"office", "village1", "grid1", "leader1"}  # leader1 keeps the matrix's key person (包保领导)
FOLLOW_UP = {"office", "village1", "grid1", "leader1"}  # leader1 owns the resolved case


def _key_person(cast):
    from xinfang.stability.services import key_person_create

    case = _register(cast)
    petitioner = case.petitions.get().petitioners.get()
    return key_person_create(
        acting_user=cast["office"],
        petitioner_id=petitioner.pk,
        level="high",
        reasons="多次越级上访",
        keepers=[cast["leader1"].person_id, cast["grid1"].person_id],
        case_id=case.pk,
    )


def _kp_world(cast):
    kp = _key_person(cast)
    return World(case=kp.case, extra={"kp": kp})


def _period_world(start_days: int):
    def setup(cast):
        from xinfang.stability.services import period_create

        kp = _key_person(cast)
        start = _today() + dt.timedelta(days=start_days)
        period = period_create(
            acting_user=cast["office"],
            name="矩阵保障期",
            start=start,
            end=start + dt.timedelta(days=2),
            level="county",
        )
        return World(case=kp.case, extra={"kp": kp, "period": period})

    return setup


def _alarm_world(cast):
    from xinfang.stability.services import contact_log

    kp = _key_person(cast)
    contact = contact_log(
        key_person_id=kp.pk, acting_user=cast["grid1"], way="phone", found="lost", note="关机"
    )
    return World(case=kp.case, extra={"kp": kp, "alarm": contact.alarm})


def _follow_up_world(cast):
    from xinfang.stability.models import FollowUp
    from xinfang.stability.services import watch_sync

    case = _assigned(cast)
    Case.objects.filter(pk=case.pk).update(
        resolution="resolved", resolved_on=_today() - dt.timedelta(days=40)
    )
    watch_sync()
    return World(case=case, extra={"follow_up": FollowUp.objects.get(watch__case=case, seq=1)})


def _kp_body(w, cast):
    case = _register(cast, "village2")
    return {"petitioner": case.petitions.get().petitioners.get().pk, "level": "medium", "reasons": "扬言进京"}


def _kp_form(w, cast):
    case = _register(cast, "village2")
    return {
        "petitioner": str(case.petitions.get().petitioners.get().pk),
        "level": "medium",
        "reasons": "扬言进京",
    }


def _incident(w, cast):
    return {
        "kind": "province_individual",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "level_reached": "province",
        "persons_count": 1,
        "place": "省信访局",
    }


def _period(w, cast):
    start = _today() + dt.timedelta(days=3)
    return {
        "name": "国庆",
        "start": str(start),
        "end": str(start + dt.timedelta(days=6)),
        "level": "national",
    }


STABILITY_ROWS = [
    Row("api:key-persons", "post", lambda w: "/api/v1/key-persons", OFFICE, lambda cast: World(), _kp_body),
    Row(
        "page:key-person-new",
        "post",
        lambda w: "/stability/key-persons/new/",
        OFFICE,
        lambda cast: World(),
        _kp_form,
        "form",
    ),
    Row(
        "api:contacts",
        "post",
        lambda w: f"/api/v1/key-persons/{w.extra['kp'].pk}/contacts",
        KEEPERS,
        _kp_world,
        lambda w, cast: {"way": "in_person", "status": "home", "place": "家中"},
    ),
    Row(
        "page:contact",
        "post",
        lambda w: f"/stability/key-persons/{w.extra['kp'].pk}/contact/",
        KEEPERS,
        _kp_world,
        lambda w, cast: {"way": "in_person", "found": "home"},
        "form",
    ),
    Row(
        "page:alarm-step",
        "post",
        lambda w: f"/stability/alarms/{w.extra['alarm'].pk}/step/",
        KEEPERS,
        _alarm_world,
        lambda w, cast: {"text": "已联系派出所协查"},
        "form",
    ),
    Row("api:periods", "post", lambda w: "/api/v1/protection-periods", OFFICE, lambda cast: World(), _period),
    Row(
        "page:periods", "post", lambda w: "/stability/periods/", OFFICE, lambda cast: World(), _period, "form"
    ),
    Row(
        "page:stay",
        "post",
        lambda w: f"/stability/periods/{w.extra['period'].pk}/stay/{w.extra['kp'].pk}/",
        KEEPERS,
        _period_world(1),
        lambda w, cast: {"in_place": "1"},
        "form",
    ),
    Row(
        "page:daily-report",
        "post",
        lambda w: f"/stability/periods/{w.extra['period'].pk}/report/",
        {"village1"},
        _period_world(0),
        lambda w, cast: {"all_quiet": "1"},
        "form",
    ),
    Row(
        "page:registration",
        "post",
        lambda w: f"/stability/periods/{w.extra['period'].pk}/registration/",
        OFFICE,
        _period_world(0),
        lambda w, cast: {"key_person": w.extra["kp"].pk, "level": "province", "place": "省信访局"},
        "form",
    ),
    Row("api:incidents", "post", lambda w: "/api/v1/incidents", OFFICE, lambda cast: World(), _incident),
    Row(
        "page:incidents",
        "post",
        lambda w: "/stability/incidents/",
        OFFICE,
        lambda cast: World(),
        _incident,
        "form",
    ),
    Row(
        "api:follow-up",
        "post",
        lambda w: f"/api/v1/follow-ups/{w.extra['follow_up'].pk}",
        FOLLOW_UP,
        _follow_up_world,
        lambda w, cast: {"state": "stable", "note": "情绪稳定"},
    ),
    Row(
        "page:follow-up",
        "post",
        lambda w: f"/stability/follow-ups/{w.extra['follow_up'].pk}/",
        FOLLOW_UP,
        _follow_up_world,
        lambda w, cast: {"state": "stable", "note": "情绪稳定"},
        "form",
    ),
]
ROWS += STABILITY_ROWS


def _warning_world(cast):
    """A group forming in village1: sent to the office, the town leaders and village1 (README, 预警)."""
    from xinfang.warnings.engine import findings_store
    from xinfang.warnings.registry import Finding

    [pk] = findings_store(
        cast["office"].town,
        "group_forming",
        [
            Finding(
                subject="matrix:1", state="s", text="角色矩阵的预警", village_id=cast["village1"].village_id
            )
        ],
    )
    return World(extra={"warning": pk})


WARNING_ACTORS = {"office", "leader1", "village1"}  # the recipients, and the office
WARNING_READERS = {"office", "leader1", "village1", "supervisor", "county"}  # the board, and the recipients
WARNING_ROWS = [
    Row(
        "api:warning-ack",
        "post",
        lambda w: f"/api/v1/warnings/{w.extra['warning']}/ack",
        WARNING_ACTORS,
        _warning_world,
        readers=WARNING_READERS,
    ),
    Row(
        "api:warning-handle",
        "post",
        lambda w: f"/api/v1/warnings/{w.extra['warning']}/handle",
        WARNING_ACTORS,
        _warning_world,
        lambda w, cast: {"note": "已上门了解情况"},
        readers=WARNING_READERS,
    ),
    Row(
        "page:warning-ack",
        "post",
        lambda w: f"/warnings/{w.extra['warning']}/ack/",
        WARNING_ACTORS,
        _warning_world,
        kind="form",
        readers=WARNING_READERS,
    ),
    Row(
        "page:warning-handle",
        "post",
        lambda w: f"/warnings/{w.extra['warning']}/handle/",
        WARNING_ACTORS,
        _warning_world,
        lambda w, cast: {"note": "已上门了解情况"},
        "form",
        readers=WARNING_READERS,
    ),
]
ROWS += WARNING_ROWS


def _params():
    params = []
    for row in ROWS:
        for role in ROLES:
            params.append(pytest.param(row, role, id=f"{row.id}-{role}"))
    return params


def _written() -> int:
    """Every write leaves an audit row that succeeded (a refused page leaves a failed one)."""
    return AuditEvent.objects.filter(success=True).count()


def _send(client: Client, row: Row, url: str, data: dict):
    if row.kind == "json":
        return getattr(client, row.method)(url, data, content_type="application/json")
    return client.post(url, data)  # form and multipart: the test client encodes files as multipart


@pytest.mark.parametrize("row, role", _params())
def test_a_write_is_allowed_exactly_where_the_readme_says(cast, row, role):
    world = row.setup(cast)
    user = cast[role]
    client = Client()
    client.force_login(user)
    data = row.data(world, cast)
    before = _written()
    response = _send(client, row, row.url(world), data)
    stored = _written() - before
    if role in row.allowed:
        assert response.status_code in (200, 201, 302), (response.status_code, response.content[:500])
        assert stored > 0, f"{role} may do {row.id}, but nothing was stored: {response.content[:500]!r}"
    else:
        refused = {403} if role in row.readers else {403, 404}
        assert response.status_code in refused, (response.status_code, response.content[:300])
        assert stored == 0, f"{role} may not do {row.id}, but {stored} rows were stored"


# --- the services check the role themselves -----------------------------------------------------


def _admin_rows():
    """Each model of the management site: its add page answers its own roles (the form, 200) and
    refuses every other role (403)."""
    rows = []
    for model, model_admin in manage_site._registry.items():
        if not model_admin.can_add:
            continue
        opts = model._meta
        allowed = {r for r in ROLES if _role_of(r) in model_admin.roles}
        rows.append(pytest.param(f"/manage/{opts.app_label}/{opts.model_name}/add/", allowed, id=opts.label))
    return rows


def _role_of(username: str) -> str:
    return {
        "office": Role.OFFICE,
        "leader1": Role.LEADER,
        "dept1": Role.DEPARTMENT,
        "village1": Role.VILLAGE,
        "grid1": Role.GRID,
        "supervisor": Role.SUPERVISOR,
        "county": Role.COUNTY,
        "sysadmin": Role.SYSADMIN,
        "secadmin": Role.SECADMIN,
        "auditadmin": Role.AUDITADMIN,
    }[username]


@pytest.mark.parametrize("url, allowed", _admin_rows())
def test_the_management_site_takes_writes_only_from_its_own_administrator(client_as, url, allowed):
    for role in ROLES:
        client = client_as(role)  # signing in is audited too: count after it
        before = _written()
        response = client.post(url, {})
        expected = 200 if role in allowed else 403  # 200: the form again, with what is missing
        assert response.status_code == expected, (role, response.status_code)
        assert _written() == before


def test_a_calendar_day_added_on_the_management_site_is_stored_and_audited(cast, client_as):
    day = dt.date(2031, 10, 8)
    response = client_as("sysadmin").post(
        "/manage/workcal/calendarday/add/", {"date": day.isoformat(), "is_workday": "", "name": "国庆节"}
    )
    assert response.status_code == 302
    stored = CalendarDay.objects.get(date=day)
    assert not stored.is_workday
    assert AuditEvent.objects.filter(event="create", target_id=str(stored.pk), user=cast["sysadmin"]).exists()


def _plans_call(name):
    from xinfang.plans import services as plans

    def call(cast, user):
        case = _assigned(cast, owner=_foreign_owner(cast))
        if name == "plan_save":
            return plans.plan_save(case_id=case.pk, acting_user=user, judgement="reasonable", measures="调解")
        if name == "task_force_set":
            person = cast["village1"].village.party_head
            return plans.task_force_set(case_id=case.pk, acting_user=user, members=[(person, "组长", True)])
        if name == "milestone_add":
            return plans.milestone_add(case_id=case.pk, acting_user=user, title="节点", due_on=_today())
        milestone = plans.milestone_add(
            case_id=case.pk, acting_user=cast["office"], title="节点", due_on=_today()
        )
        if name == "milestone_done":
            return plans.milestone_done(milestone_id=milestone.pk, acting_user=user)
        return plans.milestone_progress_add(milestone_id=milestone.pk, acting_user=user, text="进展")

    return call


def _relief_call(cast, user):
    from xinfang.relief.services import relief_record

    case = _assigned(cast)
    return relief_record(case_id=case.pk, acting_user=user, **_relief(None, cast))


def _attachment_call(cast, user):
    case = _assigned(cast)
    return attachment_add(
        case_id=case.pk, acting_user=user, file=upload("材料.pdf", pdf_bytes()), kind="material"
    )


def _notice_call(target):
    def call(cast, user):
        from xinfang.notices.services import notice_acknowledge

        notice = AssignmentNotice.objects.get(case=_assigned(cast), target=target, supporting=False)
        return notice_acknowledge(notice_id=notice.pk, acting_user=user)

    return call


def _unlock_call(cast, user):
    from xinfang.accounts.services import account_unlock

    return account_unlock(username="village2", acting_user=user)


def _phone_call(cast, user):
    from xinfang.org.services import person_phone_reveal

    return person_phone_reveal(person_id=cast["village1"].village.party_head_id, acting_user=user)


def _import_call(cast, user):
    from xinfang.cases.imports import petitions_import

    return petitions_import(_import_file(None, cast)["file"], user, dry_run=True)


def _register_call(cast, user):
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="周某某", village=cast["village1"].village),
            title="道路破损（角色矩阵）",
            content="村道破损，请求维修。",
        ),
        acting_user=user,
    )


def _transition_call(action):
    def call(cast, user):
        case = _case_for(cast, action)
        # the fields are read as the office would send them: the role is the only difference
        kwargs = ACTIONS[action].args(_action_data(cast, case, action), cast["office"])
        return ACTIONS[action].service(case_id=case.pk, acting_user=user, **kwargs)

    return call


def _stability_call(name):
    """A 稳控 write service on the world its matrix rows use (a key person of village1 kept by leader1
    and grid1; a period from tomorrow for 零滞留, from today for the reports and 零登记)."""

    def call(cast, user):
        from xinfang.stability import services as stability

        if name == "key_person_create":
            case = _register(cast, "village2")
            petitioner_id = case.petitions.get().petitioners.get().pk
            return stability.key_person_create(
                acting_user=user, petitioner_id=petitioner_id, level="medium", reasons="扬言进京"
            )
        if name == "period_create":
            start = _today() + dt.timedelta(days=3)
            return stability.period_create(
                acting_user=user, name="国庆", start=start, end=start + dt.timedelta(days=6), level="national"
            )
        if name == "incident_record":
            return stability.incident_record(
                acting_user=user,
                kind="province_individual",
                occurred_at=timezone.now(),
                level_reached="province",
            )
        if name == "follow_up_record":
            follow_up = _follow_up_world(cast).extra["follow_up"]
            return stability.follow_up_record(
                follow_up_id=follow_up.pk, acting_user=user, state="stable", note="情绪稳定"
            )
        if name == "alarm_step":
            alarm = _alarm_world(cast).extra["alarm"]
            return stability.alarm_step(alarm_id=alarm.pk, acting_user=user, text="已联系派出所协查")
        if name in ("stay_confirm", "daily_report", "registration_record"):
            w = _period_world(1 if name == "stay_confirm" else 0)(cast)
            period, kp = w.extra["period"], w.extra["kp"]
            if name == "stay_confirm":
                return stability.stay_confirm(period_id=period.pk, key_person_id=kp.pk, acting_user=user)
            if name == "daily_report":
                return stability.daily_report(period_id=period.pk, acting_user=user)
            return stability.registration_record(
                period_id=period.pk, key_person_id=kp.pk, acting_user=user, level="province", place="省信访局"
            )
        kp = _key_person(cast)
        if name == "contact_log":
            return stability.contact_log(key_person_id=kp.pk, acting_user=user, way="in_person", found="home")
        return stability.key_person_update(key_person_id=kp.pk, acting_user=user, level="low")

    return call


SERVICES = [
    *[
        pytest.param(
            _plans_call(name),
            # a leader who does not own the case is refused, like every read-only role
            {"office", "dept1", "village1"},
            id=f"plans.{name}",
        )
        for name in (
            "plan_save",
            "task_force_set",
            "milestone_add",
            "milestone_done",
            "milestone_progress_add",
        )
    ],
    pytest.param(_relief_call, RELIEF, id="relief.relief_record"),
    pytest.param(_attachment_call, UPLOADERS, id="attachments.attachment_add"),
    pytest.param(_notice_call(NoticeTarget.VILLAGE), {"village1"}, id="notices.notice_acknowledge:village"),
    pytest.param(
        _notice_call(NoticeTarget.DEPARTMENT), {"dept1"}, id="notices.notice_acknowledge:department"
    ),
    pytest.param(_unlock_call, {"secadmin"}, id="accounts.account_unlock"),
    pytest.param(_phone_call, PERSONAL, id="org.person_phone_reveal"),
    pytest.param(_import_call, OFFICE, id="cases.petitions_import"),
    pytest.param(
        _register_call,
        OFFICE,
        id="cases.petition_register",
    ),
    *[
        pytest.param(
            _transition_call(action),
            roles,
            id=f"cases.transitions.{ACTIONS[action].service.__name__}",
        )
        for action, roles in ACTION_ROLES.items()
    ],
    *[
        pytest.param(_stability_call(name), roles, id=f"stability.{name}")
        for name, roles in {
            "key_person_create": OFFICE,
            "key_person_update": OFFICE,
            "contact_log": KEEPERS,
            "alarm_step": KEEPERS,
            "period_create": OFFICE,
            "stay_confirm": KEEPERS,
            "daily_report": {"village1"},
            "registration_record": OFFICE,
            "incident_record": OFFICE,
            "follow_up_record": FOLLOW_UP,
        }.items()
    ],
]


@pytest.mark.parametrize("call, allowed", SERVICES)
def test_each_service_refuses_the_roles_the_readme_leaves_out(cast, call, allowed):
    """Called directly, as a job or another app would: a refused role gets PermissionDenied (or 404
    for what it cannot see), never a stored change."""
    from django.db import transaction

    let_through = []
    for role in sorted(set(ROLES) - allowed):
        try:
            with transaction.atomic():
                call(cast, cast[role])
                let_through.append(role)
                transaction.set_rollback(True)
        except (PermissionDenied, TransitionForbidden, Http404):
            pass
    assert let_through == [], f"the service let these roles write: {let_through}"
