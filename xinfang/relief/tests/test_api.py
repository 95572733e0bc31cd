"""The relief API: list and record on a case, the totals of a period; Chinese errors."""

import pytest

from xinfang.cases.models import CaseEvent
from xinfang.relief.models import Relief

from .conftest import record, register_case

pytestmark = pytest.mark.django_db

BODY = {"kind": "housing", "amount": "12000.00", "given_on": "2026-11-10", "approved_by": "镇党委书记"}


def post(client, case, **over):
    return client.post(f"/api/v1/cases/{case.pk}/reliefs", {**BODY, **over}, content_type="application/json")


def test_a_relief_is_recorded_and_listed(client_as, cast, case):
    person = case.petitions.get().petitioners.get()
    response = post(client_as("leader1"), case, petitioner=person.pk, approval_number="分政〔2026〕3号")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "housing" and body["kind_label"] == "住房救助"
    assert body["amount"] == "12000.00" and body["given_on"] == "2026-11-10"
    assert body["petitioner"] == person.pk and body["petitioner_name"] == person.name
    assert body["case_number"] == case.number and body["recorded_by"] == cast["leader1"].display_name
    assert CaseEvent.objects.filter(case=case, kind="relief").count() == 1
    number = post(client_as("village1"), case, amount=0.5, given_on="2026-11-01")  # a JSON number
    assert number.status_code == 201 and number.json()["amount"] == "0.50"
    listing = client_as("grid1").get(f"/api/v1/cases/{case.pk}/reliefs").json()
    assert listing["count"] == 2 and listing["total"] == "12000.50"
    assert [i["amount"] for i in listing["items"]] == ["0.50", "12000.00"]  # oldest given first


@pytest.mark.parametrize(
    "over, field, message",
    [
        ({"amount": "-1"}, "amount", "救助金额必须大于 0 元。"),
        ({"given_on": "2026-11-21"}, "given_on", "救助日期不能晚于今天（2026-11-20）。"),
        ({"approved_by": ""}, "approved_by", "请填写批准人（谁批准的这笔救助）。"),
        ({"kind": "gift"}, "kind", "请选择救助类型"),
        ({"amount": None}, "amount", "请填写救助金额（元）。"),
        ({"amount": "两千"}, "amount", "救助金额“两千”不是数字"),
        ({"amount": 2000.005}, "amount", "救助金额最多精确到分（小数点后两位）。"),
        (
            {"given_on": "11/10/2026"},
            "given_on",
            "救助日期“11/10/2026”格式不正确，应为 2026-01-31 这样的形式。",
        ),
    ],
)
def test_bad_input_answers_422_in_chinese(client_as, case, over, field, message):
    response = post(client_as("office"), case, **over)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("输入有误：")
    assert [e["field"] for e in body["errors"]] == [field]
    assert message in body["errors"][0]["message"]
    assert not Relief.objects.exists()


def test_a_petitioner_not_on_the_case_answers_422(client_as, cast, case):
    stranger = register_case(cast, village_of="village2").petitions.get().petitioners.get()
    response = post(client_as("office"), case, petitioner=stranger.pk)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "petitioner",
            "message": "所选救助对象不是本事项的信访人，请从本事项的信访人中选择，或不填。",
        }
    ]
    assert not Relief.objects.exists()


@pytest.mark.parametrize("user", ["grid1", "supervisor", "county"])
def test_read_only_roles_get_403(client_as, case, user):
    response = post(client_as(user), case)
    assert response.status_code == 403
    assert response.json()["detail"].endswith("只能查看救助记录，不能录入。")
    assert not Relief.objects.exists()


@pytest.mark.parametrize("user", ["h_office", "h_village", "village2"])
def test_another_town_or_village_gets_404(client_as, cast, case, user):
    record(cast, case)
    assert post(client_as(user), case).status_code == 404
    assert client_as(user).get(f"/api/v1/cases/{case.pk}/reliefs").status_code == 404
    assert Relief.objects.count() == 1


def test_totals_of_a_month(client_as, cast, case):
    record(cast, case, amount="100", given_on="2026-10-31")
    record(cast, case, kind="medical", amount="250.25", given_on="2026-11-01")
    record(cast, case, amount="49.75", given_on="2026-11-20")
    body = client_as("office").get("/api/v1/reliefs/totals?period=month&year=2026&number=11").json()
    assert body["period"] == {
        "period": "month",
        "year": 2026,
        "number": 11,
        "label": "2026年11月",
        "start": "2026-11-01",
        "end": "2026-11-30",
    }
    assert body["count"] == 2 and body["amount"] == "300.00"
    kinds = {k["kind"]: (k["count"], k["amount"]) for k in body["by_kind"]}
    assert (
        kinds["medical"] == (1, "250.25")
        and kinds["temporary"] == (1, "49.75")
        and kinds["housing"] == (0, "0.00")
    )
    assert body["by_village"] == [
        {"village": case.village_id, "label": case.village.name, "count": 2, "amount": "300.00"}
    ]
    quarter = client_as("county").get("/api/v1/reliefs/totals?period=quarter&year=2026&number=4").json()
    assert quarter["count"] == 3 and quarter["amount"] == "400.00"
    assert client_as("h_office").get("/api/v1/reliefs/totals?period=year&year=2026").json()["count"] == 0
    # Without a period: this month.
    assert client_as("supervisor").get("/api/v1/reliefs/totals").json()["period"]["label"] == "2026年11月"


def test_totals_refuse_a_wrong_period_and_other_roles(client_as):
    response = client_as("office").get("/api/v1/reliefs/totals?period=month&year=2026&number=13")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "number", "message": "月份应在 1 至 12 之间。"}]
    response = client_as("office").get("/api/v1/reliefs/totals?period=week")
    assert response.status_code == 422
    for user in ("village1", "grid1", "dept1", "auditadmin"):
        response = client_as(user).get("/api/v1/reliefs/totals")
        assert response.status_code == 403, user
        assert "不能查看专项救助统计" in response.json()["detail"]
