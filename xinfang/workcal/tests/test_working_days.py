import datetime as dt

import pytest

from xinfang.workcal.models import CalendarDay
from xinfang.workcal.services import (
    add_calendar_days,
    add_working_days,
    calendar_changed,
    calendar_seed,
    is_workday,
    working_days_between,
)

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def fresh_cache():
    calendar_changed()
    yield
    calendar_changed()


def test_the_2026_national_day_holiday_and_its_make_up_saturday():
    assert all(not is_workday(D(2026, 10, d)) for d in range(1, 8))
    assert is_workday(D(2026, 10, 10)) and D(2026, 10, 10).weekday() == 5  # 调休上班 Saturday
    assert is_workday(D(2026, 9, 20)) and D(2026, 9, 20).weekday() == 6  # 调休上班 Sunday
    assert not is_workday(D(2026, 10, 11))  # an ordinary Sunday


def test_five_working_days_across_national_day_count_the_make_up_saturday():
    # Registered on 30 September: 8, 9, 10 (Saturday, worked), 12, 13 October.
    assert add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5


def test_a_calendar_day_limit_ending_in_the_holiday_moves_to_the_next_working_day():
    assert add_calendar_days(D(2026, 9, 16), 15) == D(2026, 10, 8)  # 1 October is a holiday
    assert add_calendar_days(D(2026, 8, 3), 60) == D(2026, 10, 8)  # the 60-day handling limit
    assert add_calendar_days(D(2026, 9, 1), 15) == D(2026, 9, 16)  # an ordinary Wednesday stays


def test_a_year_the_library_does_not_know_is_entered_by_hand_and_kept_on_reseed():
    # 2027's National Day as the State Council might announce it: not in the library yet.
    assert is_workday(D(2027, 10, 4))  # Monday, only the weekday rule so far
    CalendarDay.objects.create(date=D(2027, 10, 4), is_workday=False, name="国庆节")
    CalendarDay.objects.filter(date=D(2026, 10, 10)).update(
        is_workday=False, name="本镇更正", source="manual"
    )
    calendar_seed()
    calendar_changed()
    assert not is_workday(D(2027, 10, 4))
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).name == "本镇更正"


def test_seeding_twice_changes_nothing():
    before = CalendarDay.objects.count()
    result = calendar_seed()
    assert result["created"] == 0 and result["updated"] == 0
    assert CalendarDay.objects.count() == before > 500


def test_the_system_administrator_edits_the_calendar_and_the_change_is_audited(client_as):
    from xinfang.audit.models import AuditEvent

    response = client_as("sysadmin").post(
        "/manage/workcal/calendarday/add/", {"date": "2027-10-01", "is_workday": "", "name": "国庆节"}
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=D(2027, 10, 1))
    assert day.source == "manual" and not day.is_workday
    assert AuditEvent.objects.filter(event="create", target_type="节假日与调休").exists()
    assert not is_workday(D(2027, 10, 1))
    assert client_as("office").get("/manage/workcal/calendarday/").status_code == 403
