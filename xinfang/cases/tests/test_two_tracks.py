"""Two tracks, kept apart (不得以程序性办结代替实体性解决).

The statutory path (登记 → 受理 → 交办 → 办理 → 处理意见书 → 送达 → 评价 → 复查/复核 → 办结终结, or
导入法律程序) and the campaign's resolution (在办 → 稳控 → 报送化解 → 已化解·防反弹, 反弹 back to
在办) move independently. A prominent case leaves the ledger only by 化解 with evidence and the office's
对账销号, whichever way its statutory path ended. Written from the plan's rules, with frozen time.
"""

import dataclasses
import datetime as dt
import importlib
import re
from functools import partial

import pytest
from django.utils import timezone

from xinfang.alerts.models import Alert
from xinfang.attachments.tests.files import docx_bytes, upload
from xinfang.cases import transitions
from xinfang.cases.api import ActionBody
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.testing import act, on
from xinfang.org.models import Category
from xinfang.plans.services import plan_save, task_force_set

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
REPLY = {"decision": "explain", "facts": "经核实，补偿已按标准发放", "basis": "《土地管理法》第四十八条"}


@pytest.fixture(autouse=True)
def storage(tmp_path, settings):
    settings.XINFANG_ATTACHMENT_DIR = tmp_path


def ok(response) -> dict:
    assert response.status_code == 200, response.json()
    return response.json()["case"]


def register(cast, *, persons=1, law_related=False, case_id=None, name="孙某某") -> Case:
    category = Category.objects.filter(lead=cast["dept1"].department).first()
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name=name, village=cast["village1"].village),
            persons_count=persons,
            title="征地补偿款未足额发放",
            content="要求补发征地补偿款。",
            category=category,
            law_related=law_related,
            case_id=case_id,
        ),
        acting_user=cast["office"],
    ).case


def numbers(client, query: str) -> set[str]:
    return {c["number"] for c in client.get(f"/api/v1/cases?{query}").json()["items"]}


def five_haves(cast, case):
    """The task force and the plan with its rebound measures: with the owner and the deadline from
    assignment, the five haves (五有) are complete."""
    village = cast["village1"].village
    task_force_set(
        case_id=case.pk, acting_user=cast["office"], members=[(village.contact_leader, "组长", True)]
    )
    plan_save(
        case_id=case.pk,
        acting_user=cast["office"],
        judgement="reasonable",
        measures="按标准补发补偿款",
        rebound_measures="每月回访",
    )


def assigned_prominent(cast, as_, *, law_related=False) -> Case:
    """A collective visit (prominent from the first day, its owner named by the joint meeting),
    accepted and assigned through the API with the meeting's owner and the reason."""
    case = register(cast, persons=6, law_related=law_related)
    office = partial(as_, "office")
    ok(act(office, case, "accept"))
    owner = cast["village1"].village.contact_leader
    ok(
        act(
            office,
            case,
            "assign",
            lead_leader=owner.pk,
            lead_department=cast["dept1"].department_id,
            override_reason="2026年3月联席会议确定",
        )
    )
    five_haves(cast, case)
    return Case.objects.get(pk=case.pk)


def evidence(as_, case, name="调解协议书.docx"):
    response = as_("village1").post(
        f"/api/v1/cases/{case.pk}/attachments",
        {"kind": "mediation_agreement", "file": upload(name, docx_bytes())},
    )
    assert response.status_code == 201, response.content


# --- 0. a joint-meeting case can be assigned, on the page and through the API ------------------------


def test_a_joint_meeting_case_is_assigned_with_the_meetings_owner_through_the_api(cast, as_):
    case = register(cast, persons=6)
    office = partial(as_, "office")
    ok(act(office, case, "accept"))
    owner = cast["village1"].village.contact_leader
    body = {"lead_leader": owner.pk, "lead_department": cast["dept1"].department_id}
    missing = act(office, case, "assign", **body)
    assert missing.status_code == 422 and "改变推荐的理由" in missing.json()["detail"]
    out = ok(act(office, case, "assign", **body, override_reason="3月12日联席会议确定由其包案"))
    assert out["state"] == "assigned" and out["lead_leader"] == owner.name
    assert "3月12日联席会议确定由其包案" in out["owner_explanation"]
    event = CaseEvent.objects.get(case=case, kind="assigned")
    assert event.data["override_reason"] == "3月12日联席会议确定由其包案"


