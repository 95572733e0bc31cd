"""A score computed on a hand-built month (conftest.november), each point explained; every item's
fact list holds exactly as many facts as its score counts."""

import datetime as dt

import pytest

from xinfang.core.tests.test_api_input import api_client, assert_chinese_error
from xinfang.scoring import facts as F
from xinfang.scoring.rules import item_score, period_parse, rank
from xinfang.scoring.selectors import ranking

from .conftest import SHANGHAI, at

pytestmark = pytest.mark.django_db


def _scores(town, kind="village", period="2026-11"):
    from xinfang.org.models import Town

    town = Town.objects.get(pk=town.pk)  # as stored: the tests change its settings
    with at("2026-12-05 10:00") as now:
        r = ranking(town=town, period=period_parse(period), kind=kind, today=now.date())
    return r, {s.unit_id: s for s in r.scores}


def test_village1_scores_78_and_each_point_is_explained(cast, november):
    r, by_unit = _scores(cast["office"].town)
    v1 = by_unit[november["v1"].pk]
    items = v1.by_key
    assert r.base == 70
    # 化解稳定率: A open, B resolved 11-20 → 1/2 of 20
    assert (
        items["resolution_rate"].count,
        items["resolution_rate"].total,
        items["resolution_rate"].points,
    ) == (1, 2, 10.0)
    assert items["resolution_rate"].explain == "1/2 = 50.0%，20 分 × 50.0% = 10 分"
    # 满意率: B 满意, C 基本满意 (counted: fenjie's basic_satisfied_counts) → 2/2 of 10;
    # E's rating is in December
    assert (items["satisfaction"].count, items["satisfaction"].total, items["satisfaction"].points) == (
        2,
        2,
        10.0,
    )
    # 超期: A only (B replied in time, E's limit was in October)
    assert (items["overdue_cases"].count, items["overdue_cases"].points) == (1, -2.0)
    assert items["overdue_cases"].explain == "1 件（次）× 2 分 = 扣 2 分"
    # 反弹: A on 11-25 (B's rebound was on 10-31, Beijing time)
    assert (items["rebounds"].count, items["rebounds"].points) == (1, -3.0)
    assert (items["incidents"].count, items["incidents"].points) == (1, -5.0)
    assert (items["overdue_supervision"].count, items["overdue_supervision"].points) == (1, -2.0)
    assert v1.total == 70 + 10 + 10 - 2 - 3 - 5 - 2 == 78


def test_village2_and_the_line_score_from_their_own_facts(cast, november):
    _, villages = _scores(cast["office"].town)
    v2 = villages[november["v2"].pk]
    # no prominent case: full 20; D rated 不满意: 0 of 10; its notice was answered in time
    assert v2.by_key["resolution_rate"].explain == "本期无此类事项，得满分 20 分"
    assert v2.by_key["satisfaction"].points == 0
    assert v2.by_key["overdue_supervision"].count == 0
    assert v2.total == 90
    _, lines = _scores(cast["office"].town, kind="department")
    d1 = lines[november["d1"].pk]
    # A and B lead by D1: rate 1/2; B's rating 1/1; A overdue, rebound, and its incident count against D1
    assert d1.by_key["satisfaction"].total == 1
    assert d1.total == 70 + 10 + 10 - 2 - 3 - 5 == 80


def test_ties_share_a_rank_and_the_next_rank_skips(cast, november):
    r, by_unit = _scores(cast["office"].town)
    untouched = [s for s in r.scores if s.unit_id not in (november["v1"].pk, november["v2"].pk)]
    assert untouched and {s.total for s in untouched} == {100} and {s.rank for s in untouched} == {1}
    assert by_unit[november["v2"].pk].rank == len(untouched) + 1
    assert by_unit[november["v1"].pk].rank == len(untouched) + 2
    assert [s.total for s in r.scores] == sorted((s.total for s in r.scores), reverse=True)


def test_basic_satisfied_counts_is_the_towns_setting(cast, november):
    town = cast["office"].town
    town.basic_satisfied_counts = False
    town.save(update_fields=["basic_satisfied_counts"])
    _, by_unit = _scores(town)
    item = by_unit[november["v1"].pk].by_key["satisfaction"]
    assert (item.count, item.total, item.points) == (1, 2, 5.0)


def test_a_deduction_stops_at_its_cap_and_the_explanation_says_so():
    facts = [F.Fact(kind="case", label=str(i), note="") for i in range(7)]
    item = item_score("incidents", "五不事件", 5, 30, facts)
    assert item.points == -30 and item.explain == "7 件（次）× 5 分 = 扣 35 分，单项最多扣 30 分"


