"""Totals per month, quarter and year, by kind and by village: right across period boundaries, scoped."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from xinfang.audit.models import AuditEvent
from xinfang.relief.selectors import period_of, period_parse, totals

from .conftest import record, register_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def given(cast):
    """Reliefs on both sides of the October–November and September–October boundaries, in two
    villages of 分界镇 and one relief in 荷塘镇 (never counted for 分界镇)."""
    first = register_case(cast, village_of="village1", received="2026-07-01 09:00")
    second = register_case(cast, village_of="village2", received="2026-07-01 09:00")
    other_town = register_case(cast, user="h_office", village_of="h_village", received="2026-07-01 09:00")
    record(cast, first, kind="temporary", amount="0.10", given_on="2026-09-30")
    record(cast, first, kind="temporary", amount="1000", given_on="2026-10-01")
    record(cast, first, kind="medical", amount="0.20", given_on="2026-10-31")
    record(cast, second, kind="temporary", amount="500.55", given_on="2026-11-01")
    record(cast, second, kind="education", amount="300", given_on="2026-11-20")
    record(cast, other_town, user="h_office", kind="temporary", amount="7777", given_on="2026-10-15")
    return first, second, other_town


def by_kind(summary) -> dict:
    return {row["kind"]: (row["count"], row["amount"]) for row in summary["by_kind"] if row["count"]}


def by_village(summary) -> dict:
    return {row["label"]: (row["count"], row["amount"]) for row in summary["by_village"]}


def test_periods_begin_and_end_on_the_right_days():
    assert (period_of("month", 2026, 10).start, period_of("month", 2026, 10).end) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
    )
    assert period_of("month", 2026, 12).end == dt.date(2026, 12, 31)
    assert period_of("month", 2028, 2).end == dt.date(2028, 2, 29)
    assert (period_of("quarter", 2026, 4).start, period_of("quarter", 2026, 4).end) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    assert period_of("quarter", 2026, 1).end == dt.date(2026, 3, 31)
    assert period_of("year", 2026).end == dt.date(2026, 12, 31)
    assert period_of("quarter", 2026, 4).label == "2026年第四季度"
    assert period_of("month", 2026, 1).shifted(-1).label == "2025年12月"
    assert period_of("quarter", 2026, 4).shifted(1).label == "2027年第一季度"
    assert period_parse(None, None, None, today=dt.date(2026, 11, 20)).label == "2026年11月"
    assert period_parse("quarter", "", "", today=dt.date(2026, 11, 20)).label == "2026年第四季度"


@pytest.mark.parametrize(
    "args, field, message",
    [
        (("week", 2026, 1), "period", "统计周期只能是 month（月）、quarter（季度）或 year（年）。"),
        (("month", 2026, 13), "number", "月份应在 1 至 12 之间。"),
        (("quarter", 2026, 5), "number", "季度应在 1 至 4 之间。"),
        (("month", 1900, 1), "year", "年份应在 2000 至 2100 之间。"),
        (("month", "二〇二六", 1), "year", "年份应为整数，如 2026。"),
    ],
)
def test_a_wrong_period_is_explained(args, field, message):
    with pytest.raises(ValidationError) as refused:
        period_parse(*args)
    assert refused.value.message_dict == {field: [message]}


def test_totals_per_month_across_the_boundary(cast, given):
    office = cast["office"]
    september = totals(user=office, period=period_of("month", 2026, 9))
    october = totals(user=office, period=period_of("month", 2026, 10))
    november = totals(user=office, period=period_of("month", 2026, 11))
    assert (september["count"], september["amount"]) == (1, Decimal("0.10"))
    assert (october["count"], october["amount"]) == (2, Decimal("1000.20"))
    assert (november["count"], november["amount"]) == (2, Decimal("800.55"))
    assert by_kind(october) == {"temporary": (1, Decimal("1000.00")), "medical": (1, Decimal("0.20"))}
    assert by_kind(november) == {"temporary": (1, Decimal("500.55")), "education": (1, Decimal("300.00"))}
    # Every kind is listed, in the order of the choices, zeros included.
    assert [row["label"] for row in october["by_kind"]][:3] == ["临时救助", "低保", "特困供养"]
    assert len(october["by_kind"]) == 8
    village1, village2 = cast["village1"].village.name, cast["village2"].village.name
    assert by_village(october) == {village1: (2, Decimal("1000.20"))}
    assert by_village(november) == {village2: (2, Decimal("800.55"))}


def test_totals_per_quarter_and_year(cast, given):
    office = cast["office"]
    q3 = totals(user=office, period=period_of("quarter", 2026, 3))
    q4 = totals(user=office, period=period_of("quarter", 2026, 4))
    year = totals(user=office, period=period_of("year", 2026))
    assert (q3["count"], q3["amount"]) == (1, Decimal("0.10"))
    assert (q4["count"], q4["amount"]) == (4, Decimal("1800.75"))
    assert (year["count"], year["amount"]) == (5, Decimal("1800.85"))
    assert by_kind(year)["temporary"] == (3, Decimal("1500.65"))
    village1, village2 = cast["village1"].village.name, cast["village2"].village.name
    assert list(by_village(year)) == [village1, village2]
    assert totals(user=office, period=period_of("year", 2025))["amount"] == Decimal("0.00")


def test_totals_are_scoped(cast, given):
    year = period_of("year", 2026)
    hetang = totals(user=cast["h_office"], period=year)
    assert (hetang["count"], hetang["amount"]) == (1, Decimal("7777.00"))
    county = totals(user=cast["county"], period=year)
    assert (county["count"], county["amount"]) == (6, Decimal("9577.85"))
    # Across towns each village is named with its town.
    assert {label.split(" · ")[0] for label in by_village(county)} == {"分界镇", "荷塘镇"}
    assert totals(user=cast["sysadmin"], period=year)["count"] == 0


def test_the_totals_page_shows_the_period_kinds_villages_and_rows(client_as, cast, given):
    page = client_as("office").get("/relief/?period=month&year=2026&number=10").content.decode()
    assert "2026年10月（2026-10-01 至 2026-10-31）· 共 2 笔，合计 1,000.20 元" in page
    assert "医疗救助" in page and cast["village1"].village.name in page
    first = given[0]
    assert f'href="/cases/{first.pk}/#reliefs">{first.number}</a>' in page
    assert "7,777.00" not in page and "荷塘" not in page
    assert "2026-09-30" not in page and "2026-11-01" not in page
    assert "上一期（2026年9月）" in page and "下一期（2026年11月）" in page
    assert 'value="month-10" selected' in page and 'value="2026" selected' in page
    # The page's one drop-down names the period too; the current period offers no next one.
    page = client_as("leader1").get("/relief/?year=2026&span=quarter-4").content.decode()
    assert "2026年第四季度" in page and "共 4 笔，合计 1,800.75 元" in page and "下一期" not in page
    page = client_as("office").get("/relief/").content.decode()
    assert "2026年11月" in page and "共 2 笔，合计 800.55 元" in page
    page = client_as("county").get("/relief/?period=year&year=2026").content.decode()
    assert "共 6 笔，合计 9,577.85 元" in page and "荷塘镇 · " in page


def test_a_wrong_period_on_the_page_falls_back_to_this_month(client_as, given):
    page = client_as("office").get("/relief/?period=month&year=2026&number=13").content.decode()
    assert "统计期间有误：月份应在 1 至 12 之间。已改为显示本月。" in page
    assert "2026年11月" in page


def test_the_export_holds_the_period_rows_and_totals_and_is_audited(client_as, cast, given):
    response = client_as("office").get("/relief/export.xlsx?period=quarter&year=2026&number=4")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["救助明细"].iter_rows(min_row=4, values_only=True))
    dates = [r[1] for r in rows if r[1]]
    assert dates == ["2026-10-01", "2026-10-31", "2026-11-01", "2026-11-20"]
    assert [r[7] for r in rows if r[1]] == [1000, 0.2, 500.55, 300]
    assert rows[-1][6] == "合计" and rows[-1][7] == pytest.approx(1800.75)
    assert all("荷塘" not in str(cell) for r in rows for cell in r)
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert ("临时救助", 2, 1500.55) in summary
    audit = AuditEvent.objects.get(event="export", user=cast["office"])
    assert audit.detail == "导出专项救助明细（2026年第四季度）4 笔"
    # The county's export counts every town; a village clerk has none.
    county = client_as("county").get("/relief/export.xlsx?period=year&year=2026")
    rows = list(
        load_workbook(io.BytesIO(b"".join(county.streaming_content)))["救助明细"].iter_rows(min_row=4)
    )
    assert len([r for r in rows if r[1].value]) == 6
    assert client_as("village1").get("/relief/export.xlsx").status_code == 403
