"""Whatever a client sends, the API answers in Chinese JSON with the status the OpenAPI document names:
out-of-range numbers and dates, wrong types, control characters, bodies that are not JSON, too large
or not UTF-8, no credentials, and an unexpected failure (500 with a request id)."""

import datetime as dt
import json
import logging
import re

import pytest
import time_machine
from django.test import Client

from xinfang.accounts.models import ApiToken
from xinfang.cases.models import Case, Petitioner
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
HUGE = "99999999999999999999"  # beyond any 64-bit integer
CJK = re.compile(r"[\u4e00-\u9fff]")
# Words of the English messages django-ninja, pydantic and Django would show.
ENGLISH = re.compile(
    r"\b(Input|should|valid|Value|error|Field|required|Cannot|parse|Expecting|Bad Request)\b"
)


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=SHANGHAI), tick=False):
        yield


def api_client(cast, username: str) -> Client:
    """A client calling as an integration does: a bearer token, no session, CSRF enforced."""
    _, raw = ApiToken.issue(user=cast[username], name="测试")
    return Client(
        enforce_csrf_checks=True, raise_request_exception=False, headers={"Authorization": f"Bearer {raw}"}
    )


def assert_chinese_error(response, status: int):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert CJK.search(body["detail"]) and not ENGLISH.search(body["detail"]), body
    for error in body.get("errors", []):
        assert CJK.search(error["message"]) and not ENGLISH.search(error["message"]), body
    return body


def petition_body(cast, **over):
    data = {
        "channel": "visit",
        "received_at": "2026-11-20T09:30:00+08:00",
        "petitioner": {"name": "孙某某", "phone": "13912345678", "village": cast["village1"].village_id},
        "title": "宅基地边界纠纷",
        "content": "与邻居就宅基地边界发生纠纷。",
    }
    for key, value in over.items():
        if key.startswith("petitioner__"):
            data["petitioner"][key.removeprefix("petitioner__")] = value
        else:
            data[key] = value
    return data


def post_json(client, path, data, method="post"):
    return getattr(client, method)(path, json.dumps(data), content_type="application/json")


@pytest.fixture
def case(cast):
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=dt.datetime(2026, 11, 2, 9, tzinfo=SHANGHAI),
            petitioner=PetitionerIn(name="李某某", village=cast["village1"].village),
            title="土地流转费拖欠",
            content="土地流转费两年未付。",
        ),
        acting_user=cast["office"],
    ).case


# --- item 3: numbers and dates out of range ---------------------------------------------------------


@pytest.mark.parametrize(
    "query, field",
    [
        (f"village={HUGE}", "village"),
        (f"owner={HUGE}", "owner"),
        (f"category={HUGE}", "category"),
        (f"offset={HUGE}", "offset"),
        ("offset=-1", "offset"),
        ("limit=100000", "limit"),
        ("village=abc", "village"),
        ("q=%00", "q"),
    ],
)
def test_it_refuses_out_of_range_ledger_filters_with_422(cast, query, field):
    body = assert_chinese_error(api_client(cast, "office").get(f"/api/v1/cases?{query}"), 422)
    assert [e["field"] for e in body["errors"]] == [field]


def test_it_refuses_a_huge_notice_offset_with_422(cast):
    body = assert_chinese_error(api_client(cast, "village1").get(f"/api/v1/notices?offset={HUGE}"), 422)
    assert body["errors"][0]["field"] == "offset"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/cases/{HUGE}",
        f"/api/v1/cases/{HUGE}/plan",
        f"/api/v1/cases/{HUGE}/reliefs",
        f"/api/v1/cases/{HUGE}/attachments",
        f"/api/v1/attachments/{HUGE}/content",
        f"/api/v1/config/villages/{HUGE}",
    ],
)
def test_it_refuses_an_id_no_row_can_have(cast, path):
    assert_chinese_error(api_client(cast, "office").get(path), 422)


def test_it_refuses_a_task_force_member_beyond_64_bits(cast, case):
    client = api_client(cast, "office")
    response = post_json(
        client,
        f"/api/v1/cases/{case.pk}/task-force",
        {"members": [{"person": int(HUGE), "is_leader": True}]},
        "put",
    )
    body = assert_chinese_error(response, 422)
    assert body["errors"][0]["field"] == "members.0.person"


