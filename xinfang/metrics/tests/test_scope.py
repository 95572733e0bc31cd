"""Who sees which numbers, and what the API and the page refuse: as a user and as an attacker would try."""

import datetime as dt

import pytest
from django.test import Client

from xinfang.cases.testing import on
from xinfang.metrics import rules, selectors

from .town import build, register

pytestmark = pytest.mark.django_db
QUERY = "from=2026-01-01&to=2026-06-30"


@pytest.fixture
def town(cast, settings, tmp_path):
    settings.XINFANG_ATTACHMENT_DIR = tmp_path
    return build(cast)


def items(client, query=QUERY) -> dict:
    with on("2026-07-01"):
        answer = client.get(f"/api/v1/metrics?{query}")
    assert answer.status_code == 200, answer.json()
    return {m["key"]: m for m in answer.json()["items"]}


def test_one_item_per_target_and_per_national_indicator(cast, town, client_as):
    got = items(client_as("office"))
    targets = list(cast["office"].town.targets.values_list("code", flat=True))
    assert list(got) == targets + [n.code for n in rules.NATIONAL_INDICATORS]
    sample = got["repeat_share"]
    assert set(sample) >= {
        "key",
        "name",
        "group",
        "value",
        "numerator",
        "denominator",
        "target",
        "status",
        "last_year",
        "drill",
    }


def test_another_town_sees_none_of_it(cast, town, client_as):
    theirs = items(client_as("h_office"))
    assert all(m["numerator"] in (0, None) for m in theirs.values())
    with on("2026-07-01"):
        fenjie = cast["office"].town_id
        assert client_as("h_office").get(f"/api/v1/metrics?{QUERY}&town={fenjie}").status_code == 404
        village = cast["village1"].village_id
        assert client_as("h_office").get(f"/api/v1/metrics?{QUERY}&village={village}").status_code == 404
        drill = items(client_as("office"))["prominent_cases"]["drill"]
        assert client_as("h_office").get(drill).json()["count"] == 0


def test_a_village_cannot_ask_for_another(cast, town, client_as):
    other = cast["village2"].village_id
    with on("2026-07-01"):
        answer = client_as("village1").get(f"/api/v1/metrics?{QUERY}&village={other}")
        assert answer.status_code == 404 and "无权" in answer.json()["detail"]
        page = client_as("village1").get(f"/metrics/prominent_cases/?{QUERY}&village={other}")
        assert page.status_code == 404


def test_a_department_reads_its_own_line(cast, town, client_as):
    line = cast["dept1"].department_id
    assert items(client_as("dept1")) == items(client_as("dept1"), f"{QUERY}&line={line}")
    office_view = items(client_as("office"), f"{QUERY}&line={line}")
    dept_view = items(client_as("dept1"))
    assert {k: v["numerator"] for k, v in dept_view.items()} == {
        k: v["numerator"] for k, v in office_view.items()
    }
    # Incidents and key persons have no line: not counted per line.
    assert (
        dept_view["extreme_incidents"]["numerator"] is None
        and dept_view["extreme_incidents"]["drill"] is None
    )
    with on("2026-07-01"):
        other = cast["office"].town.departments.exclude(pk=line).first().pk
        assert client_as("dept1").get(f"/api/v1/metrics?{QUERY}&line={other}").status_code == 404


def test_the_county_reads_a_town_at_a_time(cast, town, client_as):
    with on("2026-07-01"):
        answer = client_as("county").get(f"/api/v1/metrics?{QUERY}")
        assert answer.status_code == 422 and "请选择一个镇" in answer.json()["detail"]
    fenjie = cast["office"].town_id
    county = items(client_as("county"), f"{QUERY}&town={fenjie}")
    office = items(client_as("office"))
    assert {k: v["value"] for k, v in county.items()} == {k: v["value"] for k, v in office.items()}
    assert "town=" in county["prominent_cases"]["drill"]
    with on("2026-07-01"):
        listed = client_as("county").get(county["prominent_cases"]["drill"]).json()
    assert listed["count"] == county["prominent_cases"]["numerator"] == 2


