"""Who sees and acts on which warning, through the API and the pages; the API's shape; the unread
badge on every page for one cheap query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinfang.alerts.models import Alert
from xinfang.warnings.engine import findings_store
from xinfang.warnings.models import Warning
from xinfang.warnings.registry import Finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def warnings(cast, fenjie, hetang):
    """A red warning about village1 (to office, village1, leader1), a yellow one about village2 (to
    office, village2), and one of the other town (to h_office)."""
    v1, v2 = cast["village1"].village, cast["village2"].village
    [red] = findings_store(
        fenjie,
        "group_forming",
        [Finding(subject="t:1", state="s", level="red", text="一村群体动向", village_id=v1.pk)],
    )
    [yellow] = findings_store(
        fenjie,
        "repeat_petition",
        [Finding(subject="t:2", state="s", level="yellow", text="二村重复信访", village_id=v2.pk)],
    )
    [other] = findings_store(hetang, "skip_level", [Finding(subject="t:3", state="s", text="荷塘越级")])
    return {"red": red, "yellow": yellow, "other": other}


def test_the_list_answers_the_callers_own_with_level_rule_object_created_at_read(client_as, warnings):
    body = client_as("office").get("/api/v1/warnings").json()
    assert body["count"] == 2 and len(body["items"]) == 2
    item = next(i for i in body["items"] if i["id"] == warnings["red"])
    assert item["level"] == "red" and item["rule"] == "group_forming" and item["rule_name"] == "群体动向预警"
    assert item["object"]["type"] == "village" and item["object"]["label"]
    assert item["read"] is False and item["status"] == "open" and item["created_at"]
    assert client_as("office").get("/api/v1/warnings?level=yellow").json()["count"] == 1
    assert client_as("office").get("/api/v1/warnings?rule=group_forming").json()["count"] == 1
    assert [i["id"] for i in client_as("village1").get("/api/v1/warnings").json()["items"]] == [
        warnings["red"]
    ]
    assert client_as("village2").get("/api/v1/warnings").json()["count"] == 1
    assert client_as("h_office").get("/api/v1/warnings").json()["count"] == 1
    bad = client_as("office").get("/api/v1/warnings?level=purple")
    assert bad.status_code == 422 and "level" in bad.content.decode()
    assert client_as("office").get("/api/v1/warnings?limit=100000").status_code == 422


def test_ack_marks_it_read_and_unread_filters_it_out(client_as, cast, warnings):
    office = client_as("office")
    assert office.get("/api/v1/warnings?unread=true").json()["count"] == 2
    r = office.post(f"/api/v1/warnings/{warnings['red']}/ack")
    assert r.status_code == 200 and r.json()["status"] == "acknowledged" and r.json()["read"] is True
    assert office.get("/api/v1/warnings?unread=true").json()["count"] == 1
    w = Warning.objects.get(pk=warnings["red"])
    assert w.acknowledged_by == cast["office"] and w.acknowledged_at
    # A second acknowledgement by another recipient keeps the first.
    assert client_as("village1").post(f"/api/v1/warnings/{w.pk}/ack").status_code == 200
    w.refresh_from_db()
    assert w.acknowledged_by == cast["office"]


def test_handle_records_who_when_and_what_once(client_as, cast, warnings):
    url = f"/api/v1/warnings/{warnings['red']}/handle"
    empty = client_as("village1").post(url, {"note": ""}, content_type="application/json")
    assert empty.status_code == 422
    huge = client_as("village1").post(url, {"note": "很" * 501}, content_type="application/json")
    assert huge.status_code == 422
    nul = client_as("village1").post(url, {"note": "已\x00处理"}, content_type="application/json")
    assert nul.status_code == 422
    ok = client_as("village1").post(
        url, {"note": "已上门了解情况，组织协调会"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "handled"
    w = Warning.objects.get(pk=warnings["red"])
    assert w.handled_by == cast["village1"] and w.acknowledged_by == cast["village1"]
    again = client_as("office").post(url, {"note": "再次处置"}, content_type="application/json")
    assert again.status_code == 409 and "已由" in again.json()["detail"]


def test_others_warnings_are_404_and_reading_without_receiving_is_403(client_as, warnings):
    red, yellow, other = warnings["red"], warnings["yellow"], warnings["other"]
    # Another village's warning and another town's: as if they did not exist.
    for who, pk in [
        ("village1", yellow),
        ("village2", red),
        ("grid1", yellow),
        ("office", other),
        ("h_office", red),
    ]:
        assert client_as(who).get(f"/api/v1/warnings/{pk}").status_code == 404, who
        assert client_as(who).post(f"/api/v1/warnings/{pk}/ack").status_code == 404, who
        assert client_as(who).get(f"/warnings/{pk}/").status_code == 404, who
        assert client_as(who).post(f"/warnings/{pk}/ack/").status_code == 404, who
    # A leader reads the town's board but acts only on what was sent to them.
    assert client_as("leader1").get(f"/api/v1/warnings/{yellow}").status_code == 200
    refused = client_as("leader1").post(f"/api/v1/warnings/{yellow}/ack")
    assert refused.status_code == 403 and "接收人或联席办" in refused.json()["detail"]
    assert client_as("supervisor").post(f"/warnings/{yellow}/handle/", {"note": "x"}).status_code == 403
    # The administrators have no inbox and no board.
    assert client_as("sysadmin").get("/warnings/").status_code == 403
    assert client_as("sysadmin").get("/api/v1/warnings").json()["count"] == 0


def test_the_board_shows_the_town_to_the_office_and_only_their_own_to_a_village(client_as, warnings):
    office = client_as("office").get("/warnings/").content.decode()
    assert "一村群体动向" in office and "二村重复信访" in office and "荷塘越级" not in office
    village = client_as("village2").get("/warnings/").content.decode()
    assert "二村重复信访" in village and "一村群体动向" not in village
    red_only = client_as("office").get("/warnings/?level=red").content.decode()
    assert "一村群体动向" in red_only and "二村重复信访" not in red_only
    handled = client_as("office").get("/warnings/?status=handled").content.decode()
    assert "一村群体动向" not in handled


def test_the_detail_page_acknowledges_and_keeps_the_note_on_an_error(client_as, warnings):
    village1 = client_as("village1")
    page = village1.get(f"/warnings/{warnings['red']}/").content.decode()
    assert "签收" in page and "记录处置" in page and "一村群体动向" in page
    assert village1.post(f"/warnings/{warnings['red']}/ack/").status_code == 302
    too_long = "写得太长" * 200
    r = village1.post(f"/warnings/{warnings['red']}/handle/", {"note": too_long})
    assert r.status_code == 422 and "不能超过 500 字" in r.content.decode() and too_long in r.content.decode()
    r = village1.post(f"/warnings/{warnings['red']}/handle/", {"note": "已组织协调"}, follow=True)
    assert "已记录处置情况" in r.content.decode() and "已组织协调" in r.content.decode()


def test_the_inbox_filters_by_level_kind_and_unread_and_opens_the_warning(client_as, cast, warnings):
    office = client_as("office")
    page = office.get("/alerts/?level=red").content.decode()
    assert "一村群体动向" in page and "二村重复信访" not in page
    page = office.get("/alerts/?kind=repeat_petition").content.decode()
    assert "二村重复信访" in page and "一村群体动向" not in page
    alert = Alert.objects.get(warning_id=warnings["yellow"], recipient=cast["office"])
    r = office.post(f"/alerts/{alert.pk}/open/")
    assert r.status_code == 302 and r["Location"] == f"/warnings/{warnings['yellow']}/"
    page = office.get("/alerts/?unread=1").content.decode()
    assert "二村重复信访" not in page and "一村群体动向" in page


def test_the_unread_badge_is_on_every_page_for_one_query(client_as, warnings):
    office = client_as("office")
    for url in ["/", "/cases/", "/stability/key-persons/", "/warnings/"]:
        assert 'data-unread="2"' in office.get(url).content.decode(), url
    with CaptureQueriesContext(connection) as queries:
        office.get("/")
    counts = [q["sql"] for q in queries.captured_queries if "alerts_alert" in q["sql"]]
    assert len(counts) == 1 and "COUNT" in counts[0].upper()
    assert 'data-unread="' not in client_as("supervisor").get("/").content.decode()