@pytest.mark.parametrize("amount", [1e300, "1e30", "1E+400"])
def test_it_refuses_an_amount_beyond_the_column(cast, case, amount):
    response = post_json(
        api_client(cast, "office"),
        f"/api/v1/cases/{case.pk}/reliefs",
        {"kind": "temporary", "amount": amount, "given_on": "2026-11-10", "approved_by": "镇长"},
    )
    body = assert_chinese_error(response, 422)
    assert body["errors"] == [
        {"field": "amount", "message": "救助金额过大，最多 9,999,999,999.99 元，请核对。"}
    ]


@pytest.mark.parametrize(
    "received_at, fragment",
    [
        ("0001-01-01T00:00:00+08:00", "不能早于 2000-01-01"),
        ("0001-01-01T00:00:00+14:00", "不能早于 2000-01-01"),
        ("1900-01-01T00:00:00+08:00", "不能早于 2000-01-01"),
        ("9999-12-31T23:59:59+08:00", "不能晚于现在"),
        (12345, "不能是数字"),
        (1.5e9, "不能是数字"),
    ],
)
def test_it_refuses_a_received_time_out_of_range_or_as_a_number(cast, received_at, fragment):
    before = Case.objects.count()
    response = post_json(
        api_client(cast, "office"), "/api/v1/petitions", petition_body(cast, received_at=received_at)
    )
    body = assert_chinese_error(response, 422)
    assert body["errors"][0]["field"] == "received_at" and fragment in body["errors"][0]["message"]
    assert Case.objects.count() == before


@pytest.mark.parametrize(
    "over, field",
    [
        ({"petitioner__village": int(HUGE)}, "petitioner.village"),
        ({"petitioner__village": 0}, "petitioner.village"),
        ({"category": int(HUGE)}, "category"),
        ({"category": ["农业农村类"]}, "category"),
        ({"case": int(HUGE)}, "case"),
    ],
)
def test_it_refuses_an_id_or_name_that_can_name_nothing(cast, over, field):
    response = post_json(api_client(cast, "office"), "/api/v1/petitions", petition_body(cast, **over))
    assert [e["field"] for e in assert_chinese_error(response, 422)["errors"]] == [field]


@pytest.mark.parametrize("over", [{"given_on": 0}, {"given_on": 20261110}, {"amount": [1]}, {"amount": True}])
def test_it_refuses_a_relief_date_or_amount_of_the_wrong_type(cast, case, over):
    body = {"kind": "temporary", "amount": "100", "given_on": "2026-11-10", "approved_by": "镇长", **over}
    response = post_json(api_client(cast, "office"), f"/api/v1/cases/{case.pk}/reliefs", body)
    assert [e["field"] for e in assert_chinese_error(response, 422)["errors"]] == list(over)


def test_it_refuses_a_persons_count_beyond_the_limit(cast):
    response = post_json(
        api_client(cast, "office"), "/api/v1/petitions", petition_body(cast, persons_count=10**30)
    )
    assert assert_chinese_error(response, 422)["errors"][0]["field"] == "persons_count"


@pytest.mark.parametrize("day", ["0001-01-01", "2100-01-01", 20261120])
def test_it_refuses_an_action_date_out_of_range(cast, case, day):
    response = post_json(api_client(cast, "office"), f"/api/v1/cases/{case.pk}/actions/accept", {"on": day})
    assert assert_chinese_error(response, 422)["errors"][0]["field"] == "on"


# --- item 8: types, text and phones ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["yes", 1, "true", None])
def test_it_refuses_a_flag_that_is_not_true_or_false(cast, value):
    response = post_json(
        api_client(cast, "office"), "/api/v1/petitions", petition_body(cast, has_threat=value)
    )
    body = assert_chinese_error(response, 422)
    assert body["errors"][0] == {"field": "has_threat", "message": "应为 true 或 false"}


def test_it_stores_a_real_boolean_flag(cast):
    response = post_json(
        api_client(cast, "office"), "/api/v1/petitions", petition_body(cast, has_threat=True)
    )
    assert response.status_code == 201 and response.json()["case"]["has_threat"] is True