def test_a_joint_meeting_case_is_assigned_with_the_meetings_owner_on_the_page(cast, client_as):
    case = register(cast, persons=6)
    transitions.case_accept(case_id=case.pk, acting_user=cast["office"])
    case.refresh_from_db()
    office = client_as("office")
    page = office.get(f"/cases/{case.pk}/").content.decode()
    assert "待联席会议确定" in page and 'name="override_reason"' in page
    owner = cast["village1"].village.contact_leader
    person = cast["village1"].village.party_head
    support = cast["dept2"].department if "dept2" in cast else None
    form = {
        "version": case.version,
        "lead_leader": owner.pk,
        "lead_department": cast["dept1"].department_id,
        "responsible_persons": [person.pk],
        "supporting_departments": [support.pk] if support else [],
        "override_reason": "3月12日联席会议确定",
        "plan": "先稳控，再分期兑付",
    }
    done = office.post(f"/cases/{case.pk}/actions/assign/", form, follow=True).content.decode()
    assert "交办已完成" in done, re.findall(r"交办未完成[^<]*", done)
    case.refresh_from_db()
    assert case.state == "assigned" and case.lead_leader == owner and case.plan == "先稳控，再分期兑付"
    assert list(case.responsible_persons.all()) == [person]


def _form_fields(html: str, action: str) -> set[str]:
    block = re.search(rf'<details[^>]*id="action-{action}".*?</details>', html, re.S)
    assert block, f"the page offers no form for {action}"
    names = set(re.findall(r'name="([^"]+)"', block.group(0)))
    return names - {"csrfmiddlewaretoken", "version"}


def _cases_in_every_stage(cast, as_) -> dict[str, Case]:
    """One case for each place where some step is offered."""
    office, dept = partial(as_, "office"), partial(as_, "dept1")
    stages = {"registered": register(cast, name="甲")}
    accepted = register(cast, name="乙")
    ok(act(office, accepted, "accept"))
    stages["accepted"] = accepted
    handling = assigned_prominent(cast, as_, law_related=True)
    stages["assigned"] = handling
    paused = assigned_prominent(cast, as_)
    ok(act(office, paused, "hearing"))
    stages["paused"] = paused
    replied = assigned_prominent(cast, as_)
    ok(act(dept, replied, "reply", **REPLY))
    stages["replied"] = replied
    delivered = assigned_prominent(cast, as_)
    ok(
        act(
            dept,
            delivered,
            "reply",
            **REPLY,
            delivered_on=timezone.localdate().isoformat(),
            delivery_way="post",
        )
    )
    stages["delivered"] = delivered
    review = assigned_prominent(cast, as_)
    ok(
        act(
            dept, review, "reply", **REPLY, delivered_on=timezone.localdate().isoformat(), delivery_way="post"
        )
    )
    ok(act(office, review, "request_review", reason="不服"))
    stages["review"] = review
    submitted = assigned_prominent(cast, as_)
    evidence(as_, submitted)
    ok(
        act(
            partial(as_, "village1"),
            submitted,
            "resolve",
            text="已签协议",
            signed_on=timezone.localdate().isoformat(),
        )
    )
    stages["submitted"] = submitted
    return {k: Case.objects.get(pk=v.pk) for k, v in stages.items()}


def test_every_field_the_page_or_the_api_sends_reaches_its_service(cast, as_, monkeypatch):
    """Each action's form on the case page and the API's body carry exactly the fields the action
    reads, and every one of them arrives at the service (the bug: assign dropped override_reason)."""
    office = as_("office")
    offered_somewhere = set()
    for case in _cases_in_every_stage(cast, as_).values():
        html = office.get(f"/cases/{case.pk}/").content.decode()
        for name in transitions.actions_offered(case, cast["office"]):
            offered_somewhere.add(name)
            assert _form_fields(html, name) == set(transitions.ACTIONS[name].fields), name
    assert offered_somewhere == set(transitions.ACTIONS)  # every action was checked on a page
    body_fields = set(ActionBody.model_fields)
    ids = {
        "lead_department": cast["dept1"].department_id,
        "lead_leader": cast["village1"].village.contact_leader_id,
        "responsible_persons": [cast["village1"].village.party_head_id],
        "supporting_departments": [cast["dept1"].department_id],
    }
    for name, spec in transitions.ACTIONS.items():
        assert set(spec.fields) <= body_fields, (
            f"the API cannot send {set(spec.fields) - body_fields} to {name}"
        )
        seen = {}

        def capture(*, case_id, acting_user, expected_version, _seen=seen, **kwargs):
            _seen.update(kwargs)

        monkeypatch.setitem(transitions.ACTIONS, name, dataclasses.replace(spec, service=capture))
        data = {
            f: ids.get(f, "2026-05-01" if f in ("on", "resolve_by", "delivered_on", "signed_on") else "1")
            for f in spec.fields
        }
        transitions.case_act(action=name, case_id=0, acting_user=cast["office"], data=data)
        for field in spec.fields:
            assert field in seen and seen[field] not in (None, "", []), (name, field, seen)


