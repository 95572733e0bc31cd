"""The screening API: every role against every write, scope, malformed input as Chinese 422s."""

import pytest

from xinfang.core.tests.test_api_input import api_client, assert_chinese_error
from xinfang.screening.models import Assessment, ScreeningItem, ScreeningRound, UnitReport

from .conftest import ID_A, at

ROUND = {"name": "第二季度集中排查", "start": "2026-05-04", "end": "2026-05-10", "due": "2026-05-10"}
ITEM = {
    "kind": "dispute",
    "title": "宅基地边界纠纷",
    "description": "两户因宅基地边界争执。",
    "risk_level": "medium",
}
HUGE = "99999999999999999999"


def make_round(cast):
    with at("2026-05-04 09:00"):
        response = api_client(cast, "office").post(
            "/api/v1/screening-rounds", ROUND, content_type="application/json"
        )
    assert response.status_code == 201, response.content
    return response.json()


def test_office_opens_a_round_and_lists_each_units_report(cast):
    body = make_round(cast)
    assert body["total"] == UnitReport.objects.filter(round_id=body["id"]).count() > 10
    # Opened on its first day: all to report, nothing missing yet.
    assert body["submitted"] == 0 and body["missing"] == [] and body["open"] is True
    with at("2026-05-08 10:00"):
        r = api_client(cast, "village1").post(
            f"/api/v1/screening-rounds/{body['id']}/reports", {"zero": True}, content_type="application/json"
        )
        assert r.status_code == 201, r.content
        assert r.json()["zero"] is True and r.json()["unit"] == cast["village1"].village.name
        r = api_client(cast, "grid1").post(
            f"/api/v1/screening-rounds/{body['id']}/reports",
            {"items": [{**ITEM, "person_name": "钱某某", "person_id_number": ID_A}]},
            content_type="application/json",
        )
        assert r.status_code == 201 and r.json()["item_count"] == 1
    with at("2026-05-11 09:00"):
        listed = api_client(cast, "office").get("/api/v1/screening-rounds").json()
    assert listed["count"] == 1
    rnd = listed["items"][0]
    assert rnd["submitted"] == 2 and rnd["zero"] == 1
    missing_units = {m["unit"] for m in rnd["missing"]}
    assert cast["village1"].village.name not in missing_units
    assert cast["village2"].village.name in missing_units
    assert len(rnd["missing"]) == rnd["total"] - 2


@pytest.mark.parametrize("username", ["leader1", "dept1", "village1", "grid1", "supervisor", "county"])
def test_only_the_office_opens_rounds(cast, username):
    assert_chinese_error(
        api_client(cast, username).post("/api/v1/screening-rounds", ROUND, content_type="application/json"),
        403,
    )
    assert not ScreeningRound.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"name": ""},
        {"name": "排" * 101},
        {"start": 20260504},
        {"start": "0001-01-01"},
        {"due": "2026-04-01"},
        {"kind": "weekly"},
        {"units": ["street"]},
        {"name": "排查\u0000"},
    ],
)
def test_malformed_rounds_are_chinese_422s(cast, change):
    assert_chinese_error(
        api_client(cast, "office").post(
            "/api/v1/screening-rounds", {**ROUND, **change}, content_type="application/json"
        ),
        422,
    )
    assert not ScreeningRound.objects.exists()


@pytest.mark.parametrize("username", ["office", "leader1", "supervisor", "county"])
def test_readers_do_not_report(cast, username):
    rnd = make_round(cast)
    assert_chinese_error(
        api_client(cast, username).post(
            f"/api/v1/screening-rounds/{rnd['id']}/reports", {"zero": True}, content_type="application/json"
        ),
        403,
    )
    assert not UnitReport.objects.exclude(submitted_at=None).exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"zero": "yes"},
        {"zero": True, "items": [ITEM]},
        {"items": [{**ITEM, "kind": "gossip"}]},
        {"items": [{**ITEM, "risk_level": "severe"}]},
        {"items": [{**ITEM, "persons_count": 0}]},
        {"items": [{**ITEM, "village": int(HUGE)}]},
        {"items": [{**ITEM, "person_name": "钱某", "person_id_number": "123"}]},
        {"items": [{**ITEM, "description": "x" * 2001}]},
    ],
)
def test_malformed_reports_are_chinese_422s(cast, body):
    rnd = make_round(cast)
    assert_chinese_error(
        api_client(cast, "village1").post(
            f"/api/v1/screening-rounds/{rnd['id']}/reports", body, content_type="application/json"
        ),
        422,
    )
    assert not ScreeningItem.objects.exists()
    assert not UnitReport.objects.exclude(submitted_at=None).exists()


