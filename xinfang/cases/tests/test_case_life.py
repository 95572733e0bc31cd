"""The case's life through the API, with the clock frozen at each step: every limit, on China's
working calendar (2026: Mid-Autumn on 25 September, National Day 1–7 October, make-up working
Saturday 10 October)."""

import datetime as dt
from functools import partial

import pytest
from django.utils import timezone

from xinfang.audit.models import AuditEvent
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.ownership import ownership_propose
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.testing import act, on
from xinfang.org.models import Category, Person

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def register(cast, *, petitioner="赵某某", case_id=None) -> Case:
    category = Category.objects.filter(lead=cast["dept1"].department).first()
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name=petitioner, village=cast["village1"].village),
            title="宅基地边界纠纷",
            content="请求重新丈量宅基地边界。",
            category=category,
            case_id=case_id,
        ),
        acting_user=cast["office"],
    ).case


def ok(response) -> dict:
    assert response.status_code == 200, response.json()
    return response.json()["case"]


def assign_body(cast, case):
    village = cast["village1"].village
    return {
        "lead_department": cast["dept1"].department_id,
        "responsible_persons": [p for p in (village.party_head_id, village.cadre_id) if p],
        "plan": "村组干部上门调解，重新丈量。",
    }


def test_the_misrouting_objection_limit_counts_working_days_over_national_day(as_, client_as, cast):
    office = partial(as_, "office")
    with on("2026-09-28"):
        case = register(cast)
        ok(act(office, case, "accept"))
    with on("2026-09-30"):
        out = ok(act(office, case, "assign", **assign_body(cast, case)))
    case.refresh_from_db()
    # 5 working days after Wednesday 30 September: 8, 9, 10 (make-up Saturday), 12, 13 October.
    assert case.objection_due == dt.date(2026, 10, 13)
    proposed = ownership_propose(Case.objects.get(pk=case.pk)).lead_leader
    assert out["state"] == "assigned" and out["lead_leader"] == proposed.name
    dept = partial(as_, "dept1")
    with on("2026-10-14"):
        late = act(dept, case, "object", reason="不属于本部门职责")
    assert late.status_code == 409 and "2026-10-13" in late.json()["detail"]
    with on("2026-10-13"):
        out = ok(act(dept, case, "object", reason="属于农业农村局职责"))
    assert out["state"] == "accepted" and out["lead_department"] is None


def test_a_handling_limit_ending_on_a_make_up_saturday_is_not_moved(as_, client_as, cast):
    with on("2026-08-11"):
        case = register(cast)
        out = ok(act(partial(as_, "office"), case, "accept"))
    # 60 days after 11 August is Saturday 10 October, a working day that year.
    assert out["handling_due"] == "2026-10-10"


def test_extension_once_at_most_30_days_with_a_notice(as_, client_as, cast):
    office, dept = partial(as_, "office"), partial(as_, "dept1")
    with on("2026-08-03"):
        case = register(cast)
        ok(act(office, case, "accept"))
        ok(act(office, case, "assign", **assign_body(cast, case)))
    with on("2026-09-20"):
        too_long = act(dept, case, "extend", days=31, reason="需现场勘测", approved_by="王局长")
        assert too_long.status_code == 422 and "1 至 30 日" in too_long.json()["detail"]
        no_head = act(dept, case, "extend", days=30, reason="需现场勘测")
        assert no_head.status_code == 422 and "单位负责人" in no_head.json()["detail"]
        out = ok(act(dept, case, "extend", days=30, reason="需现场勘测", approved_by="王局长"))
    # accepted 3 August: 60 + 30 days is 1 November, a Sunday: due Monday 2 November.
    assert out["state"] == "extended" and out["handling_due"] == "2026-11-02"
    with on("2026-09-21"):
        again = act(dept, case, "extend", days=5, reason="再延", approved_by="王局长")
    assert again.status_code == 422 and "只能延长一次" in again.json()["detail"]
    case.refresh_from_db()
    assert case.extension_days == 30 and case.handling_due == dt.date(2026, 11, 2)
    assert CaseEvent.objects.filter(case=case, kind="extended").count() == 1


def test_an_extension_after_the_limit_ran_out_is_refused(as_, client_as, cast):
    office = partial(as_, "office")
    with on("2026-03-02"):
        case = register(cast)
        ok(act(office, case, "accept"))
        ok(act(office, case, "assign", **assign_body(cast, case)))
    with on("2026-06-01"):
        late = act(partial(as_, "dept1"), case, "extend", days=10, reason="复杂", approved_by="王局长")
    assert late.status_code == 409 and "届满" in late.json()["detail"]


