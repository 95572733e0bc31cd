import datetime as dt

from xinfang.cases.models import Case
from xinfang.cases.testing import SHANGHAI, on
from xinfang.meetings.choices import MeetingKind
from xinfang.meetings.warning_rules import cadence_missed
from xinfang.warnings.choices import Level
from xinfang.warnings.registry import RULES

from .factories import meeting, register


def _scan(town, day: str):
    with on(day):
        now = dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=SHANGHAI)
        return {f.subject: f for f in cadence_missed(town, now)}


def _owner(cast):
    leader = cast["leader1"].person
    town = cast["office"].town
    Case.objects.filter(town=town).update(lead_leader=None)
    case = register(cast)
    Case.objects.filter(pk=case.pk).update(lead_leader=leader, assigned_on=dt.date(2026, 1, 5))
    return leader


def test_the_rule_is_registered_with_the_engine():
    registered = RULES["meeting_cadence_missed"]
    assert registered.scan is cadence_missed and registered.level == Level.RED


def test_a_month_that_ended_short_is_red_and_names_the_leader(cast):
    town = cast["office"].town
    leader = _owner(cast)
    for day in (2, 9, 16):
        meeting(cast, MeetingKind.TASK_FORCE, dt.date(2026, 3, day), host=leader)
    meeting(cast, MeetingKind.TASK_FORCE, dt.date(2026, 4, 3), host=leader)
    found = _scan(town, "2026-05-02")
    april = found[f"cadence:task_force_meeting:{leader.pk}:2026-04-01"]
    assert (april.state, april.level) == ("missed", Level.RED)
    assert "召开 1 次" in april.text and "规定的 3 次" in april.text and leader.name in april.text
    assert april.user_ids == (cast["leader1"].pk,)
    assert "year=2026&month=4" in april.url
    # March was held three times: no finding; and it ended more than 35 days ago anyway.
    assert f"cadence:task_force_meeting:{leader.pk}:2026-03-01" not in found
    assert found["cadence:joint_meeting:town:2026-04-01"].level == Level.RED


def test_held_enough_gives_no_finding(cast):
    town = cast["office"].town
    meeting(cast, MeetingKind.JOINT, dt.date(2026, 4, 20))
    meeting(cast, MeetingKind.PARTY_COMMITTEE, dt.date(2026, 3, 30))
    found = _scan(town, "2026-05-02")
    assert "cadence:joint_meeting:town:2026-04-01" not in found
    assert "cadence:party_committee_report:town:2026-01-01" not in found


def test_a_period_nearly_over_and_short_is_yellow_and_early_in_it_nothing(cast):
    town = cast["office"].town
    meeting(cast, MeetingKind.JOINT, dt.date(2026, 4, 20))  # April done
    early = _scan(town, "2026-05-10")
    assert "cadence:joint_meeting:town:2026-05-01" not in early
    late = _scan(town, "2026-05-27")
    nearly = late["cadence:joint_meeting:town:2026-05-01"]
    assert (nearly.state, nearly.level) == ("nearly", Level.YELLOW)
    assert "还剩 5 天" in nearly.text
    after = _scan(town, "2026-06-01")
    assert after["cadence:joint_meeting:town:2026-05-01"].state == "missed"


def test_a_quarter_without_a_report_to_the_party_committee(cast):
    town = cast["office"].town
    found = _scan(town, "2026-04-03")
    report = found["cadence:party_committee_report:town:2026-01-01"]
    assert report.level == Level.RED and "2026年第1季度" in report.text
    # The same scan twice finds the same subjects and states: the engine will not fire twice.
    again = _scan(town, "2026-04-03")
    assert {(s, f.state) for s, f in again.items()} == {(s, f.state) for s, f in found.items()}
