"""Task forces, plans, milestones and progress: Chinese refusals that store nothing, who may write,
and other towns' and villages' cases that do not exist for the user."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from xinfang.audit.models import AuditEvent
from xinfang.cases.models import Case, CaseEvent
from xinfang.org.models import Person
from xinfang.plans import rules, selectors
from xinfang.plans.models import CasePlan, Milestone, MilestoneProgress, TaskForceMember
from xinfang.plans.services import (
    milestone_add,
    milestone_done,
    milestone_progress_add,
    plan_save,
    task_force_set,
)

from .conftest import SHANGHAI, assigned

pytestmark = pytest.mark.django_db


def nothing_written(case, kinds=("plan_saved", "task_force_set", "milestone_added", "milestone_done")):
    return not CaseEvent.objects.filter(case=case, kind__in=kinds).exists()


def messages(exc) -> dict:
    return {field: problems[0] for field, problems in exc.message_dict.items()}


def test_a_plan_needs_its_judgement_and_measures(cast, prominent_case):
    with pytest.raises(ValidationError) as refused:
        plan_save(case_id=prominent_case.pk, acting_user=cast["office"], judgement="maybe", measures=" ")
    assert messages(refused.value) == {
        "judgements": "不认识的研判结论“maybe”，只能从诉求合理、诉求无理、生活困难、违法行为中选择。",
        "measures": "请填写化解稳控措施（做什么、谁来做、怎么做）。",
    }
    assert not CasePlan.objects.filter(case=prominent_case).exists()
    assert nothing_written(prominent_case)
    assert not AuditEvent.objects.filter(target_type="化稳方案").exists()


def test_saving_the_plan_records_the_event_and_the_audit_row(cast, prominent_case):
    plan = plan_save(
        case_id=prominent_case.pk, acting_user=cast["village1"], judgement="unreasonable", measures="政策解释"
    )
    assert plan.judgement_labels == ["诉求无理→教育到位"]
    event = CaseEvent.objects.get(case=prominent_case, kind="plan_saved")
    assert event.summary() == "三到位一处理：诉求无理→教育到位；防反弹措施待填写"
    plan_save(
        case_id=prominent_case.pk,
        acting_user=cast["village1"],
        judgement="unreasonable",
        measures="政策解释",
        rebound_measures="每月回访",
    )
    row = AuditEvent.objects.filter(target_type="化稳方案", event="update").get()
    assert row.old_values == {"rebound_measures": ""} and row.new_values == {"rebound_measures": "每月回访"}
    assert row.target_repr == f"{prominent_case.number} 化稳方案"


def test_the_task_force_has_exactly_one_leader(cast, prominent_case):
    village = cast["village1"].village
    first = [(village.contact_leader, "组长", True), (village.party_head, "", False)]
    task_force_set(case_id=prominent_case.pk, acting_user=cast["office"], members=first)
    before = list(
        TaskForceMember.objects.filter(case=prominent_case).values_list("person", "role", "is_leader")
    )
    assert before == [(village.contact_leader_id, "组长", True), (village.party_head_id, "成员", False)]
    two = f"{village.party_head.name}、{village.cadre.name}"
    cases = [
        ([(village.party_head, "成员", False)], {"leader": "请指定一名专班组长。"}),
        (
            [(village.party_head, "组长", True), (village.cadre, "组长", True)],
            {"leader": f"专班组长只能有一名，现在指定了 2 名：{two}。"},
        ),
        (
            [(village.party_head, "组长", True), (village.party_head, "成员", False)],
            {"members": f"{village.party_head.name}填写了两次，每人在专班中只能出现一次。"},
        ),
        ([], {"members": "请至少填写一名专班成员，并指定其中一名为组长。"}),
    ]
    stranger = Person.objects.filter(town=cast["h_office"].town).first()
    cases.append(
        ([(stranger, "组长", True)], {"members": f"{stranger.name}不是本镇人员，不能加入该事项的工作专班。"})
    )
    for members, expected in cases:
        with pytest.raises(ValidationError) as refused:
            task_force_set(case_id=prominent_case.pk, acting_user=cast["office"], members=members)
        assert messages(refused.value) == expected
    after = list(
        TaskForceMember.objects.filter(case=prominent_case).values_list("person", "role", "is_leader")
    )
    assert after == before
    assert CaseEvent.objects.filter(case=prominent_case, kind="task_force_set").count() == 1


def test_milestones_need_a_title_and_a_date(cast, prominent_case):
    with pytest.raises(ValidationError) as refused:
        milestone_add(case_id=prominent_case.pk, acting_user=cast["office"], title="", due_on="")
    assert messages(refused.value) == {
        "title": "请填写工作节点（要完成的事）。",
        "due_on": "请填写该节点的完成时限。",
    }
    with pytest.raises(ValidationError) as refused:
        milestone_add(case_id=prominent_case.pk, acting_user=cast["office"], title="勘察", due_on="5月1日")
    assert messages(refused.value) == {"due_on": "日期格式应为 2026-05-01。"}
    assert not Milestone.objects.exists() and nothing_written(prominent_case)


def test_a_milestone_is_overdue_after_its_date_until_it_is_done(cast):
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=SHANGHAI), tick=False):
        case = assigned(cast, prominent=True)
        survey = milestone_add(
            case_id=case.pk, acting_user=cast["office"], title="现场勘察", due_on="2026-04-10"
        )
        milestone_progress_add(milestone_id=survey.pk, acting_user=cast["village1"], text="已联系测绘队")
    leader = cast["leader1"]
    with time_machine.travel(dt.datetime(2026, 4, 10, 18, tzinfo=SHANGHAI), tick=False):
        assert rules.overdue_days(survey) == 0
        assert not selectors.overdue_milestones(leader, owner=leader.person).exists()
        assert selectors.overdue_case_ids([case.pk]) == set()
    with time_machine.travel(dt.datetime(2026, 4, 13, 9, tzinfo=SHANGHAI), tick=False):
        assert rules.overdue_days(survey) == 3
        assert list(selectors.overdue_milestones(leader, owner=leader.person)) == [survey]
        assert list(selectors.overdue_milestones(cast["village2"])) == []  # another village's case
        assert selectors.overdue_case_ids([case.pk]) == {case.pk}
        annotated = rules.with_overdue_milestones(Case.objects.filter(pk=case.pk)).get()
        assert annotated.has_overdue_milestone
        [shown] = selectors.milestone_list(user=cast["office"], case_id=case.pk)
        assert shown.overdue_days == 3 and [p.text for p in shown.entries] == ["已联系测绘队"]
        with pytest.raises(ValidationError) as refused:
            milestone_done(milestone_id=survey.pk, acting_user=cast["office"], on="2026-04-14")
        assert messages(refused.value) == {"on": "完成日期不能晚于今天。"}
        done = milestone_done(milestone_id=survey.pk, acting_user=cast["office"], on="2026-04-12")
        assert done.done_on == dt.date(2026, 4, 12)
        assert rules.overdue_days(done) == 0
        assert selectors.overdue_case_ids([case.pk]) == set()
        event = CaseEvent.objects.get(case=case, kind="milestone_done")
        assert event.summary() == "现场勘察，2026-04-12 完成（超期 2 天）"
        with pytest.raises(ValidationError) as refused:
            milestone_done(milestone_id=survey.pk, acting_user=cast["office"])
        assert messages(refused.value) == {"on": "该节点已于 2026-04-12 完成。"}


def test_progress_needs_text_and_a_day_not_in_the_future(cast, prominent_case):
    milestone = milestone_add(
        case_id=prominent_case.pk, acting_user=cast["office"], title="协调支付", due_on=dt.date(2099, 1, 1)
    )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        milestone_progress_add(milestone_id=milestone.pk, acting_user=cast["office"], text=" ", on=tomorrow)
    assert messages(refused.value) == {"text": "请填写该节点的进展情况。", "on": "进展日期不能晚于今天。"}
    with pytest.raises(ValidationError) as refused:
        milestone_progress_add(milestone_id=milestone.pk, acting_user=cast["office"], text="长" * 301)
    assert messages(refused.value) == {"text": "内容过长（301 字），请控制在 300 字以内。"}
    assert not MilestoneProgress.objects.exists()
    assert not CaseEvent.objects.filter(case=prominent_case, kind="milestone_progress").exists()


def test_who_may_write(cast, prominent_case):
    write = {"case_id": prominent_case.pk, "judgement": "reasonable", "measures": "解决"}
    for username in ("office", "dept1", "village1", "leader1"):  # leader1 owns the case
        plan_save(acting_user=cast[username], **write)
    for username, message in (
        ("grid1", "网格员只能查看工作专班和化稳方案，不能修改。"),
        ("supervisor", "督查专班只能查看工作专班和化稳方案，不能修改。"),
        ("county", "县信访局只能查看工作专班和化稳方案，不能修改。"),
    ):
        with pytest.raises(PermissionDenied, match=message):
            plan_save(acting_user=cast[username], **write)
    other = Person.objects.filter(town=prominent_case.town, is_leader=True).exclude(
        pk=cast["leader1"].person_id
    )
    Case.objects.filter(pk=prominent_case.pk).update(lead_leader=other.first())
    with pytest.raises(PermissionDenied, match="您不是该事项的包案领导"):
        plan_save(acting_user=cast["leader1"], **write)


def test_other_towns_and_villages_find_no_case(cast, prominent_case):
    milestone = milestone_add(
        case_id=prominent_case.pk, acting_user=cast["office"], title="勘察", due_on="2099-01-01"
    )
    for username in ("h_office", "h_village", "village2"):
        user = cast[username]
        with pytest.raises(Http404):
            plan_save(case_id=prominent_case.pk, acting_user=user, judgement="reasonable", measures="x")
        with pytest.raises(Http404):
            task_force_set(case_id=prominent_case.pk, acting_user=user, members=[])
        with pytest.raises(Http404):
            milestone_add(case_id=prominent_case.pk, acting_user=user, title="x", due_on="2099-01-01")
        with pytest.raises(Http404):
            milestone_done(milestone_id=milestone.pk, acting_user=user)
        with pytest.raises(Http404):
            milestone_progress_add(milestone_id=milestone.pk, acting_user=user, text="x")
        assert selectors.milestone_list(user=user, case_id=prominent_case.pk) == []
        assert selectors.plan_get(user=user, case_id=prominent_case.pk) is None


def test_the_ledger_shows_the_saved_plans_measures(cast, client_as, prominent_case):
    plan_save(
        case_id=prominent_case.pk,
        acting_user=cast["office"],
        judgement="hardship",
        measures="落实临时救助，协调低保评议",
    )
    assert Case.objects.get(pk=prominent_case.pk).plan == "落实临时救助，协调低保评议"
    got = client_as("office").get("/api/v1/cases?view=prominent").json()["items"]
    assert [c["plan"] for c in got if c["id"] == prominent_case.pk] == ["落实临时救助，协调低保评议"]
