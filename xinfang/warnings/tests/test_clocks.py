"""Case clocks under frozen time: 50 / 75 / 90 % of the time used → blue / yellow / orange, past the
deadline → red, each stage once; a new deadline starts again. Each clock a case has."""

import datetime as dt

import pytest

from xinfang.cases.models import Case
from xinfang.plans.models import Milestone
from xinfang.warnings.models import Warning
from xinfang.warnings.rules import clock_stage

from .conftest import at, inbox_of, register

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    "today, expected",
    [
        (D(2026, 5, 30), None),  # 29 of 60 days: 48 %
        (D(2026, 5, 31), ("50", "blue", 50)),
        (D(2026, 6, 15), ("75", "yellow", 75)),
        (D(2026, 6, 24), ("90", "orange", 90)),
        (D(2026, 6, 30), ("90", "orange", 100)),  # the last day is still in time
        (D(2026, 7, 1), ("overdue", "red", 100)),
    ],
)
def test_the_stage_of_a_sixty_day_clock(today, expected):
    assert clock_stage(D(2026, 5, 1), D(2026, 6, 30), today, [50, 75, 90]) == expected


def test_a_town_with_two_percentages_has_yellow_then_orange():
    assert clock_stage(D(2026, 5, 1), D(2026, 5, 11), D(2026, 5, 7), [60, 80])[:2] == ("60", "yellow")
    assert clock_stage(D(2026, 5, 1), D(2026, 5, 11), D(2026, 5, 9), [60, 80])[:2] == ("80", "orange")
    # A clock that ends the day it starts is only ever overdue.
    assert clock_stage(D(2026, 5, 1), D(2026, 5, 1), D(2026, 5, 1), [50]) is None
    assert clock_stage(D(2026, 5, 1), D(2026, 5, 1), D(2026, 5, 2), [50])[:2] == ("overdue", "red")


def _handling_case(cast):
    with at("2026-05-01 09:00"):
        petition = register(cast, name="时限某")
    case = petition.case
    Case.objects.filter(pk=case.pk).update(
        state="handling",
        accepted_on=D(2026, 5, 1),
        handling_due=D(2026, 6, 30),
        lead_department=cast["dept1"].department,
        lead_leader=cast["leader1"].person,
    )
    return case


def _clock(case, clock="handling"):
    return list(Warning.objects.filter(subject=f"case:{case.pk}:{clock}").order_by("id"))


def test_the_handling_clock_warns_once_per_stage_to_the_office_the_unit_the_village_and_the_owner(cast, scan):
    case = _handling_case(cast)
    seen = []
    for moment, level in [
        ("2026-05-30 10:00", None),
        ("2026-05-31 10:00", "blue"),
        ("2026-06-01 10:00", None),  # still 50 %: nothing new
        ("2026-06-15 10:00", "yellow"),
        ("2026-06-24 10:00", "orange"),
        ("2026-07-01 10:00", "red"),
        ("2026-07-05 10:00", None),  # overdue already told
    ]:
        with at(moment):
            scan(rules={"case_clock"})
        now = _clock(case)
        new = now[len(seen) :]
        assert [w.level for w in new] == ([level] if level else []), moment
        seen = now
    # Overdue and told: the scan does not even read the case again (the EXISTS on the stored warning).
    with at("2026-07-06 10:00"):
        assert scan(rules={"case_clock"}).found == 0
    red = seen[-1]
    assert red.state == "2026-06-30:overdue" and "超期 1 天" in red.text and case.number in red.text
    assert inbox_of(red) == {"office", "dept1", "village1", "leader1"}
    assert not {"village2", "grid1", "supervisor", "h_office"} & inbox_of(red)


def test_an_extension_is_a_new_deadline_and_starts_the_stages_again(cast, scan):
    case = _handling_case(cast)
    with at("2026-06-24 10:00"):
        scan(rules={"case_clock"})
    assert [w.level for w in _clock(case)] == ["orange"]
    Case.objects.filter(pk=case.pk).update(state="extended", handling_due=D(2026, 7, 30))
    with at("2026-06-25 10:00"):
        scan(rules={"case_clock"})
    assert [w.state for w in _clock(case)] == ["2026-06-30:90", "2026-07-30:50"]  # 55 of 90 days


@pytest.mark.parametrize(
    "clock, fields, moment, level",
    [
        ("notify", {"state": "registered", "notify_due": D(2026, 5, 16)}, "2026-05-13 10:00", "yellow"),
        ("route", {"state": "accepted", "route_due": D(2026, 5, 16)}, "2026-05-15 10:00", "orange"),
        (
            "rating",
            {"state": "replied", "delivered_on": D(2026, 5, 1), "rating_due": D(2026, 5, 31)},
            "2026-05-16 10:00",
            "blue",
        ),
        (
            "review",
            {"state": "review", "review_requested_on": D(2026, 5, 1), "review_due": D(2026, 5, 31)},
            "2026-06-01 10:00",
            "red",
        ),
        (
            "resolve_by",
            {
                "state": "closed",
                "ledger_from": D(2026, 5, 1),
                "resolution": "open",
                "resolve_by": D(2026, 5, 31),
            },
            "2026-05-24 10:00",
            "yellow",
        ),
    ],
)
def test_each_clock_of_a_case(cast, scan, clock, fields, moment, level):
    with at("2026-05-01 09:00"):
        case = register(cast, name="各时限某").case
    Case.objects.filter(pk=case.pk).update(**fields)
    with at(moment):
        scan(rules={"case_clock"})
    warnings = _clock(case, clock)
    assert [w.level for w in warnings] == [level]
    assert warnings[0].url == f"/cases/{case.pk}/"


def test_a_clock_that_no_longer_runs_is_not_watched(cast, scan):
    case = _handling_case(cast)
    Case.objects.filter(pk=case.pk).update(state="replied", replied_on=D(2026, 6, 1))
    with at("2026-07-10 10:00"):
        scan(rules={"case_clock"})
    assert _clock(case) == []


def test_a_milestone_of_the_plan_is_a_clock_from_the_day_it_was_set(cast, scan):
    case = _handling_case(cast)
    with at("2026-05-01 10:00"):
        m = Milestone.objects.create(case=case, title="召开协调会", due_on=D(2026, 5, 11))
    with at("2026-05-06 10:00"):
        scan(rules={"case_clock"})
    with at("2026-05-12 10:00"):
        scan(rules={"case_clock"})
    assert [
        (w.level, w.state) for w in Warning.objects.filter(subject=f"milestone:{m.pk}").order_by("id")
    ] == [
        ("blue", "2026-05-11:50"),
        ("red", "2026-05-11:overdue"),
    ]
    m.done_on = D(2026, 5, 12)
    m.save()
    with at("2026-05-20 10:00"):
        scan(rules={"case_clock"})
    assert Warning.objects.filter(subject=f"milestone:{m.pk}").count() == 2  # done: no longer watched