def test_ranking_order_is_by_total_with_competition_ranks():
    from xinfang.scoring.rules import UnitScore

    scores = [UnitScore("village", i, str(i), [], t) for i, t in enumerate([90, 95, 90, 80])]
    assert [(s.unit_id, s.rank) for s in rank(scores)] == [(1, 1), (0, 2), (2, 2), (3, 4)]


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "1999", "26-11", "2026/11", "", "2026-11-01"])
def test_a_bad_period_is_refused_in_chinese(text):
    from xinfang.scoring.rules import BadPeriod

    with pytest.raises(BadPeriod, match="考核期|月份|年份"):
        period_parse(text)


def test_periods_cover_a_month_a_quarter_and_a_year():
    assert (period_parse("2026-2").start.isoformat(), period_parse("2026-2").end.isoformat()) == (
        "2026-02-01",
        "2026-02-28",
    )
    q = period_parse("2026-q4")
    assert (q.code, q.label, q.start.isoformat(), q.end.isoformat()) == (
        "2026-Q4",
        "2026年第四季度",
        "2026-10-01",
        "2026-12-31",
    )
    assert period_parse("2026").end.isoformat() == "2026-12-31"


@pytest.mark.parametrize("kind", ["village", "department"])
def test_each_fact_list_holds_as_many_facts_as_its_score_counts(cast, november, kind):
    client = api_client(cast, "office")
    with at("2026-12-05 10:00"):
        scores = client.get(f"/api/v1/scores?period=2026-11&kind={kind}").json()
        checked = 0
        for unit in scores["items"]:
            for item in unit["items"]:
                if not (item["count"] or item["total"]):
                    continue
                facts = client.get(
                    f"/api/v1/scores/{kind}/{unit['unit']}/{item['key']}?period=2026-11"
                ).json()
                assert facts["count"] == item["total"], (unit["unit_name"], item)
                assert sum(1 for f in facts["items"] if f["counts"]) == item["count"], (
                    unit["unit_name"],
                    item,
                )
                assert facts["item"] == item
                checked += 1
    assert checked >= (7 if kind == "village" else 5)


def test_the_facts_page_lists_the_cases_behind_a_score(cast, client_as, november):
    v1 = november["v1"].pk
    with at("2026-12-05 10:00"):
        page = client_as("supervisor").get(f"/scoring/facts/village/{v1}/overdue_cases/?period=2026-11")
        ranking_page = client_as("office").get("/scoring/?period=2026-11&kind=village")
    html = page.content.decode()
    assert page.status_code == 200
    assert november["a"].number in html and "办理期限 2026-11-10，未出具处理意见" in html
    assert november["e"].number not in html and november["b"].number not in html
    assert f"/scoring/facts/village/{v1}/overdue_cases/?period=2026-11" in ranking_page.content.decode()


@pytest.mark.parametrize(
    "username",
    ["office", "leader1", "supervisor", "county", "dept1", "village1", "grid1", "sysadmin", "auditadmin"],
)
def test_the_ranking_is_for_the_office_leaders_team_and_county(cast, client_as, username):
    readers = {"office", "leader1", "supervisor", "county"}
    page = client_as(username).get("/scoring/?period=2026-11")
    export = client_as(username).get("/scoring/ranking.xlsx?period=2026-11")
    api = api_client(cast, username).get("/api/v1/scores?period=2026-11")
    assert page.status_code == export.status_code == (200 if username in readers else 403)
    assert api.status_code == (200 if username in readers else 403)


def test_another_towns_office_sees_its_own_units_only(cast, november, hetang):
    body = api_client(cast, "h_office").get("/api/v1/scores?period=2026-11").json()
    assert body["town"] == "hetang"
    assert november["v1"].pk not in {u["unit"] for u in body["items"]}
    missing = api_client(cast, "h_office").get(f"/api/v1/scores/village/{november['v1'].pk}/overdue_cases")
    assert_chinese_error(missing, 404)


@pytest.mark.parametrize("query", ["period=2026-13", "period=abc", "kind=grid", "period=%00"])
def test_bad_score_queries_are_chinese_422s(cast, query):
    assert_chinese_error(api_client(cast, "office").get(f"/api/v1/scores?{query}"), 422)


def test_the_excel_ranking_opens_with_the_same_numbers(cast, client_as, november):
    import io

    from openpyxl import load_workbook

    with at("2026-12-05 10:00"):
        response = client_as("office").get("/scoring/ranking.xlsx?period=2026-11&kind=village")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["考核排名"]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
    v1 = rows[november["v1"].name]
    assert v1[2] == 78 and v1[0] == len(rows)
    assert "计分说明" in book.sheetnames


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def _unit_item(town, kind, unit_id, key):
    _, by_unit = _scores(town, kind=kind)
    return by_unit[unit_id].by_key[key]