# --- 1. procedural closure never takes a prominent case off the ledger --------------------------------


def _conclude(how: str, cast, as_) -> Case:
    """A prominent case taken off the statutory path in one of the ways the statute allows."""
    office, dept = partial(as_, "office"), partial(as_, "dept1")
    with on("2026-03-02"):
        case = assigned_prominent(cast, as_, law_related=how == "legal")
    if how == "legal":
        with on("2026-03-20"):
            ok(act(office, case, "to_legal", organ="县人民法院 民事诉讼", text="已引导起诉"))
        return Case.objects.get(pk=case.pk)
    with on("2026-04-01"):
        ok(act(dept, case, "reply", **REPLY, delivered_on="2026-04-01", delivery_way="in_person"))
    if how == "satisfied":
        with on("2026-04-10"):
            ok(act(office, case, "rate", office_rating="satisfied", unit_rating="satisfied"))
            ok(act(office, case, "close"))
    elif how == "window":
        with on("2026-05-06"):  # 30 days from 1 April end on 1 May, a holiday: the window runs to 6 May
            early = act(office, case, "close")
            assert early.status_code == 409
        with on("2026-05-07"):
            ok(act(office, case, "close"))
    elif how == "re_review":
        with on("2026-04-10"):
            ok(act(office, case, "request_review", reason="不服"))
        with on("2026-04-20"):
            ok(act(office, case, "review_answer", **REPLY, delivered_on="2026-04-20", delivery_way="post"))
            ok(act(office, case, "request_review", reason="仍不服"))
        with on("2026-05-06"):
            ok(act(office, case, "review_answer", **REPLY))
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize("how", ["satisfied", "window", "re_review", "legal"])
def test_a_prominent_case_concluded_on_the_statutory_path_stays_on_the_ledger(how, cast, as_, client_as):
    case = _conclude(how, cast, as_)
    assert case.state == ("legal" if how == "legal" else "closed")
    assert case.resolution == "open"
    with on("2026-05-08"):
        office = client_as("office")
        assert case.number in numbers(office, "view=prominent")
        assert case.number in numbers(office, "flag=concluded_unresolved")
        assert case.number in numbers(office, "state=open")  # still in hand
        out = office.get(f"/api/v1/cases/{case.pk}").json()
        assert out["concluded_unresolved"] is True and out["resolution_label"] == "在办"
        assert "已办结未化解" in office.get(f"/cases/{case.pk}/").content.decode()
        leader = client_as("leader1") if cast["leader1"].person == case.lead_leader else None
        if leader:  # the owner's desk keeps it
            assert case.number in leader.get("/").content.decode()
        # The resolution track runs on after the statutory one: 稳控, 化解 with evidence, 对账销号.
        ok(act(partial(as_, "village1"), case, "stabilize", text="专班每周走访，情绪稳定"))
        evidence(as_, case)
        ok(act(partial(as_, "village1"), case, "resolve", text="签订调解协议", signed_on="2026-05-08"))
        assert case.number in numbers(office, "view=prominent")  # waiting for the office's check
        done = ok(act(partial(as_, "office"), case, "verify"))
        assert done["resolution"] == "resolved" and done["state"] == case.state
        assert case.number not in numbers(office, "view=prominent")
        assert case.number in numbers(office, "view=resolved")


