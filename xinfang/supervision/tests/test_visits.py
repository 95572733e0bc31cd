"""督查记录: only the team records; the office, the leaders, the team and the county read them."""

import datetime as dt

import pytest

from xinfang.core.tests.test_api_input import api_client, assert_chinese_error
from xinfang.supervision.models import SupervisionVisit
from xinfang.supervision.services import visit_record

from .conftest import at

pytestmark = pytest.mark.django_db

ROLES = ["office", "leader1", "dept1", "village1", "grid1", "supervisor", "county", "sysadmin", "h_office"]


@pytest.mark.parametrize("username", ROLES)
def test_only_the_team_records_a_visit(cast, issue, username):
    notice = issue()
    with at("2026-11-20 10:00"):
        response = api_client(cast, username).post(
            "/api/v1/supervision-visits",
            {
                "day": "2026-11-19",
                "villages": [cast["village1"].village_id],
                "departments": [cast["dept1"].department_id],
                "findings": "专班会议记录不全，见面台账有漏记。",
                "notices": [notice.pk],
            },
            content_type="application/json",
        )
    if username == "supervisor":
        assert response.status_code == 201, response.content
        assert response.json()["notices"] == [notice.pk]
    else:
        assert_chinese_error(response, 403)
        assert not SupervisionVisit.objects.exists()


@pytest.mark.parametrize("username", ROLES)
def test_the_visit_page_is_for_the_town_readers(client_as, username):
    response = client_as(username).get("/supervision/visits/")
    assert response.status_code == (
        200 if username in {"office", "leader1", "supervisor", "county", "h_office"} else 403
    )


def test_a_visit_with_no_unit_or_a_future_day_is_refused_and_the_form_keeps_the_text(cast, client_as, hetang):
    with at("2026-11-20 10:00"):
        response = client_as("supervisor").post(
            "/supervision/visits/", {"day": "2026-12-01", "findings": "台账不全，需整改"}
        )
        api = api_client(cast, "supervisor").post(
            "/api/v1/supervision-visits",
            {"day": "2026-11-19", "villages": [hetang.villages.first().pk], "findings": "台账不全"},
            content_type="application/json",
        )
    html = response.content.decode()
    assert response.status_code == 422
    assert "督查日期不能晚于今天" in html and "请至少选择一个督查的村（居）或部门" in html
    assert "台账不全，需整改" in html
    assert assert_chinese_error(api, 422)["errors"][0]["field"] == "villages"
    assert not SupervisionVisit.objects.exists()


def test_another_towns_visits_are_not_listed(cast):
    with at("2026-11-20 10:00"):
        visit_record(
            acting_user=cast["supervisor"],
            day=dt.date(2026, 11, 19),
            village_ids=[cast["village1"].village_id],
            findings="见面台账有漏记",
        )
    assert api_client(cast, "h_office").get("/api/v1/supervision-visits").json()["count"] == 0
    assert api_client(cast, "office").get("/api/v1/supervision-visits").json()["count"] == 1


@pytest.mark.parametrize("username", ["village1", "dept1", "office"])
def test_the_notice_list_links_the_visits_only_for_their_readers(client_as, username):
    html = client_as(username).get("/supervision/").content.decode()
    assert ('href="/supervision/visits/"' in html) == (username == "office")
