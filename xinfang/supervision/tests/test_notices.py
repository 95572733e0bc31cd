"""督办单: who may issue, read, reply and close, what bad input gets, and the Word file."""

import datetime as dt
import io

import pytest
from docx import Document

from xinfang.audit.models import AuditEvent
from xinfang.core.tests.test_api_input import api_client, assert_chinese_error
from xinfang.supervision.models import SupervisionNotice, SupervisionReply

from .conftest import at

pytestmark = pytest.mark.django_db

ROLES = [
    "office",
    "leader1",
    "dept1",
    "village1",
    "village2",
    "grid1",
    "supervisor",
    "county",
    "sysadmin",
    "secadmin",
    "auditadmin",
    "h_office",
    "h_village",
]


def _body(cast, the_case, **over):
    return {
        "unit_kind": "village",
        "unit": cast["village1"].village_id,
        "subject": "case",
        "case": the_case.pk,
        "theme": "化稳方案未按节点推进",
        "requirements": "请于期限内报告化解进展。",
        "reply_due": "2026-11-27",
        **over,
    }


@pytest.mark.parametrize("username", ROLES)
def test_only_the_supervision_team_issues_a_notice(cast, case, username):
    with at("2026-11-20 10:00"):
        response = api_client(cast, username).post(
            "/api/v1/supervision-notices", _body(cast, case), content_type="application/json"
        )
    if username == "supervisor":
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["number"] == "分督〔2026〕1号"
        assert body["status"] == "issued" and body["unit_name"] == cast["village1"].village.name
        assert AuditEvent.objects.filter(detail__startswith="下发督办单").count() == 1
    else:
        assert_chinese_error(response, 403)
        assert not SupervisionNotice.objects.exists()


@pytest.mark.parametrize("username", ROLES)
def test_the_new_notice_page_is_the_teams_only(client_as, username):
    response = client_as(username).get("/supervision/new/")
    assert response.status_code == (200 if username == "supervisor" else 403)


# who reads a notice to village1's village: 200 in the list and on its page, 404 otherwise
READS_VILLAGE_NOTICE = {"office", "leader1", "village1", "supervisor", "county"}
# the pages refuse a role that reads no notice at all (403), and hide one it may not see (404)
PAGE_ROLES = {
    "office",
    "leader1",
    "dept1",
    "village1",
    "village2",
    "supervisor",
    "county",
    "h_office",
    "h_village",
}


@pytest.mark.parametrize("username", ROLES)
def test_a_notice_is_seen_by_the_town_readers_and_the_unit_addressed_only(cast, client_as, issue, username):
    notice = issue()
    with at("2026-11-20 10:00"):
        listed = api_client(cast, username).get("/api/v1/supervision-notices")
        one = api_client(cast, username).get(f"/api/v1/supervision-notices/{notice.pk}")
        page = client_as(username).get(f"/supervision/{notice.pk}/")
        word = client_as(username).get(f"/supervision/{notice.pk}/document.docx")
    sees = username in READS_VILLAGE_NOTICE
    assert listed.status_code == 200
    assert listed.json()["count"] == (1 if sees else 0)
    assert one.status_code == (200 if sees else 404)
    expected_page = 200 if sees else (404 if username in PAGE_ROLES else 403)
    assert page.status_code == expected_page
    assert word.status_code == expected_page


def test_a_department_sees_the_notices_to_it_and_not_those_to_a_village(cast, issue):
    to_village, to_dept = issue(), issue(unit="dept1")
    ids = {n["id"] for n in api_client(cast, "dept1").get("/api/v1/supervision-notices").json()["items"]}
    assert ids == {to_dept.pk}
    ids = {n["id"] for n in api_client(cast, "village1").get("/api/v1/supervision-notices").json()["items"]}
    assert ids == {to_village.pk}


@pytest.mark.parametrize(
    "username", ["office", "leader1", "dept1", "village2", "grid1", "supervisor", "county"]
)
def test_only_the_unit_addressed_replies(cast, issue, username):
    notice = issue()
    with at("2026-11-05 10:00"):
        response = api_client(cast, username).post(
            f"/api/v1/supervision-notices/{notice.pk}/replies",
            {"text": "已落实"},
            content_type="application/json",
        )
    # out of scope: 404; in scope but not the unit: 403
    assert_chinese_error(response, 404 if username in ("dept1", "village2", "grid1") else 403)
    assert not SupervisionReply.objects.exists()


