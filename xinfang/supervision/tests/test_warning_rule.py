"""督办单逾期未回复, the scanner alone under a frozen clock: nothing before the deadline has passed,
orange the day after, red a week after, nothing once replied; another town's notices stay out."""

import datetime as dt

import pytest
from django.utils import timezone

from xinfang.supervision.services import notice_reply
from xinfang.warnings.choices import Level
from xinfang.warnings.registry import RULES

from .conftest import at

pytestmark = pytest.mark.django_db


def _scan(town):
    rule = RULES["supervision_reply_overdue"]
    return list(rule.scan(town, timezone.now()))


def test_the_rule_is_registered_for_the_office_and_the_team():
    rule = RULES["supervision_reply_overdue"]
    assert rule.name == "督办单逾期未回复"
    assert {"office", "supervisor"} <= set(rule.roles)
    assert rule.scan is not None


def test_nothing_fires_until_the_deadline_has_passed(cast, issue):
    issue(due=dt.date(2026, 11, 9))
    with at("2026-11-09 23:59"):
        assert _scan(cast["office"].town) == []


def test_the_day_after_the_deadline_it_is_orange_and_names_the_unit(cast, issue):
    notice = issue(due=dt.date(2026, 11, 9))
    with at("2026-11-10 00:01"):
        (finding,) = _scan(cast["office"].town)
    assert finding.subject == f"supervision_notice:{notice.pk}"
    assert finding.state == "overdue" and finding.level == Level.ORANGE
    assert finding.village_id == cast["village1"].village_id and finding.department_id is None
    assert finding.case_id == notice.case_id
    assert "已逾期 1 日未回复" in finding.text and notice.number in finding.text
    assert finding.url == f"/supervision/{notice.pk}/"
    assert finding.user_ids == (cast["supervisor"].pk,)


def test_a_week_late_it_turns_red_with_a_new_state(cast, issue):
    issue(due=dt.date(2026, 11, 9))
    with at("2026-11-15 12:00"):
        (six_days,) = _scan(cast["office"].town)
    with at("2026-11-16 12:00"):
        (seven_days,) = _scan(cast["office"].town)
    assert (six_days.level, seven_days.level) == (Level.ORANGE, Level.RED)
    assert six_days.state != seven_days.state  # the engine fires again on the new state


def test_the_same_state_is_found_the_same_on_a_second_run(cast, issue):
    issue(due=dt.date(2026, 11, 9))
    with at("2026-11-11 08:00"):
        first, second = _scan(cast["office"].town), _scan(cast["office"].town)
    assert first == second and len(first) == 1


def test_a_replied_or_closed_notice_is_not_found(cast, issue):
    replied = issue(due=dt.date(2026, 11, 9))
    with at("2026-11-12 09:00"):
        notice_reply(acting_user=cast["village1"], notice_id=replied.pk, text="已落实（逾期回复）")
        assert _scan(cast["office"].town) == []


def test_a_department_notice_names_the_department_and_other_towns_are_not_scanned(cast, hetang, issue):
    notice = issue(unit="dept1", due=dt.date(2026, 11, 9))
    with at("2026-11-10 09:00"):
        (finding,) = _scan(cast["office"].town)
        assert _scan(hetang) == []
    assert finding.department_id == cast["dept1"].department_id and finding.village_id is None
    assert notice.unit_name in finding.text
