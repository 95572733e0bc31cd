import pytest
from django.test import Client

from xinfang.demo.screening import screening_demo
from xinfang.screening import selectors
from xinfang.screening.models import Assessment, ScreeningItem, ScreeningRound

pytestmark = pytest.mark.django_db


def test_the_demo_town_has_a_finished_round_with_one_missing_unit(cast, fenjie):
    made = screening_demo(town=fenjie, users=cast)
    assert made["rounds"] == 2
    assert screening_demo(town=fenjie, users=cast) == {}  # once only
    finished = ScreeningRound.objects.get(town=fenjie, kind="campaign")
    missing = selectors.missing_reports(fenjie, finished.start, finished.due)
    assert [m["unit_kind"] for m in missing] == ["village"]
    assert finished.reports.filter(is_zero=True).count() > 10
    outcomes = set(ScreeningItem.objects.filter(round=finished).values_list("outcome", flat=True))
    assert {"case", "closed", "open"} <= outcomes
    assert Assessment.objects.filter(town=fenjie, status="pending", level="line").count() == 1
    office = Client()
    office.force_login(cast["office"])
    html = office.get(f"/screening/rounds/{finished.pk}/").content.decode()
    assert "漏报单位（1）" in html
    assert office.get(f"/screening/rounds/{finished.pk}/cross/").status_code == 200