def test_the_village_replies_on_time_then_the_team_closes(cast, issue):
    notice = issue()
    with at("2026-11-05 10:00"):
        response = api_client(cast, "village1").post(
            f"/api/v1/supervision-notices/{notice.pk}/replies",
            {"text": "已召开专班会议，方案节点已调整。"},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "replied" and body["replies"][0]["late"] is False
    for username in ("office", "village1", "leader1"):
        refused = api_client(cast, username).post(
            f"/api/v1/supervision-notices/{notice.pk}/close",
            {"note": "同意"},
            content_type="application/json",
        )
        assert_chinese_error(refused, 403)
    stale = api_client(cast, "supervisor").post(
        f"/api/v1/supervision-notices/{notice.pk}/close",
        {"note": "同意办结", "version": 1},
        content_type="application/json",
    )
    assert_chinese_error(stale, 409)  # a reply came after the version the closer saw
    done = api_client(cast, "supervisor").post(
        f"/api/v1/supervision-notices/{notice.pk}/close",
        {"note": "同意办结", "version": body["version"]},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "closed"
    again = api_client(cast, "village1").post(
        f"/api/v1/supervision-notices/{notice.pk}/replies", {"text": "补充"}, content_type="application/json"
    )
    assert_chinese_error(again, 409)


def test_an_issued_notice_past_its_deadline_is_listed_overdue(cast, issue):
    late, on_time = issue(due=dt.date(2026, 11, 9)), issue(due=dt.date(2026, 11, 30))
    with at("2026-11-10 09:00"):
        overdue = api_client(cast, "office").get("/api/v1/supervision-notices?status=overdue").json()
        issued = api_client(cast, "office").get("/api/v1/supervision-notices?status=issued").json()
    assert [n["id"] for n in overdue["items"]] == [late.pk]
    assert overdue["items"][0]["days_overdue"] == 1
    assert [n["id"] for n in issued["items"]] == [on_time.pk]


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"reply_due": "2026-11-19"}, "reply_due"),
        ({"reply_due": "2027-06-01"}, "reply_due"),
        ({"reply_due": 20261127}, "reply_due"),
        ({"theme": "督" * 201}, "theme"),
        ({"theme": "   "}, "theme"),
        ({"requirements": "请\x00回复"}, "requirements"),
        ({"unit_kind": "grid"}, "unit_kind"),
        ({"unit": 99999999999999999999}, "unit"),
        ({"subject": "key_person", "case": None}, "key_person"),
        ({"subject": "mood"}, "subject"),
    ],
)
def test_bad_input_is_a_chinese_422_and_nothing_is_issued(cast, case, over, field):
    with at("2026-11-20 10:00"):
        response = api_client(cast, "supervisor").post(
            "/api/v1/supervision-notices", _body(cast, case, **over), content_type="application/json"
        )
    body = assert_chinese_error(response, 422)
    assert field in {e["field"].split(".")[-1] for e in body["errors"]}, body
    assert not SupervisionNotice.objects.exists()


def test_a_unit_or_case_of_another_town_is_refused(cast, hetang, case):
    other_village = hetang.villages.first()
    with at("2026-11-20 10:00"):
        response = api_client(cast, "supervisor").post(
            "/api/v1/supervision-notices",
            _body(cast, case, unit=other_village.pk),
            content_type="application/json",
        )
    assert assert_chinese_error(response, 422)["errors"][0]["field"] == "unit"


def test_a_bad_status_filter_is_refused(cast):
    assert_chinese_error(api_client(cast, "office").get("/api/v1/supervision-notices?status=late"), 422)


def test_the_page_keeps_what_was_typed_when_refused(cast, client_as, case):
    with at("2026-11-20 10:00"):
        response = client_as("supervisor").post(
            "/supervision/new/",
            {
                "unit_kind": "village",
                "village": cast["village1"].village_id,
                "subject": "case",
                "case": case.number,
                "theme": "方案未推进",
                "requirements": "请报告进展，说明原因。",
                "reply_due": "2026-01-01",
            },
        )
    assert response.status_code == 422
    html = response.content.decode()
    assert "回复期限不能早于今天" in html
    assert "请报告进展，说明原因。" in html and case.number in html
    assert not SupervisionNotice.objects.exists()


def test_the_page_issues_by_case_number_and_the_village_replies_on_the_page(cast, client_as, case):
    with at("2026-11-20 10:00"):
        response = client_as("supervisor").post(
            "/supervision/new/",
            {
                "unit_kind": "village",
                "village": cast["village1"].village_id,
                "subject": "case",
                "case": case.number,
                "theme": "方案未推进",
                "requirements": "请报告进展。",
                "reply_due": "2026-11-25",
            },
        )
        notice = SupervisionNotice.objects.get()
        assert response.status_code == 302 and notice.case == case
        refused = client_as("village2").post(f"/supervision/{notice.pk}/reply/", {"text": "越权回复"})
        assert refused.status_code == 404
        forbidden = client_as("office").post(f"/supervision/{notice.pk}/reply/", {"text": "代为回复"})
        assert forbidden.status_code == 403
        empty = client_as("village1").post(f"/supervision/{notice.pk}/reply/", {"text": "  "})
        assert empty.status_code == 302 and not SupervisionReply.objects.exists()
        client_as("village1").post(f"/supervision/{notice.pk}/reply/", {"text": "已召开专班会议。"})
        page = client_as("office").get(f"/supervision/{notice.pk}/").content.decode()
    assert "已召开专班会议。" in page and "已回复" in page


def test_the_word_notice_says_what_the_page_says(cast, client_as, issue, case):
    notice = issue()
    with at("2026-11-05 10:00"):
        api_client(cast, "village1").post(
            f"/api/v1/supervision-notices/{notice.pk}/replies",
            {"text": "已召开专班会议，方案节点已调整"},
            content_type="application/json",
        )
        response = client_as("office").get(f"/supervision/{notice.pk}/document.docx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    text = [p.text for p in doc.paragraphs if p.text.strip()]
    assert text[0] == "信访工作督办单"
    assert text[1] == "分督〔2026〕1号"
    assert text[2] == f"{cast['village1'].village.name}："
    body = "\n".join(text)
    assert "一、督办事项：化稳方案未按节点推进。" in body
    assert f"二、相关信访事项：{case.number}" in body
    assert "请于2026年11月9日前在信访工作平台书面回复" in body
    assert "2026年11月2日" in body  # issued
    assert "已召开专班会议，方案节点已调整。" in body
    assert AuditEvent.objects.filter(detail="下载督办单").count() == 1