def test_missing_screening_reports_count_against_the_village_its_grids_and_the_line(cast, november):
    from xinfang.screening.models import ScreeningRound, UnitReport

    town, v1, v2, d1 = cast["office"].town, november["v1"], november["v2"], november["d1"]
    rnd = ScreeningRound.objects.create(
        town=town,
        kind="campaign",
        name="十一月集中排查",
        start=dt.date(2026, 11, 9),
        end=dt.date(2026, 11, 14),
        due=dt.date(2026, 11, 15),
        created_by=cast["office"],
    )
    grid = v1.grids.first()

    def report(**unit):
        return UnitReport.objects.create(town=town, round=rnd, **unit)

    report(unit_kind="village", village=v1)  # never reported
    report(unit_kind="grid", village=v1, grid=grid)  # never reported: counts against 青松村 too
    report(unit_kind="village", village=v2, submitted_at=_at("2026-11-14 17:00"), is_zero=True)  # on time
    report(unit_kind="department", department=d1, submitted_at=_at("2026-11-16 09:00"))  # a day late
    v1_item = _unit_item(town, "village", v1.pk, "missing_reports")
    assert (v1_item.count, v1_item.points) == (2, -2.0)
    assert _unit_item(town, "village", v2.pk, "missing_reports").count == 0
    d1_item = _unit_item(town, "department", d1.pk, "missing_reports")
    assert (d1_item.count, d1_item.points) == (1, -1.0)
    with at("2026-12-05 10:00"):
        facts = api_client(cast, "office").get(
            f"/api/v1/scores/department/{d1.pk}/missing_reports?period=2026-11"
        )
    assert [f["note"] for f in facts.json()["items"]] == ["报送期限 2026-11-15，2026-11-16 才报送"]


def test_missing_assessments_count_each_weekly_window_without_one(cast, november):
    from xinfang.screening.models import Assessment

    town, v1, v2 = cast["office"].town, november["v1"], november["v2"]
    town.screening = {**town.screening, "assessment_levels": ["village"]}
    town.save(update_fields=["screening"])
    # weekly windows (Monday to Sunday) ending in November 2026: 11-01, 11-08, 11-15, 11-22, 11-29
    Assessment.objects.create(
        town=town,
        level="village",
        village=v1,
        case=november["a"],
        status="done",
        held_on=dt.date(2026, 11, 10),
        created_by=cast["village1"],
    )
    v1_item = _unit_item(town, "village", v1.pk, "missing_assessments")
    v2_item = _unit_item(town, "village", v2.pk, "missing_assessments")
    assert (v1_item.count, v1_item.points) == (4, -4.0)
    assert (v2_item.count, v2_item.points) == (5, -5.0)
    with at("2026-12-05 10:00"):
        facts = api_client(cast, "office").get(
            f"/api/v1/scores/village/{v1.pk}/missing_assessments?period=2026-11"
        )
    notes = [f["note"] for f in facts.json()["items"]]
    assert not any("2026-11-09 至 2026-11-15" in n for n in notes) and len(notes) == 4


def test_a_leader_short_of_task_force_meetings_costs_the_lines_the_leader_heads(cast, november):
    from xinfang.cases.models import Case
    from xinfang.meetings.models import Meeting

    town, leader = cast["office"].town, cast["leader1"].person
    Case.objects.filter(pk=november["a"].pk).update(lead_leader=leader)
    Meeting.objects.create(
        town=town,
        kind="task_force",
        held_on=dt.date(2026, 11, 5),
        place="镇会议室",
        host=leader,
        created_by=cast["office"],
    )
    lines = list(leader.lines.values_list("pk", flat=True))
    assert lines, "the demo town's leader1 heads some lines"
    _, by_unit = _scores(town, kind="department")
    for pk in lines:
        item = by_unit[pk].by_key["missed_meetings"]
        assert (item.count, item.points) == (1, -2.0), by_unit[pk].unit_name
    others = [s for pk, s in by_unit.items() if pk not in lines]
    assert all(s.by_key["missed_meetings"].count == 0 for s in others)
    with at("2026-12-05 10:00"):
        facts = api_client(cast, "office").get(
            f"/api/v1/scores/department/{lines[0]}/missed_meetings?period=2026-11"
        )
    (fact,) = facts.json()["items"]
    assert fact["label"].startswith(leader.name) and fact["note"] == "召开 1 次，要求至少 3 次"