def test_a_case_not_accepted_has_no_ledger_day(cast, as_, client_as):
    case = register(cast, persons=6)
    ok(act(partial(as_, "office"), case, "not_accept", reason="已进入诉讼程序"))
    case.refresh_from_db()
    assert case.ledger_from is None and case.number not in numbers(client_as("office"), "view=prominent")


def test_a_backlog_stays_on_the_ledger_after_a_late_opinion_and_until_the_check(cast, as_, client_as):
    office, dept, village = partial(as_, "office"), partial(as_, "dept1"), partial(as_, "village1")
    with on("2026-03-02"):
        case = register(cast)  # one person, no other rule: prominent only by time
        ok(act(office, case, "accept"))
        ok(act(office, case, "assign", lead_department=cast["dept1"].department_id))
        five_haves(cast, case)
    case.refresh_from_db()
    assert case.handling_due == dt.date(2026, 5, 6)  # 60 days end 1 May, a holiday
    with on("2026-05-06"):
        assert case.number not in numbers(client_as("office"), "view=prominent")
    with on("2026-05-07"):
        assert case.number in numbers(client_as("office"), "view=prominent")
        ok(act(dept, case, "reply", **REPLY, delivered_on="2026-05-07", delivery_way="in_person"))
        assert case.number in numbers(client_as("office"), "view=prominent")  # a late opinion is no 化解
        assert case.number in numbers(client_as("office"), "flag=backlog")
        evidence(as_, case)
        ok(act(village, case, "resolve", text="协议已签", signed_on="2026-05-07"))
        assert case.number in numbers(client_as("office"), "view=prominent")  # until 对账销号
        ok(act(office, case, "verify"))
        assert case.number not in numbers(client_as("office"), "view=prominent")
        assert case.number not in numbers(client_as("office"), "flag=backlog")


def test_an_opinion_in_time_keeps_an_ordinary_case_off_the_ledger(cast, as_, client_as):
    with on("2026-03-02"):
        case = register(cast)
        ok(act(partial(as_, "office"), case, "accept"))
        ok(act(partial(as_, "office"), case, "assign", lead_department=cast["dept1"].department_id))
    with on("2026-04-01"):
        ok(act(partial(as_, "dept1"), case, "reply", **REPLY))
    with on("2026-06-01"):
        assert case.number not in numbers(client_as("office"), "view=prominent")


def test_the_five_haves_gaps_list_keeps_concluded_prominent_cases(cast, as_, client_as):
    with on("2026-03-02"):
        case = register(cast, persons=6, law_related=True)
        ok(act(partial(as_, "office"), case, "accept"))
        owner = cast["village1"].village.contact_leader
        ok(act(partial(as_, "office"), case, "assign", lead_leader=owner.pk, override_reason="联席会议确定"))
        ok(act(partial(as_, "office"), case, "to_legal", organ="县人民法院", on="2026-03-02"))
        page = client_as("office").get("/plans/incomplete/").content.decode()
    assert case.number in page


# --- 2. 稳控 is a fact beside the statutory path ---------------------------------------------------


def test_stabilizing_leaves_the_statutory_steps_and_clocks_as_they_were(cast, as_):
    office, dept, village = partial(as_, "office"), partial(as_, "dept1"), partial(as_, "village1")
    with on("2026-03-02"):
        case = assigned_prominent(cast, as_)
        out = ok(act(village, case, "stabilize", text="专班已见面，情绪稳定"))
    assert out["state"] == "assigned" and out["resolution"] == "stabilized"
    assert out["due_on"] == out["handling_due"]
    with on("2026-03-10"):
        extended = ok(act(dept, case, "extend", days=15, reason="需测绘", approved_by="王局长"))
        assert extended["state"] == "extended" and extended["resolution"] == "stabilized"
    with on("2026-04-01"):
        out = ok(act(dept, case, "reply", **REPLY, delivered_on="2026-04-01", delivery_way="in_person"))
        assert out["due_on"] == "2026-05-06"  # the rating window, not the old handling limit
        ok(
            act(
                office,
                case,
                "rate",
                office_rating="dissatisfied",
                unit_rating="dissatisfied",
                reason="标准低",
            )
        )
        review = ok(act(office, case, "request_review", reason="不服"))
        assert review["state"] == "review" and review["resolution"] == "stabilized"
        again = act(village, case, "stabilize", text="再次稳控")
        assert again.status_code == 409 and "化解状态" in again.json()["detail"]