def test_hearing_time_is_not_counted(as_, client_as, cast):
    office = partial(as_, "office")
    with on("2026-04-01"):
        case = register(cast)
        ok(act(office, case, "accept"))
        ok(act(office, case, "assign", **assign_body(cast, case)))
    assert Case.objects.get(pk=case.pk).handling_due == dt.date(2026, 6, 1)  # 31 May is a Sunday
    with on("2026-04-10"):
        ok(act(office, case, "hearing"))
    with on("2026-04-24"):
        blocked = act(
            partial(as_, "dept1"), case, "reply", decision="support", facts="属实", basis="《土地管理法》"
        )
        assert blocked.status_code == 409 and "听证" in blocked.json()["detail"]
        out = ok(act(office, case, "hearing_end"))
    # 14 days of hearing added: 60 + 14 days from 1 April is 14 June.
    assert out["handling_due"] == "2026-06-15"  # 14 June is a Sunday
    assert CaseEvent.objects.get(case=case, kind="hearing_end").data["paused_days"] == 14


REPLY = {"decision": "support", "facts": "属实", "basis": "相关规定"}


def test_reply_rating_review_and_re_review_end_in_no_further_acceptance(as_, client_as, cast):
    office, dept = partial(as_, "office"), partial(as_, "dept1")
    with on("2026-03-02"):
        case = register(cast)
        ok(act(office, case, "accept"))
        ok(act(office, case, "assign", **assign_body(cast, case)))
    with on("2026-03-20"):
        ok(act(dept, case, "progress", text="已现场丈量"))
    with on("2026-04-10"):
        missing = act(dept, case, "reply", decision="support", facts="")
        assert missing.status_code == 422
        assert {e["field"] for e in missing.json()["errors"]} == {"facts", "basis"}
        out = ok(
            act(
                dept,
                case,
                "reply",
                decision="explain",
                facts="边界与确权图一致",
                basis="《土地管理法》第十四条",
            )
        )
    # Written but not yet received: neither the rating nor the review window runs.
    assert out["state"] == "replied" and out["due_on"] is None and out["delivered_on"] is None
    with on("2026-04-13"):
        undelivered = act(office, case, "rate", office_rating="satisfied", unit_rating="satisfied")
        assert undelivered.status_code == 409 and "尚未送达" in undelivered.json()["detail"]
        out = ok(act(dept, case, "deliver", on="2026-04-12", way="post"))
    # 《信访工作条例》第三十五条: 30 days from the day the petitioner received it, 12 April.
    assert out["delivered_on"] == "2026-04-12" and out["due_on"] == "2026-05-12"
    with on("2026-04-15"):
        no_reason = act(office, case, "rate", office_rating="satisfied", unit_rating="dissatisfied")
        assert no_reason.status_code == 422 and "不满意的理由" in no_reason.json()["detail"]
        ok(
            act(
                office, case, "rate", office_rating="satisfied", unit_rating="dissatisfied", reason="丈量有误"
            )
        )
        early_close = act(office, case, "close")
        assert early_close.status_code == 409 and "届满后方可终结" in early_close.json()["detail"]
        out = ok(act(office, case, "request_review", reason="对丈量结果不服"))
    # review asked on 15 April: the answer is due 30 days later, 15 May.
    assert out["state"] == "review" and out["due_on"] == "2026-05-15"
    with on("2026-05-12"):
        out = ok(
            act(
                office,
                case,
                "review_answer",
                decision="explain",
                facts="复查维持",
                basis="《信访工作条例》",
                delivered_on="2026-05-12",
                delivery_way="in_person",
            )
        )
    assert out["state"] == "replied" and out["review_stage"] == 1
    with on("2026-06-20"):
        late = act(office, case, "request_review", reason="仍不服")
        assert late.status_code == 409 and "复核的期限已于 2026-06-11 届满" in late.json()["detail"]
    case.refresh_from_db()
    case.review_request_due = dt.date(2026, 6, 30)  # as if answered later: ask re-review in time
    case.save()
    with on("2026-06-20"):
        out = ok(act(office, case, "request_review", reason="仍不服"))
        assert out["state"] == "re_review"
        out = ok(
            act(office, case, "review_answer", decision="reject", facts="复核维持", basis="《信访工作条例》")
        )
    assert out["state"] == "closed"
    with on("2026-07-01"):
        third = act(office, case, "request_review", reason="再申请")
        assert third.status_code == 409 and "不再受理" in third.json()["detail"]
        register(cast, case_id=case.pk)
    case.refresh_from_db()
    assert case.state == "closed" and case.repeat_count == 1
    assert CaseEvent.objects.filter(case=case, kind="repeat").get().data["not_reaccepted"] is True


def test_a_rating_after_its_window_is_overdue_and_refused(as_, client_as, cast):
    office = partial(as_, "office")
    with on("2026-03-02"):
        case = register(cast)
        ok(act(office, case, "accept"))
        ok(act(office, case, "assign", **assign_body(cast, case)))
        ok(
            act(
                partial(as_, "dept1"),
                case,
                "reply",
                **REPLY,
                delivered_on="2026-03-02",
                delivery_way="in_person",
            )
        )
    with on("2026-04-02"):
        late = act(office, case, "rate", office_rating="satisfied", unit_rating="satisfied")
        assert late.status_code == 409 and "超期未评价" in late.json()["detail"]
        page = office().get(f"/cases/{case.pk}/").content.decode()
    assert "超期未评价" in page


