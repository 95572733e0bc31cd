import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from xinfang.audit.models import AuditEvent
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def register(cast, received_at=None) -> Case:
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=received_at or timezone.now(),
            petitioner=PetitionerIn(name="赵某某", village=cast["village1"].village),
            title="宅基地边界纠纷",
            content="请求调解。",
        ),
        acting_user=cast["office"],
    ).case


def act(client, case, action, **body):
    return client.post(f"/api/v1/cases/{case.pk}/actions/{action}", body, content_type="application/json")


def test_accepting_starts_the_60_day_handling_clock(client_as, cast):
    with time_machine.travel(dt.datetime(2026, 8, 3, 10, tzinfo=SHANGHAI), tick=False):
        case = register(cast)
        assert case.notify_due == dt.date(2026, 8, 18)
        response = act(client_as("office"), case, "accept", version=case.version)
    assert response.status_code == 200, response.json()
    out = response.json()
    assert out["case"]["state"] == "accepted"
    # 60 days from 3 August is 2 October, inside the National Day holiday: due on 8 October.
    assert out["case"]["handling_due"] == "2026-10-08"
    assert out["version"] == case.version + 1
    assert CaseEvent.objects.filter(case=case, kind="accepted").exists()
    row = AuditEvent.objects.filter(target_id=str(case.pk), event="update").get()
    assert row.old_values == {"state": "registered"} and row.new_values["state"] == "accepted"


def test_accepting_twice_is_refused_with_the_reason(client_as, cast):
    case = register(cast)
    client = client_as("office")
    assert act(client, case, "accept").status_code == 200
    again = act(client, case, "accept")
    assert again.status_code == 409
    assert again.json()["detail"].startswith("当前办理状态为“已受理”，不能受理")


def test_the_second_of_two_clerks_gets_a_conflict_and_nothing_is_overwritten(client_as, cast):
    case = register(cast)
    seen = case.version
    first = act(
        client_as("office"), case, "not_accept", version=seen, reason="属于诉讼程序，应通过司法途径解决。"
    )
    assert first.status_code == 200
    second = act(client_as("office"), case, "accept", version=seen)
    assert second.status_code == 409
    assert "已被他人修改" in second.json()["detail"]
    case.refresh_from_db()
    assert case.state == "not_accepted" and case.not_accepted_reason.startswith("属于诉讼程序")


def test_not_accepting_needs_a_reason(client_as, cast):
    case = register(cast)
    response = act(client_as("office"), case, "not_accept", reason=" ")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "reason", "message": "请填写不予受理的理由（将写入不予受理告知书）。"}
    ]
    case.refresh_from_db()
    assert case.state == "registered" and case.version == 1


def test_an_acceptance_date_before_the_petition_is_refused(client_as, cast):
    case = register(cast, received_at=timezone.now() - dt.timedelta(days=2))
    early = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    response = act(client_as("office"), case, "accept", on=early)
    assert response.status_code == 422 and "不能早于收到信访的日期" in response.json()["detail"]


def test_unknown_actions_other_roles_and_other_villages_are_refused(client_as, cast):
    case = register(cast)
    assert act(client_as("office"), case, "fly").status_code == 422
    assert act(client_as("village1"), case, "accept").status_code == 403
    assert act(client_as("h_office"), case, "accept").status_code == 404
    case.refresh_from_db()
    assert case.state == "registered"


def test_the_office_accepts_from_the_case_page(client_as, cast):
    case = register(cast)
    client = client_as("office")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "受理" in page and f'name="version" value="{case.version}"' in page
    response = client.post(f"/cases/{case.pk}/actions/accept/", {"version": case.version}, follow=True)
    assert "已受理" in response.content.decode()
    stale = client.post(f"/cases/{case.pk}/actions/accept/", {"version": case.version}, follow=True)
    assert "已被他人修改" in stale.content.decode() or "不能受理" in stale.content.decode()
    assert client_as("village1").get(f"/cases/{case.pk}/").content.decode().count("/actions/") == 0
