"""The scanners of 排查未报送 and 研判缺失, called directly under frozen time."""

import datetime as dt

import pytest

from xinfang.screening import services
from xinfang.screening.models import UnitReport
from xinfang.warnings.registry import RULES

from .conftest import at, report_of

DETAILS = {
    "risk_level": "low",
    "conclusion": "无新增风险",
    "next_step": "继续排查",
    "participants": "镇信访办",
}


def scan(key, town, when: str):
    with at(when) as now:
        return list(RULES[key].scan(town, now))


def test_rules_are_registered():
    assert RULES["screening_missing_report"].scan is not None
    assert RULES["assessment_missing"].scan is not None
    assert "office" in RULES["screening_missing_report"].roles


def test_missing_report_fires_after_the_due_day_only(cast, rnd):
    town = cast["office"].town
    with at("2026-05-09 09:00"):
        services.report_submit(
            acting_user=cast["village1"], report_id=report_of(rnd, cast["village1"]).pk, zero=True
        )
    assert scan("screening_missing_report", town, "2026-05-10 23:59") == []
    found = scan("screening_missing_report", town, "2026-05-11 00:01")
    unreported = UnitReport.objects.filter(round=rnd, submitted_at=None)
    assert len(found) == unreported.count()
    assert {f.subject for f in found} == {f"screening_report:{r.pk}" for r in unreported}
    assert all(f.state == "missing" and "零报告" in f.text and f.url.endswith(f"/{rnd.pk}/") for f in found)
    assert not any(f.village_id == cast["village1"].village_id and "·" not in f.text for f in found)
    grid = next(f for f in found if f.subject == f"screening_report:{report_of(rnd, cast['grid1']).pk}")
    assert grid.user_ids == (cast["grid1"].pk,)
    dept = next(f for f in found if f.subject == f"screening_report:{report_of(rnd, cast['dept1']).pk}")
    assert dept.department_id == cast["dept1"].department_id
    # Twice: the same findings (the engine stores each once).
    assert scan("screening_missing_report", town, "2026-05-11 00:01") == found
    # A late report silences its finding.
    with at("2026-05-11 08:00"):
        services.report_submit(
            acting_user=cast["grid1"], report_id=report_of(rnd, cast["grid1"]).pk, zero=True
        )
    assert len(scan("screening_missing_report", town, "2026-05-11 09:00")) == len(found) - 1
    # Long after (beyond the look-back): no longer told.
    assert scan("screening_missing_report", town, "2026-06-30 09:00") == []


def test_no_finding_for_another_town(cast, rnd, hetang):
    assert scan("screening_missing_report", hetang, "2026-05-12 09:00") == []


def test_assessment_missing_weekly(cast):
    town = cast["office"].town
    town.screening = {**town.screening, "assessment_levels": ["village"]}
    town.save()
    rnd = services.round_create(
        acting_user=cast["office"], name="排查", start="2026-05-04", end="2026-05-10", due="2026-05-10"
    )
    rep = report_of(rnd, cast["village1"])
    from .conftest import item

    services.report_submit(acting_user=cast["village1"], report_id=rep.pk, items=[item()])
    subject = rep.items.get()
    with at("2026-05-06 10:00"):
        services.assessment_record(acting_user=cast["village1"], item_id=subject.pk, **DETAILS)
    # During the week: the week is not over.
    assert [f for f in scan("assessment_missing", town, "2026-05-10 20:00") if "05-04" in f.subject] == []
    found = [
        f for f in scan("assessment_missing", town, "2026-05-11 08:00") if f.subject.endswith("2026-05-04")
    ]
    villages = town.villages.count()
    assert len(found) == villages - 1
    assert f"assessment:village:{cast['village1'].village_id}:2026-05-04" not in {f.subject for f in found}
    assert all(f.level is None and "常态研判" in f.text for f in found)


def test_assessment_missing_in_wartime_is_orange(cast):
    from xinfang.stability.models import ProtectionPeriod

    town = cast["office"].town
    town.screening = {**town.screening, "assessment_levels": ["town"]}
    town.save()
    ProtectionPeriod.objects.create(
        town=town,
        name="国庆保障期",
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 10, 7),
        level="national",
        created_by=cast["office"],
    )
    found = scan("assessment_missing", town, "2026-10-03 09:00")
    wartime = [f for f in found if f.level == "orange"]
    assert {f.subject for f in wartime} == {
        f"assessment:town:{town.pk}:2026-10-01",
        f"assessment:town:{town.pk}:2026-10-02",
    }
    assert all("战时研判" in f.text for f in wartime)


@pytest.mark.parametrize("key", ["screening_missing_report", "assessment_missing"])
def test_scanners_are_quiet_for_a_town_with_nothing_due(cast, hetang, key):
    hetang.screening = {**(hetang.screening or {}), "assessment_levels": ["town"]}
    hetang.save()
    if key == "screening_missing_report":
        assert scan(key, hetang, "2026-05-12 09:00") == []
