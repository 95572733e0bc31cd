"""The case page's 一案一策 card, its forms, the list of cases short of the five haves and the owner's
home page."""

import datetime as dt

import pytest
import time_machine

from xinfang.cases.models import CaseEvent
from xinfang.plans.models import CasePlan, Milestone, MilestoneProgress, TaskForceMember
from xinfang.plans.services import milestone_add, plan_save

from .conftest import SHANGHAI, assigned

pytestmark = pytest.mark.django_db


def page(client, case) -> str:
    return client.get(f"/cases/{case.pk}/").content.decode()


def test_the_card_shows_the_five_haves_and_offers_the_forms_to_writers(client_as, prominent_case):
    html = page(client_as("office"), prominent_case)
    assert 'id="plan"' in html
    assert "✓ 包案领导" in html and "✗ 工作专班" in html and "✗ 化稳方案" in html
    assert "✓ 解决时限" in html and "✗ 防反弹措施" in html
    assert "该事项为突出问题，“五有”尚缺：工作专班、化稳方案、防反弹措施，补齐后才能报送化解。" in html
    assert 'href="#plan-task-force"' in html
    for form in ("plan/task-force/", "plan/milestones/", f"/cases/{prominent_case.pk}/plan/"):
        assert form in html
    for reader in ("grid1", "supervisor"):
        html = page(client_as(reader), prominent_case)
        assert "✗ 工作专班" in html and "保存化稳方案" not in html and "保存工作专班" not in html


def test_a_refused_plan_keeps_what_was_typed_and_stores_nothing(client_as, prominent_case):
    client = client_as("village1")
    response = client.post(
        f"/cases/{prominent_case.pk}/plan/",
        {"measures": "组织双方调解，督促支付", "rebound_measures": "每月回访"},
        follow=True,
    )
    html = response.content.decode()
    assert "化稳方案未保存：请选择三到位一处理的研判结论" in html
    assert "组织双方调解，督促支付</textarea>" in html and "每月回访</textarea>" in html
    assert not CasePlan.objects.exists()
    # shown once: the next visit starts from the stored plan again
    assert "组织双方调解，督促支付</textarea>" not in page(client, prominent_case)
    client.post(
        f"/cases/{prominent_case.pk}/plan/",
        {"judgement": "reasonable", "measures": "组织双方调解", "rebound_measures": "每月回访"},
    )
    html = page(client, prominent_case)
    assert "诉求合理→解决到位" in html and "✓ 化稳方案" in html and "✓ 防反弹措施" in html


def test_the_task_force_form(client_as, cast, prominent_case):
    village = cast["village1"].village
    client = client_as("office")
    url = f"/cases/{prominent_case.pk}/plan/task-force/"
    two_leaders = {
        "person_0": village.contact_leader_id,
        "role_0": "组长",
        "person_1": village.party_head_id,
        "role_1": "副组长",
    }
    html = client.post(url, two_leaders, follow=True).content.decode()
    assert "工作专班未保存：请指定一名专班组长。" in html
    assert 'value="副组长"' in html  # typed roles come back
    assert not TaskForceMember.objects.exists()
    client.post(url, {**two_leaders, "leader": "0", "person_2": "", "role_2": ""})
    members = TaskForceMember.objects.filter(case=prominent_case).order_by("order")
    assert [(m.person_id, m.role, m.is_leader) for m in members] == [
        (village.contact_leader_id, "组长", True),
        (village.party_head_id, "副组长", False),
    ]
    html = page(client, prominent_case)
    assert "✓ 工作专班" in html and "工作专班（2 人）" in html
    assert CaseEvent.objects.get(case=prominent_case, kind="task_force_set").summary() == (
        f"组长：{village.contact_leader.name}；副组长：{village.party_head.name}"
    )


def test_milestones_progress_and_the_overdue_flag(client_as, cast):
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, tzinfo=SHANGHAI), tick=False):
        case = assigned(cast, prominent=True)
        client = client_as("village1")
        base = f"/cases/{case.pk}/plan/milestones/"
        refused = client.post(base, {"title": "现场勘察", "due_on": ""}, follow=True).content.decode()
        assert "工作节点未保存：请填写该节点的完成时限。" in refused and 'value="现场勘察"' in refused
        client.post(base, {"title": "现场勘察", "due_on": "2026-05-08"})
        milestone = Milestone.objects.get(case=case)
        client.post(f"{base}{milestone.pk}/progress/", {"text": "已联系测绘队", "on": "2026-05-04"})
        assert MilestoneProgress.objects.get(milestone=milestone).text == "已联系测绘队"
        assert "超期" not in page(client, case)
    with time_machine.travel(dt.datetime(2026, 5, 11, 9, tzinfo=SHANGHAI), tick=False):
        client = client_as("village1")  # a new session: the old one has timed out
        html = page(client, case)
        assert '<span class="badge text-bg-danger" data-overdue="3">超期 3 天</span>' in html
        assert "已联系测绘队" in html
        home = client_as("leader1").get("/").content.decode()
        assert "我包案事项的超期工作节点" in home and "现场勘察" in home
        client.post(f"{base}{milestone.pk}/done/", {"on": "2026-05-11"})
        html = page(client, case)
        assert 'data-overdue="3"' not in html and "2026-05-11 完成</span>" in html


