import datetime as dt

import pytest
from django.utils import timezone

from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.testing import accept_and_assign, on
from xinfang.metrics import counting, selectors
from xinfang.org.models import Category

pytestmark = pytest.mark.django_db


def test_smoke(cast, client_as):
    with on("2026-05-01"):
        p = petition_register(
            data=PetitionIn(
                channel="online",
                received_at=timezone.now(),
                petitioner=PetitionerIn(name="甲某", village=cast["village1"].village),
                title="t",
                content="c",
                category=Category.objects.filter(lead=cast["dept1"].department).first(),
                skip_level="county",
            ),
            acting_user=cast["office"],
        )
        accept_and_assign(cast, p.case, override_reason="联席会议2026-05-01确定")
    with on("2026-06-01"):
        items = selectors.metrics_for(cast["office"], dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        for m in items:
            print(m.key, m.value, m.numerator, m.denominator, m.status, m.last_year)
        assert counting.check() == []
        r = client_as("office").get("/api/v1/metrics?from=2026-01-01&to=2026-12-31")
        assert r.status_code == 200, r.json()
        for m in r.json()["items"]:
            if m["drill"]:
                d = client_as("office").get(m["drill"])
                assert d.status_code == 200, (m["key"], d.json())
                assert d.json()["count"] == m["numerator"], m
        page = client_as("office").get("/metrics/prominent_cases/?from=2026-01-01&to=2026-12-31")
        assert page.status_code == 200
        assert "分信" in page.content.decode()