def test_a_new_petition_on_a_stabilized_case_ends_the_stabilization(cast, as_):
    with on("2026-03-02"):
        case = assigned_prominent(cast, as_)
        ok(act(partial(as_, "village1"), case, "stabilize", text="情绪稳定"))
        register(cast, case_id=case.pk)
    case.refresh_from_db()
    assert case.resolution == "open" and case.stabilized_on is None
    assert "稳控失效" in CaseEvent.objects.filter(case=case, kind="repeat").get().summary()


# --- 3. a rebound undoes the old resolution ------------------------------------------------------


def _resolved(cast, as_, *, close_first=False) -> Case:
    office, village = partial(as_, "office"), partial(as_, "village1")
    with on("2026-03-02"):
        case = assigned_prominent(cast, as_)
    if close_first:
        with on("2026-04-01"):
            ok(
                act(
                    partial(as_, "dept1"),
                    case,
                    "reply",
                    **REPLY,
                    delivered_on="2026-04-01",
                    delivery_way="post",
                )
            )
            ok(act(office, case, "rate", office_rating="satisfied", unit_rating="satisfied"))
            ok(act(office, case, "close"))
    with on("2026-04-10"):
        evidence(as_, case, "第一次调解协议书.docx")
        ok(act(village, case, "resolve", text="签订调解协议", signed_on="2026-04-09"))
        ok(act(office, case, "verify"))
    return Case.objects.get(pk=case.pk)


def test_a_rebound_clears_the_old_resolution_and_needs_new_evidence(cast, as_, client_as):
    case = _resolved(cast, as_)
    assert case.resolution == "resolved" and case.resolved_on and case.verified_by
    with on("2026-06-01"):
        register(cast, case_id=case.pk)
    case.refresh_from_db()
    assert case.rebound and case.resolution == "open"
    assert case.resolved_on is None and case.verified_by is None and case.resolution_signed_on is None
    assert case.rebound_at.astimezone(SHANGHAI).date() == dt.date(2026, 6, 1)
    with on("2026-06-01"):
        office = client_as("office")
        assert case.number in numbers(office, "view=prominent")
        assert case.number not in numbers(office, "view=resolved")
        page = office.get(f"/cases/{case.pk}/").content.decode()
    assert "化解后反弹，原化解已失效" in page and "对账销号（" not in page
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[-3:] == ["resolve_submitted", "verified", "rebound"]  # history kept in the timeline
    village = partial(as_, "village1")
    with on("2026-06-02"):
        old = act(village, case, "resolve", text="原协议仍有效", signed_on="2026-06-02")
        assert old.status_code == 422 and "反弹之后新签订" in old.json()["detail"]
        evidence(as_, case, "第二次调解协议书.docx")
        backdated = act(village, case, "resolve", text="新协议", signed_on="2026-04-09")
        assert backdated.status_code == 422 and "不能早于最近一次反弹的日期" in backdated.json()["detail"]
        ok(act(village, case, "resolve", text="新协议", signed_on="2026-06-02"))
        done = ok(act(partial(as_, "office"), case, "verify"))
    assert done["resolution"] == "resolved"


def test_the_owner_and_the_office_are_told_of_a_rebound_at_once(cast, as_, client_as):
    case = _resolved(cast, as_)
    with on("2026-06-01"):
        register(cast, case_id=case.pk)
    told = set(Alert.objects.filter(case=case, kind="rebound").values_list("recipient__username", flat=True))
    assert "office" in told
    owners = {u.username for u in cast.values() if u.person_id and u.person_id == case.lead_leader_id}
    assert owners and owners <= told
    assert not told & {"village2", "dept1", "supervisor"}
    some_owner = sorted(owners)[0]
    inbox = client_as(some_owner).get("/alerts/").content.decode()
    assert case.number in inbox and "化解后反弹" in inbox
    other = client_as("village2").get("/api/v1/alerts").json()
    assert all(a["case"] != case.pk for a in other)
    alert = Alert.objects.filter(case=case, recipient__username="office").get()
    assert client_as("village2").post(f"/api/v1/alerts/{alert.pk}/read").status_code == 404
    assert client_as("office").post(f"/api/v1/alerts/{alert.pk}/read").json()["read_at"]