def test_a_satisfied_petitioner_lets_the_office_close_at_once(as_, client_as, cast):
    office = partial(as_, "office")
    with on("2026-03-02"):
        case = register(cast)
        for step, body in (("accept", {}), ("assign", assign_body(cast, case))):
            ok(act(office, case, step, **body))
        ok(
            act(
                partial(as_, "dept1"),
                case,
                "reply",
                **REPLY,
                delivered_on="2026-03-02",
                delivery_way="in_person",
            )
        )
        ok(act(office, case, "rate", office_rating="satisfied", unit_rating="basic"))
        out = ok(act(office, case, "close"))
    assert out["state"] == "closed"


def test_roles_take_only_their_own_steps(as_, client_as, cast):
    office = partial(as_, "office")
    case = register(cast)
    ok(act(office, case, "accept"))
    ok(act(office, case, "assign", **assign_body(cast, case)))
    refused = act(partial(as_, "village1"), case, "reply", decision="support", facts="属实", basis="规定")
    assert refused.status_code == 403 and "您的角色不能进行此操作" in refused.json()["detail"]
    assert ok(act(partial(as_, "village1"), case, "progress", text="已入户走访"))["state"] == "handling"
    assert act(partial(as_, "grid1"), case, "progress", text="走访").status_code == 403
    assert act(partial(as_, "h_office"), case, "progress", text="走访").status_code == 404


def test_assignment_checks_its_people(as_, client_as, cast):
    office = partial(as_, "office")
    case = register(cast)
    ok(act(office, case, "accept"))
    clerk = Person.objects.filter(town=cast["office"].town, is_leader=False).first()
    bad = act(office, case, "assign", lead_department=cast["dept1"].department_id, lead_leader=clerk.pk)
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert fields == {"lead_leader"}  # the responsible persons come from the rules
    other_town = Person.objects.exclude(town=cast["office"].town).filter(is_leader=True).first()
    foreign = act(office, case, "assign", **{**assign_body(cast, case), "lead_leader": other_town.pk})
    assert foreign.status_code == 422 and "不存在或不在本镇" in foreign.json()["detail"]
    assert Case.objects.get(pk=case.pk).state == "accepted"


def test_a_refused_step_writes_nothing(as_, client_as, cast):
    case = register(cast)
    rows = AuditEvent.objects.filter(target_type="信访事项", target_id=str(case.pk))
    before = (Case.objects.get(pk=case.pk).version, CaseEvent.objects.count(), rows.count())
    assert act(partial(as_, "office"), case, "not_accept", reason="").status_code == 422
    assert act(partial(as_, "office"), case, "close").status_code == 409
    after = (Case.objects.get(pk=case.pk).version, CaseEvent.objects.count(), rows.count())
    assert after == before


def test_an_accusation_is_hidden_from_the_accused(as_, client_as, cast):
    case = register(cast)
    accused = cast["village1"]
    assert client_as("village1").get(f"/cases/{case.pk}/").status_code == 200
    case.accused_villages.add(accused.village)
    assert client_as("village1").get(f"/cases/{case.pk}/").status_code == 404
    listing = client_as("village1").get("/api/v1/cases").json()
    assert case.pk not in [c["id"] for c in listing["items"]]
    leader = cast["leader1"]
    case.accused_persons.add(leader.person)
    assert client_as("leader1").get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert client_as("office").get(f"/api/v1/cases/{case.pk}").status_code == 200


def test_the_office_moves_the_resolve_by_date_with_a_reason_and_the_clock_stays(as_, client_as, cast):
    office = partial(as_, "office")
    with on("2026-08-03"):
        case = register(cast)
        ok(act(office, case, "accept"))
        ok(act(office, case, "assign", **assign_body(cast, case), resolve_by="2026-09-15"))
    with on("2026-09-01"):
        assert act(office, case, "set_resolve_by", resolve_by="2026-11-30").status_code == 422  # no reason
        past = act(office, case, "set_resolve_by", resolve_by="2026-08-31", reason="联席会议决定")
        assert past.status_code == 422 and "不能早于今天（2026-09-01）" in past.json()["errors"][0]["message"]
        refused = act(partial(as_, "dept1"), case, "set_resolve_by", resolve_by="2026-11-30", reason="x")
        assert refused.status_code == 403
        case.refresh_from_db()
        assert case.resolve_by == dt.date(2026, 9, 15)
        handling_due = case.handling_due
        out = ok(
            act(office, case, "set_resolve_by", resolve_by="2026-11-30", reason="联席会议决定分两期兑付")
        )
    assert out["resolve_by"] == "2026-11-30"
    case.refresh_from_db()
    assert case.resolve_by == dt.date(2026, 11, 30) and case.handling_due == handling_due
    event = CaseEvent.objects.filter(case=case, kind="resolve_by_changed").get()
    assert event.summary() == "解决时限由 2026-09-15 调整为 2026-11-30；理由：联席会议决定分两期兑付"
    assert AuditEvent.objects.filter(target_id=str(case.pk), detail="调整解决时限").exists()
    with on("2026-09-01"):
        page = client_as("office").get(f"/cases/{case.pk}/").content.decode()
    assert "调整解决时限" in page and "解决时限由 2026-09-15 调整为 2026-11-30" in page
