import pytest
from django.test import Client

from xinfang.demo.history import history_generate
from xinfang.demo.stability import stability_demo
from xinfang.stability.models import FollowUp, Incident, KeyPerson, ProtectionPeriod

pytestmark = pytest.mark.django_db


def test_the_demo_town_fills_every_stability_page(cast, fenjie):
    history_generate(town=fenjie, clerk=cast["office"], cases=400, days=240, seed=11)
    made = stability_demo(town=fenjie, users=cast)
    assert made["key_persons"] >= 10
    assert stability_demo(town=fenjie, users=cast) == {}  # once only
    assert ProtectionPeriod.objects.filter(town=fenjie).count() == 1
    assert Incident.objects.filter(town=fenjie).count() >= 2
    assert FollowUp.objects.filter(watch__town=fenjie, done_on__isnull=True).exists()
    assert KeyPerson.objects.filter(town=fenjie, keepers__isnull=True).exists()  # one 包保未落实
    office = Client()
    office.force_login(cast["office"])
    assert office.get("/api/v1/key-persons?short_today=true").json()["count"] >= 1
    grid = Client()
    grid.force_login(cast["grid1"])
    home = grid.get("/").content.decode()
    assert "我的重点人员" in home and "记见面" in home
    for path in (
        "/stability/key-persons/",
        "/stability/periods/",
        "/stability/incidents/",
        "/stability/follow-ups/",
    ):
        assert office.get(path).status_code == 200