@pytest.mark.parametrize(
    "over, field",
    [
        ({"title": "宅基地\x00纠纷"}, "title"),
        ({"content": "内容\x1b[31m"}, "content"),
        ({"petitioner__name": "孙\x07某某"}, "petitioner.name"),
        ({"petitioner__address": "三组\x7f"}, "petitioner.address"),
    ],
)
def test_it_refuses_control_characters_in_text(cast, over, field):
    before = Case.objects.count()
    response = post_json(api_client(cast, "office"), "/api/v1/petitions", petition_body(cast, **over))
    body = assert_chinese_error(response, 422)
    assert body["errors"][0]["field"] == field and "控制字符" in body["errors"][0]["message"]
    assert Case.objects.count() == before


def test_it_keeps_line_breaks_and_tabs_in_long_text(cast):
    response = post_json(
        api_client(cast, "office"), "/api/v1/petitions", petition_body(cast, content="第一段\r\n\t第二段")
    )
    assert response.status_code == 201, response.json()


def test_it_refuses_content_beyond_twenty_thousand_characters(cast):
    response = post_json(
        api_client(cast, "office"), "/api/v1/petitions", petition_body(cast, content="字" * 20001)
    )
    body = assert_chinese_error(response, 422)
    assert body["errors"] == [{"field": "content", "message": "太长了，最多 20000 个字"}]
    ok = post_json(api_client(cast, "office"), "/api/v1/petitions", petition_body(cast, content="字" * 20000))
    assert ok.status_code == 201


@pytest.mark.parametrize(
    "phone", ["abc<>\"'", "12345", "1391234567", "23912345678", "0523-123", "139123456789"]
)
def test_it_refuses_a_phone_that_is_no_phone_number(cast, phone):
    response = post_json(
        api_client(cast, "office"), "/api/v1/petitions", petition_body(cast, petitioner__phone=phone)
    )
    body = assert_chinese_error(response, 422)
    assert (
        body["errors"][0]["field"] == "petitioner.phone"
        and "电话号码格式不正确" in body["errors"][0]["message"]
    )


@pytest.mark.parametrize(
    "phone",
    ["13912345678", "139 1234 5678", "+8613912345678", "0523-12345678", "052312345678", "010-1234567", ""],
)
def test_it_accepts_mobile_and_landline_numbers(cast, phone):
    response = post_json(
        api_client(cast, "office"),
        "/api/v1/petitions",
        petition_body(cast, petitioner__phone=phone, petitioner__name=f"电话{len(phone)}"),
    )
    assert response.status_code == 201, response.json()
    assert Petitioner.objects.filter(phone=phone).exists()


# --- item 8: bodies that are not JSON, too large, not UTF-8 -----------------------------------------


def test_it_answers_415_to_a_body_that_is_not_declared_json(cast):
    client = api_client(cast, "office")
    response = client.post("/api/v1/petitions", json.dumps(petition_body(cast)), content_type="text/plain")
    body = assert_chinese_error(response, 415)
    assert "application/json" in body["detail"] and "text/plain" in body["detail"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "raw, fragment",
    [
        (b'{"channel": "visit",', "不是合法的 JSON"),
        (b'{"title": NaN}', "不是合法的 JSON"),
        (b'{"title": "\xff\xfe"}', "不是 UTF-8"),
    ],
)
def test_it_answers_400_in_chinese_to_a_body_it_cannot_read(cast, raw, fragment):
    response = api_client(cast, "office").post("/api/v1/petitions", raw, content_type="application/json")
    assert fragment in assert_chinese_error(response, 400)["detail"]