def test_a_closed_case_that_rebounds_stays_closed_and_is_not_accepted_again(cast, as_, client_as):
    case = _resolved(cast, as_, close_first=True)
    assert case.state == "closed" and case.resolution == "resolved"
    with on("2026-06-01"):
        register(cast, case_id=case.pk)
    case.refresh_from_db()
    assert case.state == "closed" and case.resolution == "open"  # back on the ledger, not reopened
    event = CaseEvent.objects.filter(case=case, kind="rebound").get()
    assert event.data["not_reaccepted"] is True
    with on("2026-06-01"):
        assert case.number in numbers(client_as("office"), "flag=concluded_unresolved")


# --- 4. the review and rating windows count from delivery, on the working calendar ---------------


def test_the_windows_count_from_the_day_the_opinion_was_received(cast, as_):
    office, dept = partial(as_, "office"), partial(as_, "dept1")
    with on("2026-08-03"):
        case = assigned_prominent(cast, as_)
    with on("2026-08-20"):
        out = ok(act(dept, case, "reply", **REPLY))
        assert out["state"] == "replied" and out["delivered_on"] is None
        for step in ("rate", "request_review", "close"):
            refused = act(office, case, step, office_rating="satisfied", unit_rating="satisfied", reason="x")
            assert refused.status_code == 409 and "尚未送达" in refused.json()["detail"], step
    with on("2026-09-02"):
        early = act(dept, case, "deliver", on="2026-08-19", way="post")
        assert early.status_code == 422 and "不能早于出具处理意见的日期" in early.json()["detail"]
        assert act(dept, case, "deliver", on="2026-09-01").status_code == 422  # the way is asked
        out = ok(act(dept, case, "deliver", on="2026-09-01", way="post"))
    # Received 1 September: 30 days end on 1 October, in the National Day holiday, so on 8 October.
    case.refresh_from_db()
    assert case.rating_due == dt.date(2026, 10, 8) and case.review_request_due == dt.date(2026, 10, 8)
    assert out["due_on"] == "2026-10-08"
    with on("2026-10-08"):
        ok(act(office, case, "request_review", reason="对补偿标准不服"))
    assert CaseEvent.objects.filter(case=case, kind="delivered").get().data["delivery_way"] == "邮寄送达"


def test_the_page_records_delivery_and_keeps_what_was_typed_when_refused(cast, as_, client_as):
    with on("2026-08-03"):
        case = assigned_prominent(cast, as_)
    with on("2026-08-20"):
        ok(act(partial(as_, "dept1"), case, "reply", **REPLY))
        case.refresh_from_db()
        dept = client_as("dept1")
        page = dept.get(f"/cases/{case.pk}/").content.decode()
        assert "处理意见书待送达" in page and 'id="action-deliver"' in page
        refused = dept.post(
            f"/cases/{case.pk}/actions/deliver/",
            {"version": case.version, "on": "2026-08-19", "way": "post"},
            follow=True,
        ).content.decode()
        assert "记录送达未完成" in refused and 'value="2026-08-19"' in refused
        done = dept.post(
            f"/cases/{case.pk}/actions/deliver/",
            {"version": case.version, "on": "2026-08-20", "way": "in_person"},
            follow=True,
        ).content.decode()
    assert "记录送达已完成" in done and "2026-08-20 直接送达" in done


# --- 6. 涉法涉诉 follows 诉访分离 ---------------------------------------------------------------------


def test_a_law_related_case_goes_to_the_legal_procedure_instead_of_review(cast, as_):
    office, dept = partial(as_, "office"), partial(as_, "dept1")
    with on("2026-03-02"):
        case = assigned_prominent(cast, as_, law_related=True)
        plain = assigned_prominent(cast, as_)
        assert act(office, plain, "to_legal", organ="县人民法院").status_code == 409
    with on("2026-04-01"):
        ok(act(dept, case, "reply", **REPLY, delivered_on="2026-04-01", delivery_way="in_person"))
        review = act(office, case, "request_review", reason="不服")
        assert review.status_code == 409 and "诉访分离" in review.json()["detail"]
        assert act(office, case, "to_legal", organ="").status_code == 422
        out = ok(act(office, case, "to_legal", organ="县人民法院 行政诉讼", text="已告知起诉期限"))
    assert out["state"] == "legal" and out["resolution"] == "open" and out["concluded_unresolved"]
    case.refresh_from_db()
    assert case.legal_organ == "县人民法院 行政诉讼" and case.legal_on == dt.date(2026, 4, 1)


