"""How a value compares with its target (达标 / 预警 / 未达标), from the town's settings."""

import datetime as dt

import pytest

from xinfang.metrics.rules import same_period_last_year, status

S = {"warning_margin": "0.02", "marked_decline_percent": 10}


@pytest.mark.parametrize(
    ("comparison", "value", "threshold", "last_year", "expected"),
    [
        ("zero", 0, 0, None, "达标"),
        ("zero", 1, 0, None, "未达标"),
        ("at_least", 0.95, 0.95, None, "达标"),
        ("at_least", 0.94, 0.95, None, "预警"),  # short by 1 point, within the 2-point margin
        ("at_least", 0.92, 0.95, None, "未达标"),
        ("at_least", 1.0, 1.0, None, "达标"),  # 100% met is never a warning
        ("at_least", 0.99, 1.0, None, "预警"),
        ("at_most", 0.10, 0.10, None, "达标"),
        ("at_most", 0.115, 0.10, None, "预警"),
        ("at_most", 0.13, 0.10, None, "未达标"),
        ("at_least", 0.5, None, None, "无目标"),
        ("at_least", None, 0.9, None, "无数据"),
        ("below_last_year", 9, None, 10, "达标"),  # 10% down: 明显下降
        ("below_last_year", 9.5, None, 10, "预警"),  # down, but by less than 10%
        ("below_last_year", 10, None, 10, "未达标"),
        ("below_last_year", 0, None, 0, "达标"),
        ("below_last_year", 1, None, 0, "未达标"),
        ("below_last_year", 0.2, None, None, "无数据"),
    ],
)
def test_status(comparison, value, threshold, last_year, expected):
    assert status(comparison, value, threshold, last_year, S) == expected


def test_the_margin_and_the_decline_are_settings():
    assert status("at_least", 0.90, 0.95, None, {**S, "warning_margin": "0.05"}) == "预警"
    assert status("below_last_year", 9, None, 10, {**S, "marked_decline_percent": 20}) == "预警"


def test_same_period_last_year():
    assert same_period_last_year(dt.date(2028, 2, 1), dt.date(2028, 2, 29)) == (
        dt.date(2027, 2, 1),
        dt.date(2027, 2, 28),
    )
