"""Who sees which key person: the office, leaders and supervision all; a village its own; the grid
worker theirs; a department none unless linked by a case it handles; nobody of another town."""

import pytest
from django.test import Client

from xinfang.cases.models import Case
from xinfang.cases.testing import accept_and_assign
from xinfang.stability.models import FollowUp
from xinfang.stability.services import contact_log, period_create, watch_sync

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, make_key_person):
    with at("2026-05-04 09:00"):
        own = make_key_person("本村重点某")  # village1, kept by grid1, linked to a case in dept1's line
        unkept = make_key_person("本村未包保某", with_keepers=False, case=False)  # village1, no grid worker
        other = make_key_person("外村重点某", village_of="village2", with_keepers=False, case=False)
        contact_log(
            key_person_id=own.pk, acting_user=cast["grid1"], way="in_person", found="home", place="家中"
        )
        period = period_create(
            acting_user=cast["office"],
            name="测试保障期",
            start="2026-05-04",
            end="2026-05-06",
            level="county",
        )
    return {"own": own, "unkept": unkept, "other": other, "period": period}


def _names(client, path):
    return {row["name"] for row in client.get(path).json()["items"]}


SEES = {
    "office": {"本村重点某", "本村未包保某", "外村重点某"},
    "leader1": {"本村重点某", "本村未包保某", "外村重点某"},
    "supervisor": {"本村重点某", "本村未包保某", "外村重点某"},
    "county": {"本村重点某", "本村未包保某", "外村重点某"},
    "village1": {"本村重点某", "本村未包保某"},
    "village2": {"外村重点某"},
    "grid1": {"本村重点某"},  # theirs only, not every key person of the village
    "dept1": {"本村重点某"},  # linked by a case in its line
    "h_office": set(),
    "h_village": set(),
    "sysadmin": set(),
    "auditadmin": set(),
}


@pytest.mark.parametrize("username", sorted(SEES))
def test_each_reader_sees_exactly_their_key_persons_in_the_api_and_the_pages(cast, world, username):
    client = Client()
    client.force_login(cast[username])
    with at("2026-05-04 10:00"):
        if username in ("sysadmin", "auditadmin"):
            assert client.get("/api/v1/key-persons").json()["count"] == 0
            assert client.get("/stability/key-persons/").status_code == 403
        else:
            assert _names(client, "/api/v1/key-persons?status=") == SEES[username]
            page = client.get("/stability/key-persons/?status=").content.decode()
            for name in {"本村重点某", "本村未包保某", "外村重点某"}:
                assert (name in page) == (name in SEES[username]), name
        for key in ("own", "unkept", "other"):
            kp = world[key]
            visible = kp.petitioner.name in SEES[username]
            expected = 200 if visible else 404
            assert client.get(f"/api/v1/key-persons/{kp.pk}").status_code == expected
            detail = client.get(f"/stability/key-persons/{kp.pk}/").status_code
            assert detail == (expected if username not in ("sysadmin", "auditadmin") else 403)
        board = client.get(f"/api/v1/protection-periods/{world['period'].pk}/board")
        if username.startswith("h_") or username in ("sysadmin", "auditadmin"):
            assert board.status_code == 404
        else:
            assert {r["key_person"]["name"] for r in board.json()["rows"]} == SEES[username]


def test_a_department_sees_none_unless_linked_by_a_case_it_handles(cast, make_key_person):
    with at("2026-05-04 09:00"):
        make_key_person("无事项某", case=False)
    dept = Client()
    dept.force_login(cast["dept1"])
    assert dept.get("/api/v1/key-persons?status=").json()["count"] == 0


def test_the_id_number_is_masked_and_the_search_takes_a_full_number(cast, make_key_person):
    with at("2026-05-04 09:00"):
        kp = make_key_person("查询某", id_number="110101199003074776")
    office = Client()
    office.force_login(cast["office"])
    found = office.get("/api/v1/petitioners?q=110101199003074776").json()
    assert found["count"] == 1 and found["items"][0]["id_number"] == "110101********4776"
    assert found["items"][0]["key_person"] == kp.pk
    assert office.get("/api/v1/petitioners?q=1101011990").json()["count"] == 0  # no guessing by prefix
    page = office.get(f"/stability/key-persons/{kp.pk}/").content.decode()
    assert "110101199003074776" not in page and "110101********4776" in page
    case = office.get(f"/api/v1/cases/{kp.case_id}").json()
    assert case["petitions"][0]["petitioner"] == kp.petitioner_id


def test_another_village_cannot_log_a_contact_or_a_follow_up(cast, world):
    other = Client()
    other.force_login(cast["village2"])
    body = {"way": "phone", "status": "home"}
    response = other.post(
        f"/api/v1/key-persons/{world['own'].pk}/contacts", body, content_type="application/json"
    )
    assert response.status_code == 404
    assert other.get(f"/stability/key-persons/{world['own'].pk}/contact/").status_code == 404
    with at("2026-03-02 09:00"):
        from .conftest import register

        case = register(cast, name="回访某").case
        accept_and_assign(cast, case, override_reason="由联系该村的领导包案")
    Case.objects.filter(pk=case.pk).update(resolution="resolved", resolved_on="2026-04-01")
    watch_sync()
    follow_up = FollowUp.objects.get(watch__case=case, seq=1)
    response = other.post(
        f"/api/v1/follow-ups/{follow_up.pk}",
        {"state": "stable", "note": "稳定"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert other.get("/api/v1/follow-ups").json()["count"] == 0
    own = Client()
    own.force_login(cast["village1"])
    assert own.get("/api/v1/follow-ups").json()["count"] == 6