# --- the data already stored ----------------------------------------------------------------------


class _Apps:
    """Today's models standing in for the migration's historical ones (the removed column read as
    empty): the function under test only reads and writes fields that both have."""

    def get_model(self, app, name):
        from django.apps import apps

        return apps.get_model(app, name)


def test_the_migration_reads_both_tracks_back_from_what_was_stored(cast, as_, monkeypatch):
    migration = importlib.import_module("xinfang.cases.migrations.0010_two_tracks")
    monkeypatch.setattr(Case, "state_before_resolve", "", raising=False)
    with on("2026-03-02"):
        stabilized = assigned_prominent(cast, as_)
        replied = assigned_prominent(cast, as_)
        ok(
            act(
                partial(as_, "dept1"),
                replied,
                "reply",
                **REPLY,
                delivered_on="2026-03-02",
                delivery_way="post",
            )
        )
        resolved_closed = assigned_prominent(cast, as_)
        rebound = assigned_prominent(cast, as_)
        backlog = register(cast)
        ok(act(partial(as_, "office"), backlog, "accept"))
        ok(act(partial(as_, "office"), backlog, "assign", lead_department=cast["dept1"].department_id))
    today = dt.date(2026, 3, 2)
    # As the single state stored them before the two tracks:
    Case.objects.filter(pk=stabilized.pk).update(state="stabilized", stabilized_on=today, resolution="open")
    Case.objects.filter(pk=replied.pk).update(state="stabilized", stabilized_on=today, delivered_on=None)
    Case.objects.filter(pk=resolved_closed.pk).update(
        state="resolved", closed_on=today, replied_on=today, resolved_on=today, resolution="open"
    )
    Case.objects.filter(pk=rebound.pk).update(
        state="handling", rebound=True, resolved_on=today, verified_by=cast["office"], resolution="open"
    )
    late = today + dt.timedelta(days=90)
    Case.objects.filter(pk=backlog.pk).update(
        state="closed",
        replied_on=late,
        closed_on=late,
        ledger_from=None,
        handling_due=today + dt.timedelta(days=60),
    )
    migration.two_tracks(_Apps(), None)
    got = {
        c.pk: c
        for c in Case.objects.filter(
            pk__in=[stabilized.pk, replied.pk, resolved_closed.pk, rebound.pk, backlog.pk]
        )
    }
    assert (got[stabilized.pk].state, got[stabilized.pk].resolution) == ("assigned", "stabilized")
    assert (got[replied.pk].state, got[replied.pk].resolution) == ("replied", "stabilized")
    assert got[replied.pk].delivered_on == got[replied.pk].replied_on  # taken as delivered that day
    assert (got[resolved_closed.pk].state, got[resolved_closed.pk].resolution) == ("closed", "resolved")
    assert got[rebound.pk].resolved_on is None and got[rebound.pk].verified_by is None
    assert got[backlog.pk].ledger_from == today + dt.timedelta(days=61)  # a late opinion: still a backlog


def test_open_milestones_are_closed_or_explained_at_resolution(cast, as_):
    from xinfang.plans.services import milestone_add

    village = partial(as_, "village1")
    with on("2026-03-02"):
        case = assigned_prominent(cast, as_)
        milestone_add(
            case_id=case.pk, acting_user=cast["office"], title="兑付第二期补偿款", due_on="2026-06-30"
        )
        evidence(as_, case)
        refused = act(village, case, "resolve", text="已签协议", signed_on="2026-03-02")
        assert refused.status_code == 422
        assert (
            "兑付第二期补偿款" in refused.json()["detail"]
            and refused.json()["errors"][0]["field"] == "milestones_note"
        )
        out = ok(
            act(
                village,
                case,
                "resolve",
                text="已签协议",
                signed_on="2026-03-02",
                milestones_note="第二期按协议6月兑付，专班跟踪",
            )
        )
    assert out["resolution"] == "submitted"
    event = CaseEvent.objects.filter(case=case, kind="resolve_submitted").get()
    assert "兑付第二期补偿款" in event.data["reason"] and "专班跟踪" in event.data["reason"]
