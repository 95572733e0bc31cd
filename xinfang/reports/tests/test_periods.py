import datetime as dt

import pytest

from xinfang.reports.periods import PeriodInvalid, month, period_parse, quarter, span, year

TODAY = dt.date(2026, 5, 20)


@pytest.mark.parametrize(
    ("params", "start", "end", "label"),
    [
        ({}, dt.date(2026, 5, 1), dt.date(2026, 5, 31), "2026年5月"),
        (
            {"period": "month", "year": "2024", "month": "2"},
            dt.date(2024, 2, 1),
            dt.date(2024, 2, 29),
            "2024年2月",
        ),
        ({"period": "quarter"}, dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2026年第二季度"),
        (
            {"period": "quarter", "year": "2025", "quarter": "4"},
            dt.date(2025, 10, 1),
            dt.date(2025, 12, 31),
            "2025年第四季度",
        ),
        ({"period": "year", "year": "2025"}, dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2025年"),
        (
            {"period": "range", "from": "2026-01-15", "to": "2026-03-14"},
            dt.date(2026, 1, 15),
            dt.date(2026, 3, 14),
            "2026-01-15 至 2026-03-14",
        ),
    ],
)
def test_periods_are_read_from_the_query(params, start, end, label):
    p = period_parse(params, TODAY)
    assert (p.start, p.end, p.label) == (start, end, label)
    assert period_parse(dict(x.split("=") for x in p.query().split("&")), TODAY) == p


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "week"}, "期间应为"),
        ({"period": "month", "month": "13"}, "月份应为 1–12"),
        ({"period": "month", "year": "19999"}, "年份应为 2000–2100"),
        ({"period": "quarter", "quarter": "0"}, "季度应为 1–4"),
        ({"period": "range", "from": "2026-05-01"}, "请填写截止日期"),
        ({"period": "range", "from": "2026-05-01", "to": "2026-04-30"}, "不能早于"),
        ({"period": "range", "from": "2020-01-01", "to": "2026-01-01"}, "最长三年"),
        ({"period": "range", "from": "5/1/2026", "to": "2026-05-02"}, "年-月-日"),
        ({"period": "range", "from": "1900-01-01", "to": "1900-01-02"}, "2000–2100"),
    ],
)
def test_a_bad_period_says_why_in_chinese(params, message):
    with pytest.raises(PeriodInvalid, match=message):
        period_parse(params, TODAY)


def test_last_year_is_the_same_span_and_29_february_falls_back():
    assert month(2024, 2).last_year().end == dt.date(2023, 2, 28)
    assert quarter(2026, 1).last_year().start == dt.date(2025, 1, 1)
    assert year(2026).months()[0] == (2026, 1) and len(year(2026).months()) == 12
    assert span(dt.date(2025, 11, 20), dt.date(2026, 2, 3)).months() == [
        (2025, 11),
        (2025, 12),
        (2026, 1),
        (2026, 2),
    ]
