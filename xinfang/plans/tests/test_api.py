"""The API of task forces, plans and milestones: the same services, the same Chinese refusals."""

import pytest

from xinfang.plans.api import five_haves_out
from xinfang.plans.models import CasePlan, Milestone, MilestoneProgress, TaskForceMember
from xinfang.plans.services import milestone_add

pytestmark = pytest.mark.django_db


def put(client, url, body):
    return client.put(url, body, content_type="application/json")


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_the_plan_and_the_task_force_through_the_api(client_as, cast, prominent_case):
    client = client_as("village1")
    url = f"/api/v1/cases/{prominent_case.pk}"
    empty = client.get(f"{url}/plan").json()
    assert empty["five_haves"] == {
        "lead_leader": True,
        "task_force": False,
        "plan": False,
        "deadline": True,
        "rebound_measures": False,
    }
    assert empty["missing"] == ["工作专班", "化稳方案", "防反弹措施"] and empty["prominent"]
    refused = put(client, f"{url}/plan", {"judgement": "", "measures": ""})
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"judgements", "measures"}
    assert "请选择三到位一处理的研判结论" in refused.json()["detail"]
    saved = put(
        client, f"{url}/plan", {"judgement": "reasonable", "measures": "调解", "rebound_measures": "回访"}
    )
    assert saved.status_code == 200
    assert saved.json()["judgement_label"] == "诉求合理→解决到位"
    village = cast["village1"].village
    members = [
        {"person": village.contact_leader_id, "role": "组长", "is_leader": True},
        {"person": village.party_head_id},
    ]
    response = put(client, f"{url}/task-force", {"members": members})
    assert response.status_code == 200, response.json()
    assert [(m["role"], m["is_leader"]) for m in response.json()["members"]] == [
        ("组长", True),
        ("成员", False),
    ]
    assert client.get(f"{url}/task-force").json() == response.json()
    assert client.get(f"{url}/plan").json()["missing"] == []
    assert five_haves_out(prominent_case) == dict.fromkeys(
        ["lead_leader", "task_force", "plan", "deadline", "rebound_measures"], True
    )
    stranger = put(client, f"{url}/task-force", {"members": [{"person": 999999, "is_leader": True}]})
    assert stranger.status_code == 422 and "人员 999999 不存在或不在本镇" in stranger.json()["detail"]
    no_leader = put(client, f"{url}/task-force", {"members": [{"person": village.party_head_id}]})
    assert no_leader.status_code == 422 and no_leader.json()["errors"] == [
        {"field": "leader", "message": "请指定一名专班组长。"}
    ]
    assert TaskForceMember.objects.filter(case=prominent_case).count() == 2
    readers = put(client_as("supervisor"), f"{url}/plan", {"judgement": "unlawful", "measures": "x"})
    assert readers.status_code == 403 and "督查专班只能查看" in readers.json()["detail"]
    assert CasePlan.objects.get().judgements == ["reasonable"]


def test_milestones_and_progress_through_the_api(client_as, prominent_case):
    client = client_as("office")
    created = post(client, f"/api/v1/cases/{prominent_case.pk}/milestones", {"title": "", "due_on": None})
    assert created.status_code == 422
    assert {e["field"] for e in created.json()["errors"]} == {"title", "due_on"}
    created = post(
        client,
        f"/api/v1/cases/{prominent_case.pk}/milestones",
        {"title": "召开专班会议", "due_on": "2099-01-01"},
    )
    assert created.status_code == 201
    milestone = created.json()
    assert milestone["overdue_days"] == 0 and milestone["progress"] == []
    entry = post(client, f"/api/v1/milestones/{milestone['id']}/progress", {"text": "已通知专班成员"})
    assert entry.status_code == 201 and entry.json()["text"] == "已通知专班成员"
    assert post(client, f"/api/v1/milestones/{milestone['id']}/progress", {"text": ""}).status_code == 422
    done = post(client, f"/api/v1/milestones/{milestone['id']}/done", {})
    assert done.status_code == 200
    assert done.json()["done_on"] is not None and [p["text"] for p in done.json()["progress"]] == [
        "已通知专班成员"
    ]
    again = post(client, f"/api/v1/milestones/{milestone['id']}/done", {})
    assert again.status_code == 422 and "该节点已于" in again.json()["detail"]
    shown = client.get(f"/api/v1/cases/{prominent_case.pk}/plan").json()["milestones"]
    assert [m["title"] for m in shown] == ["召开专班会议"]


def test_other_towns_and_villages_get_404(client_as, cast, prominent_case):
    milestone = milestone_add(
        case_id=prominent_case.pk, acting_user=cast["office"], title="勘察", due_on="2099-01-01"
    )
    url = f"/api/v1/cases/{prominent_case.pk}"
    for username in ("h_office", "h_village", "village2", "auditadmin"):
        client = client_as(username)
        assert client.get(f"{url}/plan").status_code == 404, username
        assert client.get(f"{url}/task-force").status_code == 404
        assert put(client, f"{url}/plan", {"judgement": "reasonable", "measures": "x"}).status_code == 404
        members = {"members": [{"person": cast["leader1"].person_id, "is_leader": True}]}
        assert put(client, f"{url}/task-force", members).status_code == 404
        assert post(client, f"{url}/milestones", {"title": "x", "due_on": "2099-01-01"}).status_code == 404
        assert post(client, f"/api/v1/milestones/{milestone.pk}/progress", {"text": "x"}).status_code == 404
        assert post(client, f"/api/v1/milestones/{milestone.pk}/done", {}).status_code == 404
    assert not CasePlan.objects.exists() and not TaskForceMember.objects.exists()
    assert Milestone.objects.count() == 1 and not MilestoneProgress.objects.exists()
    assert client_as("county").get(f"{url}/plan").status_code == 200  # reads across towns


def test_the_api_refuses_a_plan_or_task_force_saved_meanwhile(client_as, cast, prominent_case):
    api = client_as("office")
    url = f"/api/v1/cases/{prominent_case.pk}"
    seen = api.get(f"{url}/plan").json()["version"]
    body = {"judgement": "reasonable", "measures": "组织双方调解", "version": seen}
    stale = api.put(f"{url}/plan", {**body, "version": 7}, content_type="application/json")
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]  # no plan yet, none to name
    assert api.put(f"{url}/plan", body, content_type="application/json").status_code == 200
    response = api.put(f"{url}/plan", {**body, "measures": "另一个方案"}, content_type="application/json")
    assert response.status_code == 409 and "已被" in response.json()["detail"]
    assert api.get(f"{url}/plan").json()["measures"] == "组织双方调解"

    team = api.get(f"{url}/task-force").json()["version"]
    leader = cast["village1"].village.contact_leader_id
    body = {"members": [{"person": leader, "is_leader": True}], "version": team}
    assert api.put(f"{url}/task-force", body, content_type="application/json").status_code == 200
    response = api.put(f"{url}/task-force", body, content_type="application/json")
    assert response.status_code == 409 and "工作专班在您打开之后" in response.json()["detail"]
