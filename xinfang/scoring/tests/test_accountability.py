"""问责记录: only the supervision team records; the office, the leaders, the team and the county read;
each record is audited; bad input is a Chinese 422 and the page keeps what was typed."""

import pytest

from xinfang.audit.models import AuditEvent
from xinfang.core.tests.test_api_input import api_client, assert_chinese_error
from xinfang.scoring.models import Accountability

from .conftest import at, register

pytestmark = pytest.mark.django_db

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
    "h_office",
]
READERS = {"office", "leader1", "supervisor", "county", "h_office"}


@pytest.fixture
def case(cast):
    with at("2026-11-02 09:00"):
        return register(cast, name="陈某某").case


def _body(cast, the_case, **over):
    return {
        "unit_kind": "village",
        "unit": cast["village1"].village_id,
        "person_name": "王某",
        "person_title": "村党组织书记",
        "reason": "督办单逾期未回复，积案化解不力。",
        "measure": "talk",
        "day": "2026-11-19",
        "cases": [the_case.pk],
        **over,
    }


@pytest.mark.parametrize("username", ROLES)
def test_only_the_team_records_accountability(cast, case, username):
    with at("2026-11-20 10:00"):
        response = api_client(cast, username).post(
            "/api/v1/accountability", _body(cast, case), content_type="application/json"
        )
    if username == "supervisor":
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["measure_label"] == "约谈" and body["cases"] == [case.pk]
        assert AuditEvent.objects.filter(detail="记录问责（约谈）").count() == 1
    else:
        assert_chinese_error(response, 403)
        assert not Accountability.objects.exists()


@pytest.mark.parametrize("username", ROLES)
def test_records_are_read_by_the_town_readers_only(cast, client_as, case, username):
    with at("2026-11-20 10:00"):
        api_client(cast, "supervisor").post(
            "/api/v1/accountability", _body(cast, case), content_type="application/json"
        )
    listed = api_client(cast, username).get("/api/v1/accountability")
    page = client_as(username).get("/scoring/accountability/")
    assert page.status_code == (200 if username in READERS else 403)
    sees = username in READERS and username != "h_office"
    assert listed.status_code == 200 and listed.json()["count"] == (1 if sees else 0)
    if username in READERS:
        assert ("王某" in page.content.decode()) == sees


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"measure": "fine"}, "measure"),
        ({"person_name": ""}, "person_name"),
        ({"person_name": "王" * 41}, "person_name"),
        ({"reason": "事由\x07"}, "reason"),
        ({"day": "2027-01-01"}, "day"),
        ({"day": "2026-02-30"}, "day"),
        ({"unit_kind": "town"}, "unit_kind"),
        ({"cases": [99999]}, "cases"),
    ],
)
def test_bad_input_is_refused_in_chinese(cast, case, over, field):
    with at("2026-11-20 10:00"):
        response = api_client(cast, "supervisor").post(
            "/api/v1/accountability", _body(cast, case, **over), content_type="application/json"
        )
    body = assert_chinese_error(response, 422)
    assert field in {e["field"].split(".")[-1] for e in body["errors"]}, body
    assert not Accountability.objects.exists()


def test_a_case_of_another_town_cannot_be_linked(cast, case, hetang):
    from xinfang.cases.models import Case

    Case.objects.filter(pk=case.pk).update(town=hetang)
    with at("2026-11-20 10:00"):
        response = api_client(cast, "supervisor").post(
            "/api/v1/accountability", _body(cast, case), content_type="application/json"
        )
    assert assert_chinese_error(response, 422)["errors"][0]["field"] == "cases"


def test_the_page_records_by_case_number_and_keeps_the_text_when_refused(cast, client_as, case):
    form = {
        "unit_kind": "village",
        "village": cast["village1"].village_id,
        "person_name": "王某",
        "measure": "criticism",
        "day": "2026-11-19",
        "cases": f"{case.number}\n分信〔2026〕9999号",
        "reason": "积案化解不力，情况说明不实。",
    }
    with at("2026-11-20 10:00"):
        refused = client_as("supervisor").post("/scoring/accountability/", form)
        assert refused.status_code == 422
        html = refused.content.decode()
        assert "相关信访事项中有本镇没有的" in html and "积案化解不力，情况说明不实。" in html
        form["cases"] = case.number
        done = client_as("supervisor").post("/scoring/accountability/", form)
    assert done.status_code == 302
    record = Accountability.objects.get()
    assert list(record.cases.all()) == [case] and record.get_measure_display() == "通报批评"
    assert client_as("office").post("/scoring/accountability/", form).status_code == 403
