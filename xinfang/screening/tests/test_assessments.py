"""四级研判: records at each level, escalation, and the missing list per cadence window."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xinfang.org.models import Department, Grid, Village
from xinfang.screening import rules, selectors, services
from xinfang.screening.models import Assessment, ScreeningItem
from xinfang.stability.models import ProtectionPeriod

from .conftest import at, item, report_of

DETAILS = {
    "risk_level": "medium",
    "conclusion": "矛盾可控",
    "next_step": "三日内入户调解",
    "participants": "村支书、网格员",
}


@pytest.fixture
def found(cast, rnd):
    rep = report_of(rnd, cast["grid1"])
    dept = cast["dept1"].department
    with at("2026-05-05 09:00"):
        services.report_submit(
            acting_user=cast["grid1"], report_id=rep.pk, items=[item(department_id=dept.pk)]
        )
    return ScreeningItem.objects.get(report=rep)


def test_escalation_grid_to_village_to_line_to_town(cast, found):
    with at("2026-05-05 10:00"):
        grid = services.assessment_record(acting_user=cast["grid1"], item_id=found.pk, **DETAILS)
        assert (grid.level, grid.grid_id, grid.village_id) == (
            "grid",
            cast["grid1"].grid_id,
            cast["grid1"].village_id,
        )
        village = services.assessment_escalate(
            acting_user=cast["grid1"], assessment_id=grid.pk, reason="涉及多户"
        )
        assert (village.level, village.status, village.village_id) == (
            "village",
            "pending",
            cast["village1"].village_id,
        )
        assert village.escalation_reason == "涉及多户" and village.escalated_from == grid
        # Escalating twice is refused; the next level must hold its own first.
        with pytest.raises(ValidationError):
            services.assessment_escalate(acting_user=cast["grid1"], assessment_id=grid.pk, reason="再报")
        with pytest.raises(ValidationError):
            services.assessment_escalate(
                acting_user=cast["village1"], assessment_id=village.pk, reason="上报"
            )
        # Only the village holds the village's assessment.
        with pytest.raises(PermissionDenied):
            services.assessment_complete(acting_user=cast["grid1"], assessment_id=village.pk, **DETAILS)
        services.assessment_complete(acting_user=cast["village1"], assessment_id=village.pk, **DETAILS)
        line = services.assessment_escalate(
            acting_user=cast["village1"], assessment_id=village.pk, reason="需条线研判"
        )
        # The line the item concerns.
        assert line.level == "line" and line.department == cast["dept1"].department
        services.assessment_complete(acting_user=cast["dept1"], assessment_id=line.pk, **DETAILS)
        town = services.assessment_escalate(
            acting_user=cast["dept1"], assessment_id=line.pk, reason="需镇级协调"
        )
        assert town.level == "town"
        for username in ("leader1", "supervisor", "county", "dept1", "village1"):
            with pytest.raises(PermissionDenied):
                services.assessment_complete(acting_user=cast[username], assessment_id=town.pk, **DETAILS)
        services.assessment_complete(
            acting_user=cast["office"], assessment_id=town.pk, **{**DETAILS, "risk_level": "high"}
        )
        with pytest.raises(ValidationError) as exc:
            services.assessment_escalate(acting_user=cast["office"], assessment_id=town.pk, reason="再报")
        assert "最高一级" in exc.value.message_dict["level"][0]
    assert Assessment.objects.filter(status="done").count() == 4


@pytest.mark.parametrize("username", ["leader1", "supervisor", "county", "sysadmin"])
def test_readers_do_not_assess(cast, found, username):
    with pytest.raises(PermissionDenied):
        services.assessment_record(acting_user=cast[username], item_id=found.pk, **DETAILS)


def test_assessment_input_and_scope(cast, found):
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(acting_user=cast["village1"], **DETAILS)
    assert "研判对象" in exc.value.message_dict["subject"][0]
    # Another village's user cannot assess (nor learn of) this village's item.
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(acting_user=cast["village2"], item_id=found.pk, **DETAILS)
    assert "不在您的范围内" in exc.value.message_dict["item"][0]
    with pytest.raises(ValidationError):
        services.assessment_record(acting_user=cast["h_office"], item_id=found.pk, **DETAILS)
    for bad, field in [
        ({"conclusion": ""}, "conclusion"),
        ({"risk_level": "x"}, "risk_level"),
        ({"held_on": "2099-01-01"}, "held_on"),
        ({"held_on": "昨天"}, "held_on"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.assessment_record(acting_user=cast["village1"], item_id=found.pk, **{**DETAILS, **bad})
        assert field in exc.value.message_dict
    assert not Assessment.objects.exists()


def test_windows_weekly_and_daily_in_a_protection_period():
    settings = rules.config(None)
    # Mon 2026-05-04 … Sun 2026-05-17: two calendar weeks.
    wins = rules.windows(settings, dt.date(2026, 5, 4), dt.date(2026, 5, 17))
    assert [(w.start, w.end, w.cadence) for w in wins] == [
        (dt.date(2026, 5, 4), dt.date(2026, 5, 10), "normal"),
        (dt.date(2026, 5, 11), dt.date(2026, 5, 17), "normal"),
    ]
    # A period from Wed 13 to Fri 15: those days are daily windows, the rest of the week one window.
    wins = rules.windows(
        settings, dt.date(2026, 5, 11), dt.date(2026, 5, 17), [(dt.date(2026, 5, 13), dt.date(2026, 5, 15))]
    )
    assert [(w.start, w.end, w.cadence) for w in wins] == [
        (dt.date(2026, 5, 13), dt.date(2026, 5, 13), "wartime"),
        (dt.date(2026, 5, 14), dt.date(2026, 5, 14), "wartime"),
        (dt.date(2026, 5, 15), dt.date(2026, 5, 15), "wartime"),
        (dt.date(2026, 5, 11), dt.date(2026, 5, 17), "normal"),
    ]
    assert dt.date(2026, 5, 13) not in wins[-1].days


def test_missing_assessments_per_unit_and_window(cast, found):
    town = cast["office"].town
    units = (
        Grid.objects.filter(village__town=town).count()
        + Village.objects.filter(town=town).count()
        + Department.objects.filter(town=town).count()
        + 1
    )
    with at("2026-05-06 10:00"):
        services.assessment_record(acting_user=cast["grid1"], item_id=found.pk, **DETAILS)
        services.assessment_record(acting_user=cast["village1"], item_id=found.pk, **DETAILS)
    # The week is not over yet: nothing missing.
    assert (
        selectors.missing_assessments(
            town, dt.date(2026, 5, 4), dt.date(2026, 5, 10), today=dt.date(2026, 5, 10)
        )
        == []
    )
    missing = selectors.missing_assessments(
        town, dt.date(2026, 5, 4), dt.date(2026, 5, 10), today=dt.date(2026, 5, 11)
    )
    assert len(missing) == units - 2
    keys = {(m["level"], m["grid_id"], m["village_id"], m["department_id"]) for m in missing}
    assert ("grid", cast["grid1"].grid_id, cast["grid1"].village_id, None) not in keys
    assert ("village", None, cast["village1"].village_id, None) not in keys
    assert ("village", None, cast["village2"].village_id, None) in keys
    assert ("town", None, None, None) in keys
    assert {(m["window_start"], m["window_end"]) for m in missing} == {
        (dt.date(2026, 5, 4), dt.date(2026, 5, 10))
    }


def test_missing_assessments_daily_in_wartime(cast, found):
    town = cast["office"].town
    town.screening = {**town.screening, "assessment_levels": ["town"]}
    town.save()
    ProtectionPeriod.objects.create(
        town=town,
        name="五一保障期",
        start=dt.date(2026, 5, 1),
        end=dt.date(2026, 5, 5),
        level="county",
        created_by=cast["office"],
    )
    with at("2026-05-04 10:00"):
        services.assessment_record(acting_user=cast["office"], item_id=found.pk, **DETAILS)
    missing = selectors.missing_assessments(
        town, dt.date(2026, 5, 1), dt.date(2026, 5, 5), today=dt.date(2026, 5, 6)
    )
    assert [(m["window_start"], m["cadence"]) for m in missing] == [
        (dt.date(2026, 5, 1), "wartime"),
        (dt.date(2026, 5, 2), "wartime"),
        (dt.date(2026, 5, 3), "wartime"),
        (dt.date(2026, 5, 5), "wartime"),
    ]
