import datetime as dt

from xinfang.cases.models import Case
from xinfang.meetings.choices import MeetingKind
from xinfang.meetings.periods import period_of, periods_between
from xinfang.meetings.selectors import cadence_rows

from .factories import meeting


def test_periods():
    assert period_of(dt.date(2026, 2, 14), "month") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert period_of(dt.date(2026, 12, 31), "quarter") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert period_of(dt.date(2026, 5, 1), "quarter") == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    months = periods_between(dt.date(2026, 1, 15), dt.date(2026, 3, 2), "month")
    assert [m[0].month for m in months] == [1, 2, 3]


def _owner_of_a_case(cast):
    leader = cast["leader1"].person
    Case.objects.filter(town=cast["office"].town).update(lead_leader=None)
    case = Case.objects.filter(town=cast["office"].town).first()
    if case is None:
        from .factories import register

        case = register(cast)
    Case.objects.filter(pk=case.pk).update(lead_leader=leader, assigned_on=dt.date(2026, 1, 5))
    return leader


def test_cadence_counts_held_against_required(cast):
    town = cast["office"].town
    leader = _owner_of_a_case(cast)
    for day in (3, 10):
        meeting(cast, MeetingKind.TASK_FORCE, dt.date(2026, 3, day), host=leader)
    meeting(cast, MeetingKind.TASK_FORCE, dt.date(2026, 4, 1), host=leader)  # next month
    meeting(cast, MeetingKind.JOINT, dt.date(2026, 3, 20))
    meeting(cast, MeetingKind.OTHER, dt.date(2026, 3, 21))
    meeting(cast, MeetingKind.PARTY_COMMITTEE, dt.date(2026, 2, 2))
    rows = cadence_rows(town, dt.date(2026, 3, 1), dt.date(2026, 3, 31), today=dt.date(2026, 4, 2))
    by_code = {(r["code"], r["leader_id"]): r for r in rows}
    task = by_code[("task_force_meeting", leader.pk)]
    assert (task["required"], task["held"], task["short"], task["ended"]) == (3, 2, True, True)
    assert [r["leader_id"] for r in rows if r["code"] == "task_force_meeting"] == [leader.pk]
    joint = by_code[("joint_meeting", None)]
    assert (joint["required"], joint["held"], joint["short"]) == (1, 1, False)
    report = by_code[("party_committee_report", None)]
    assert (report["period_start"], report["period_end"]) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert (report["held"], report["short"]) == (1, False)


def test_another_towns_meetings_do_not_count(cast, hetang):
    town = cast["office"].town
    meeting(cast, MeetingKind.JOINT, dt.date(2026, 3, 20), town=hetang)
    rows = cadence_rows(town, dt.date(2026, 3, 1), dt.date(2026, 3, 31), today=dt.date(2026, 3, 10))
    joint = next(r for r in rows if r["code"] == "joint_meeting")
    assert (joint["held"], joint["short"], joint["ended"]) == (0, True, False)


def test_a_leader_without_cases_is_not_bound(cast):
    town = cast["office"].town
    Case.objects.filter(town=town).update(lead_leader=None)
    rows = cadence_rows(town, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert not [r for r in rows if r["code"] == "task_force_meeting"]


def test_the_year_grid_keeps_each_month_in_its_column(cast):
    from xinfang.meetings.selectors import cadence_year_grid

    town = cast["office"].town
    leader = cast["leader1"].person
    Case.objects.filter(town=town).update(lead_leader=None)
    from .factories import register

    case = register(cast)
    # Owned from September: January to August are not the leader's to hold.
    Case.objects.filter(pk=case.pk).update(lead_leader=leader, assigned_on=dt.date(2026, 9, 10))
    meeting(cast, MeetingKind.TASK_FORCE, dt.date(2026, 10, 5), host=leader)
    first, last = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    grid = cadence_year_grid(cadence_rows(town, first, last, today=dt.date(2026, 12, 2)), first, last)
    line = next(g for g in grid if g["code"] == "task_force_meeting")
    assert len(line["cells"]) == 12
    assert line["cells"][:8] == [None] * 8
    assert [c["held"] for c in line["cells"][8:]] == [0, 1, 0, 0]
    quarters = next(g for g in grid if g["code"] == "party_committee_report")
    assert len(quarters["cells"]) == 4