def test_it_answers_413_in_chinese_to_a_body_too_large(cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    raw = json.dumps(petition_body(cast, content="x" * (2 * 1024 * 1024))).encode()
    response = api_client(cast, "office").post("/api/v1/petitions", raw, content_type="application/json")
    assert "请求体过大" in assert_chinese_error(response, 413)["detail"]


def test_it_refuses_a_lone_surrogate_in_chinese(cast):
    raw = json.dumps(petition_body(cast, title="\ud800")).encode()  # json.dumps escapes it as \ud800
    response = api_client(cast, "office").post("/api/v1/petitions", raw, content_type="application/json")
    body = assert_chinese_error(response, 422)
    assert body["errors"][0]["field"] == "title" and "无法识别的字符" in body["errors"][0]["message"]


# --- item 8: credentials ---------------------------------------------------------------------------


def test_an_unauthenticated_post_answers_401_not_a_csrf_failure():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/petitions", "{}", content_type="application/json")
    assert "未登录或访问令牌无效" in assert_chinese_error(response, 401)["detail"]


def test_a_session_write_without_the_csrf_token_answers_403_in_chinese(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["office"])
    response = client.post(
        "/api/v1/petitions", json.dumps(petition_body(cast)), content_type="application/json"
    )
    assert "CSRF" in assert_chinese_error(response, 403)["detail"]
    assert client.get("/api/v1/me").status_code == 200  # reading needs no CSRF token


# --- the catch-all ----------------------------------------------------------------------------------


def test_an_unexpected_error_answers_json_500_with_a_request_id_that_is_logged(cast, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr("xinfang.cases.selectors.ledger", broken)
    with caplog.at_level(logging.ERROR, logger="xinfang.api"):
        response = api_client(cast, "office").get("/api/v1/cases")
    body = assert_chinese_error(response, 500)
    assert body["detail"].startswith("服务器内部错误") and body["request_id"] in body["detail"]
    assert response["X-Request-ID"] == body["request_id"]
    record = next(r for r in caplog.records if body["request_id"] in r.getMessage())
    assert record.exc_info and "simulated failure" in str(record.exc_info[1])


def test_a_method_the_address_does_not_have_answers_405_in_chinese(cast):
    response = api_client(cast, "office").delete("/api/v1/cases")
    body = assert_chinese_error(response, 405)
    assert "DELETE" in body["detail"] and "GET" in body["detail"] and "GET" in response["Allow"]


def test_an_error_outside_the_api_views_is_json_too(rf):
    from xinfang.core.views import bad_request, not_found, server_error

    for view, status in ((bad_request, 400), (not_found, 404)):
        response = view(rf.get("/api/v1/nowhere"))
        assert response.status_code == status and CJK.search(json.loads(response.content)["detail"])
    response = server_error(rf.get("/api/v1/nowhere"))
    assert response.status_code == 500 and json.loads(response.content)["request_id"]
    assert b"<html" in server_error(rf.get("/cases/")).content


def test_a_page_answers_a_bad_request_in_chinese(client_as, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    client = client_as("office")
    client.raise_request_exception = False
    response = client.post("/cases/new/", {f"f{i}": "x" for i in range(10)})
    assert response.status_code == 400 and "请求无法处理" in response.content.decode()


# --- the OpenAPI document names the errors -----------------------------------------------------------


def test_the_openapi_document_lists_the_error_responses_with_their_schema():
    schema = Client().get("/api/v1/openapi.json").json()
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {"detail", "errors"}
    assert "request_id" in schema["components"]["schemas"]["ServerErrorOut"]["properties"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"401", "500"} <= set(responses), (method, path)
            assert responses["401"]["content"]["application/json"]["schema"] == ref
            if "{" in path:
                assert "404" in responses and "422" in responses, (method, path)
            if method in ("post", "put"):
                assert "403" in responses and "422" in responses, (method, path)
    content = schema["paths"]["/api/v1/attachments/{attachment_id}/content"]["get"]["responses"]
    assert {"200", "401", "404", "500"} <= set(content)
    petitions = schema["paths"]["/api/v1/petitions"]["post"]["responses"]
    assert {"201", "400", "401", "403", "413", "415", "422"} <= set(petitions)


# --- pages: a NUL never reaches a service ------------------------------------------------------------


def test_a_page_form_with_a_nul_character_is_refused_before_any_service(client_as, cast, case):
    from xinfang.cases.testing import accept_and_assign

    accept_and_assign(cast, case)
    client = client_as("office")
    response = client.post(f"/cases/{case.pk}/actions/progress/", {"text": "上门\x00走访"})
    assert response.status_code == 400 and "空字符（NUL）" in response.content.decode()
    assert not case.events.filter(kind="progress").exists()
    assert client.get("/cases/", {"q": "\x00"}).status_code == 400
    assert client.post(f"/cases/{case.pk}/actions/progress/", {"text": "上门走访"}).status_code == 302
    assert case.events.filter(kind="progress").count() == 1
