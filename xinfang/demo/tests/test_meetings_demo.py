import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from xinfang.demo.history import history_generate
from xinfang.demo.meetings import meetings_demo
from xinfang.meetings.models import Meeting, Reception, ReceptionPetition
from xinfang.meetings.periods import period_of
from xinfang.meetings.selectors import cadence_rows

pytestmark = pytest.mark.django_db


def test_the_demo_town_shows_meetings_held_and_short(cast, fenjie):
    history_generate(town=fenjie, clerk=cast["office"], cases=300, days=200, seed=13)
    made = meetings_demo(town=fenjie, users=cast)
    assert made["meetings"] >= 5
    assert meetings_demo(town=fenjie, users=cast) == {}  # once only
    today = timezone.localdate()
    start = period_of(today - dt.timedelta(days=80), "month")[0]
    rows = [r for r in cadence_rows(fenjie, start, today) if r["ended"]]
    assert any(r["short"] for r in rows) and any(not r["short"] for r in rows)
    leader = cast["leader1"].person
    assert any(r["leader_id"] == leader.pk and not r["short"] for r in rows)
    assert Meeting.objects.filter(town=fenjie, kind="party_committee").count() == 1
    assert Reception.objects.filter(town=fenjie).count() == 2
    office = Client()
    office.force_login(cast["office"])
    page = office.get("/meetings/cadence/?view=year").content.decode()
    assert "table-danger" in page and "table-success" in page
    assert ReceptionPetition.objects.filter(reception__town=fenjie).count() >= 1