def test_scope_of_rounds_items_and_other_towns(cast):
    rnd = make_round(cast)
    url = f"/api/v1/screening-rounds/{rnd['id']}/reports"
    api_client(cast, "village1").post(
        url,
        {"items": [{**ITEM, "person_name": "钱某某", "person_id_number": ID_A}]},
        content_type="application/json",
    )
    # village2 sees the round, but only its own village's reports, and none of village1's items.
    seen = api_client(cast, "village2").get(f"/api/v1/screening-rounds/{rnd['id']}").json()
    assert {r["village_id"] for r in seen["reports"]} == {cast["village2"].village_id}
    assert api_client(cast, "village2").get("/api/v1/screening-items").json()["count"] == 0
    # The grid worker sees only their grid's report.
    seen = api_client(cast, "grid1").get(f"/api/v1/screening-rounds/{rnd['id']}").json()
    assert [r["grid_id"] for r in seen["reports"]] == [cast["grid1"].grid_id]
    # Another town: the round does not exist.
    assert_chinese_error(api_client(cast, "h_office").get(f"/api/v1/screening-rounds/{rnd['id']}"), 404)
    assert api_client(cast, "h_office").get("/api/v1/screening-rounds").json()["count"] == 0
    assert_chinese_error(
        api_client(cast, "h_village").post(url, {"zero": True}, content_type="application/json"), 404
    )
    # The county reads across towns; the leader reads the ID number masked.
    assert api_client(cast, "county").get("/api/v1/screening-rounds").json()["count"] == 1
    item = api_client(cast, "leader1").get("/api/v1/screening-items").json()["items"][0]
    assert item["person_id_number"] != ID_A and item["person_id_number"].endswith(ID_A[-4:])
    assert (
        api_client(cast, "office").get("/api/v1/screening-items").json()["items"][0]["person_id_number"]
        == ID_A
    )
    for url in (f"/api/v1/screening-rounds/{HUGE}", f"/api/v1/screening-rounds?offset={HUGE}"):
        assert_chinese_error(api_client(cast, "office").get(url), 422)


def test_outcome_and_assessment_through_the_api(cast):
    rnd = make_round(cast)
    api_client(cast, "village1").post(
        f"/api/v1/screening-rounds/{rnd['id']}/reports",
        {"items": [{**ITEM, "person_name": "钱某某", "person_id_number": ID_A}]},
        content_type="application/json",
    )
    item = ScreeningItem.objects.get()
    for username in ("village1", "leader1", "supervisor", "dept1", "grid1", "county"):
        assert_chinese_error(
            api_client(cast, username).post(
                f"/api/v1/screening-items/{item.pk}/outcome",
                {"action": "close", "reason": "无"},
                content_type="application/json",
            ),
            403,
        )
    assert_chinese_error(
        api_client(cast, "h_office").post(
            f"/api/v1/screening-items/{item.pk}/outcome",
            {"action": "close", "reason": "无"},
            content_type="application/json",
        ),
        404,
    )
    stale = api_client(cast, "office").post(
        f"/api/v1/screening-items/{item.pk}/outcome",
        {"action": "case", "version": 9},
        content_type="application/json",
    )
    assert_chinese_error(stale, 409)
    done = api_client(cast, "office").post(
        f"/api/v1/screening-items/{item.pk}/outcome", {"action": "case"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["outcome"] == "case" and done.json()["case_number"]

    details = {"risk_level": "medium", "conclusion": "可控", "next_step": "入户", "participants": "村两委"}
    made = api_client(cast, "village1").post(
        "/api/v1/assessments", {**details, "item": item.pk}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["level"] == "village"
    aid = made.json()["id"]
    assert_chinese_error(
        api_client(cast, "dept1").post(
            f"/api/v1/assessments/{aid}/escalate", {"reason": "x"}, content_type="application/json"
        ),
        404,
    )
    up = api_client(cast, "village1").post(
        f"/api/v1/assessments/{aid}/escalate",
        {"reason": "需条线研判", "department": cast["dept1"].department_id},
        content_type="application/json",
    )
    assert up.status_code == 201 and up.json()["level"] == "line" and up.json()["status"] == "pending"
    done = api_client(cast, "dept1").post(
        f"/api/v1/assessments/{up.json()['id']}/complete", details, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert_chinese_error(
        api_client(cast, "village1").post(
            "/api/v1/assessments", {**details, "item": item.pk, "case": 1}, content_type="application/json"
        ),
        422,
    )
    assert Assessment.objects.count() == 2
    listed = api_client(cast, "village2").get("/api/v1/assessments").json()
    assert listed["count"] == 0
    missing = (
        api_client(cast, "village1").get("/api/v1/assessments/missing?start=2026-01-05&end=2026-01-11").json()
    )
    assert missing["count"] >= 1 and {m["village_id"] for m in missing["items"]} == {
        cast["village1"].village_id
    }
    assert_chinese_error(
        api_client(cast, "office").get("/api/v1/assessments/missing?start=2026-01-05&end=2024-01-11"), 422
    )