def test_the_incomplete_list_per_owner_and_village(client_as, cast, prominent_case):
    other = assigned(cast, prominent=True, village_of="village2")
    plain = assigned(cast, prominent=False)
    html = client_as("office").get("/plans/incomplete/").content.decode()
    assert prominent_case.number in html and other.number in html and plain.number not in html
    assert "按包案领导" in html and "按村（居）" in html
    assert f"{cast['village1'].village.contact_leader.name}（" in html
    assert f"{cast['village2'].village.name}（1 件）" in html
    assert "“五有”未齐全" in client_as("supervisor").get("/").content.decode()  # the navigation
    own = client_as("village1").get("/plans/incomplete/").content.decode()
    assert prominent_case.number in own and other.number not in own
    assert prominent_case.number not in client_as("h_office").get("/plans/incomplete/").content.decode()
    home = client_as("leader1").get("/").content.decode()
    assert "我包案的突出问题“五有”未齐全" in home and prominent_case.number in home


def test_other_towns_and_villages_get_404_and_readers_403(client_as, cast, prominent_case):
    plan_save(case_id=prominent_case.pk, acting_user=cast["office"], judgement="reasonable", measures="x")
    milestone = milestone_add(
        case_id=prominent_case.pk, acting_user=cast["office"], title="勘察", due_on="2099-01-01"
    )
    base = f"/cases/{prominent_case.pk}/plan/"
    posts = [
        (base, {"judgement": "unlawful", "measures": "y"}),
        (f"{base}task-force/", {"person_0": cast["leader1"].person_id, "leader": "0"}),
        (f"{base}milestones/", {"title": "z", "due_on": "2099-01-02"}),
        (f"{base}milestones/{milestone.pk}/progress/", {"text": "z"}),
        (f"{base}milestones/{milestone.pk}/done/", {}),
    ]
    for username, status in (("h_office", 404), ("h_village", 404), ("village2", 404), ("grid1", 403)):
        client = client_as(username)
        for url, body in posts:
            assert client.post(url, body).status_code == status, (username, url)
    assert CasePlan.objects.get().judgements == ["reasonable"]
    assert not TaskForceMember.objects.exists() and Milestone.objects.count() == 1
    assert not MilestoneProgress.objects.exists() and Milestone.objects.get().done_on is None
    # a milestone is reached only through its own case
    another = assigned(cast, prominent=True)
    office = client_as("office")
    assert office.post(f"/cases/{another.pk}/plan/milestones/{milestone.pk}/done/").status_code == 404


def test_two_people_editing_the_plan_the_second_is_told_and_nothing_is_overwritten(client_as, prominent_case):
    village, office = client_as("village1"), client_as("office")
    assert 'name="version" value="0"' in page(village, prominent_case)  # both open the empty form
    first = {
        "judgement": "reasonable",
        "measures": "组织双方调解",
        "rebound_measures": "每月回访",
        "version": "0",
    }
    village.post(f"/cases/{prominent_case.pk}/plan/", first)
    second = {"judgement": "hardship", "measures": "申请临时救助", "rebound_measures": "", "version": "0"}
    html = office.post(f"/cases/{prominent_case.pk}/plan/", second, follow=True).content.decode()
    assert "化稳方案未保存：化稳方案在您打开之后已被" in html and "为避免覆盖，本次未保存" in html
    assert "申请临时救助</textarea>" in html  # what the second typed is kept in the form
    plan = CasePlan.objects.get(case=prominent_case)
    assert (plan.judgements, plan.measures, plan.version) == (["reasonable"], "组织双方调解", 1)
    assert 'name="version" value="1"' in html  # having seen the saved plan, the second may save
    office.post(
        f"/cases/{prominent_case.pk}/plan/", {**second, "rebound_measures": "每月回访", "version": "1"}
    )
    plan.refresh_from_db()
    assert (plan.measures, plan.version) == ("申请临时救助", 2)


def test_a_task_force_changed_meanwhile_is_not_replaced(client_as, cast, prominent_case):
    village = cast["village1"].village
    url = f"/cases/{prominent_case.pk}/plan/task-force/"
    seen = 'name="version" value=""'
    assert seen in page(client_as("office"), prominent_case)
    client_as("village1").post(url, {"person_0": village.contact_leader_id, "leader": "0", "version": ""})
    mine = {"person_0": village.party_head_id, "leader": "0", "version": ""}
    html = client_as("office").post(url, mine, follow=True).content.decode()
    assert "工作专班未保存：工作专班在您打开之后已被" in html
    assert [m.person_id for m in TaskForceMember.objects.filter(case=prominent_case)] == [
        village.contact_leader_id
    ]
