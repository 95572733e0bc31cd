"""签收: once, by the receiving unit only; the time and the user are kept."""

import datetime as dt

import pytest

from xinfang.audit.models import AuditEvent
from xinfang.cases.choices import CaseEventType
from xinfang.notices.models import AssignmentNotice

from .conftest import SENT, at

pytestmark = pytest.mark.django_db
LATER = SENT + dt.timedelta(hours=2)


def ack(client, notice):
    return client.post(f"/api/v1/notices/{notice.pk}/acknowledge", content_type="application/json")


def test_the_village_clerk_acknowledges_the_village_notice_once(client_as, cast, village_notice):
    with at(LATER):
        response = ack(client_as("village1"), village_notice)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "acknowledged" and body["acknowledged_by"] == "村干部示例一"
    assert body["timing"] == "发出后 2 小时 签收"
    village_notice.refresh_from_db()
    assert village_notice.acknowledged_at == LATER
    assert village_notice.acknowledged_by == cast["village1"]
    event = village_notice.case.events.get(kind=CaseEventType.NOTICE_ACKNOWLEDGED)
    assert event.user == cast["village1"] and event.at == LATER
    assert AuditEvent.objects.filter(target_id=str(village_notice.pk), detail="签收交办单").count() == 1

    again = ack(client_as("village1"), village_notice)
    assert again.status_code == 409
    assert "已于 2026-08-04 12:00 由村干部示例一签收" in again.json()["detail"]
    village_notice.refresh_from_db()
    assert village_notice.acknowledged_at == LATER


def test_a_department_user_acknowledges_the_line_notice(client_as, cast, line_notice):
    with at(LATER):
        assert ack(client_as("dept1"), line_notice).status_code == 200
    assert AssignmentNotice.objects.get(pk=line_notice.pk).acknowledged_by == cast["dept1"]


def test_the_wrong_unit_is_refused(client_as, village_notice, line_notice):
    # They see the notice (it is their case's), but they are not the receiving unit.
    for username, notice in [
        ("village1", line_notice),
        ("dept1", village_notice),
        ("office", village_notice),
        ("grid1", village_notice),
        ("leader1", line_notice),
    ]:
        response = ack(client_as(username), notice)
        assert response.status_code == 403, (username, response.status_code)
        assert "只能由" in response.json()["detail"]
    # Out of their scope: another village, another town.
    for username in ("village2", "h_office", "h_village"):
        assert ack(client_as(username), village_notice).status_code == 404, username
    assert not AssignmentNotice.objects.filter(acknowledged_at__isnull=False).exists()


def test_the_page_button_acknowledges_and_returns(client_as, cast, assigned, village_notice):
    client = client_as("village1")
    with at(LATER):
        inbox = client.get("/notices/").content.decode()
        assert f'action="/notices/{village_notice.pk}/acknowledge/"' in inbox
        response = client.post(
            f"/notices/{village_notice.pk}/acknowledge/", {"next": f"/cases/{assigned.pk}/"}, follow=True
        )
    assert response.redirect_chain[-1][0] == f"/cases/{assigned.pk}/"
    page = response.content.decode()
    assert f"已签收 {assigned.number} 的交办单，签收时间 2026-08-04 12:00" in page
    assert "2026-08-04 12:00 村干部示例一 签收" in page  # the case page's notice card


def test_the_page_refuses_the_wrong_unit_with_a_message(client_as, line_notice):
    response = client_as("village1").post(f"/notices/{line_notice.pk}/acknowledge/", follow=True)
    assert (
        "签收未完成：该交办单发往镇建设和生态环境局，只能由该部门的工作人员签收" in response.content.decode()
    )
    assert client_as("office").post(f"/notices/{line_notice.pk}/acknowledge/").status_code == 403
    assert client_as("h_village").post(f"/notices/{line_notice.pk}/acknowledge/").status_code == 404
    line_notice.refresh_from_db()
    assert line_notice.acknowledged_at is None