def test_administrators_and_strangers_are_refused(cast, town, client_as):
    with on("2026-07-01"):
        for admin in ("sysadmin", "secadmin", "auditadmin"):
            assert client_as(admin).get(f"/api/v1/metrics?{QUERY}").status_code == 403, admin
            assert client_as(admin).get(f"/metrics/prominent_cases/?{QUERY}").status_code == 403, admin
        assert Client().get(f"/api/v1/metrics?{QUERY}").status_code == 401
        assert Client().get(f"/metrics/prominent_cases/?{QUERY}").status_code == 302


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-07-01&to=2026-01-01",
        "from=2026-13-01&to=2026-12-31",
        "from=2026-01-01",
        "from=1900-01-01&to=2026-01-01",
        "from=2026-01-01&to=2026-12-31&village=0",
        "from=2026-01-01&to=2026-12-31&village=abc",
        "from=2026-01-01&to=2026-12-31&owner=99999999999999999999999",
        "from=12345&to=2026-12-31",
    ],
)
def test_bad_input_is_explained_in_chinese(cast, client_as, query):
    answer = client_as("office").get(f"/api/v1/metrics?{query}")
    assert answer.status_code == 422, answer.content
    assert answer.json()["detail"].startswith("输入有误")


def test_the_drill_refuses_what_it_cannot_list(cast, town, client_as):
    office = client_as("office")
    with on("2026-07-01"):
        assert office.get(f"/api/v1/metrics/no_such_metric/items?{QUERY}").status_code == 404
        assert (
            office.get(f"/api/v1/metrics/prominent_cases/items?{QUERY}&part=denominator").status_code == 404
        )
        assert office.get(f"/api/v1/metrics/repeat_share/items?{QUERY}&limit=100000").status_code == 422
        assert office.get(f"/api/v1/metrics/repeat_share/items?{QUERY}&part=all").status_code == 422
        whole = office.get(f"/api/v1/metrics/repeat_share/items?{QUERY}&part=denominator").json()
        assert whole["count"] == 7 and whole["kind"] == "petitions"
        assert office.get("/metrics/prominent_cases/?from=2026-99-01").status_code == 400
        assert office.get("/metrics/no_such_metric/").status_code == 404


def test_a_case_accusing_the_reader_is_out_of_their_numbers(cast, town, client_as):
    with on("2026-06-20"):
        register(cast, name="举报人", kind="accusation", accused_persons=[cast["leader1"].person])
    office, leader = items(client_as("office")), items(client_as("leader1"))
    assert office["case_repeat_rate"]["denominator"] == leader["case_repeat_rate"]["denominator"] + 1
    assert office["repeat_share"]["denominator"] == leader["repeat_share"]["denominator"] + 1
    with on("2026-07-01"):
        drill = (
            client_as("leader1")
            .get(leader["case_repeat_rate"]["drill"].replace("items?", "items?part=denominator&"))
            .json()
        )
    assert drill["count"] == leader["case_repeat_rate"]["denominator"]
    assert all("举报人" not in row["label"] for row in drill["items"])
    # A village never counts accusations it does not handle.
    village = items(client_as("village1"))
    assert village["case_repeat_rate"]["denominator"] == 5


def test_the_page_lists_the_same_objects(cast, town, client_as):
    with on("2026-07-01"):
        page = client_as("village1").get(f"/metrics/prominent_cases/?{QUERY}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "信访突出问题发生量" in text and "共 2 件" in text
    assert town["B"].number in text and town["D"].number in text


def test_monthly_series_agree_with_the_months(cast, town):
    office = cast["office"]
    with on("2026-07-01"):
        series = selectors.monthly_series(office, "repeat_share", 2026)
        assert [m for m, _, _ in series] == list(range(1, 13))
        for month, value, _ in series[:6]:
            start = dt.date(2026, month, 1)
            end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            expected = next(
                m.value for m in selectors.metrics_for(office, start, end) if m.key == "repeat_share"
            )
            assert value == expected, month
        assert series[2][1] == 0.5  # March: C's petition and B's repeat
        assert all(v is None for _, v, _ in series[6:])  # months not yet begun
        prominent = selectors.monthly_series(office, "prominent_cases", 2026)
        assert [v for _, v, _ in prominent[:6]] == [0, 1, 0, 0, 1, 0]
        assert [ly for _, _, ly in prominent[:6]] == [0, 0, 1, 1, 1, 0]


def test_counts_are_whole_numbers_and_the_series_answers(cast, town, client_as):
    got = items(client_as("office"))
    assert got["prominent_cases"]["value"] == 2 and isinstance(got["prominent_cases"]["value"], int)
    assert got["repeat_share"]["value"] == pytest.approx(1 / 7, abs=1e-4)
    with on("2026-07-01"):
        series = client_as("office").get("/api/v1/metrics/prominent_cases/monthly?year=2026").json()
        assert series["count"] == 12 and series["items"][1] == {"month": 2, "value": 1, "last_year": 0}
        assert client_as("office").get("/api/v1/metrics/prominent_cases/monthly?year=1").status_code == 422
        assert client_as("office").get("/api/v1/metrics/nothing/monthly?year=2026").status_code == 404
