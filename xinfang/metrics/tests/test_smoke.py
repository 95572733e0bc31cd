"""The count tables follow a registration, a step, and a 五不 incident recorded, changed and removed."""

import datetime as dt

import pytest
from django.utils import timezone

from xinfang.cases.testing import on
from xinfang.metrics import counting, selectors
from xinfang.metrics.models import Count, Facts
from xinfang.stability.models import Incident
from xinfang.stability.services import incident_record

from .town import assign, register

pytestmark = pytest.mark.django_db
YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def value(user, key):
    return next(m for m in selectors.metrics_for(user, *YEAR) if m.key == key)


def test_registration_step_and_incident_are_counted_in_their_transaction(cast, client_as):
    office = cast["office"]
    with on("2026-05-01"):
        case = register(cast, name="甲某", channel="online", skip_level="county")
        assert Count.objects.filter(key="pet_online", n=1, dim="t").exists()
        assign(cast, case)
    with on("2026-06-01"):
        assert value(office, "skip_level_persons").value == 1
        assert value(office, "timely_acceptance_rate").numerator == 1
        incident = incident_record(
            acting_user=office,
            kind="media_hype",
            occurred_at=timezone.now(),
            level_reached="county",
            case_ids=[case.pk],
        )
        assert value(office, "negative_hype").value == 1
        assert value(cast["village1"], "negative_hype").value == 1  # the case's village
        assert value(cast["village2"], "negative_hype").value == 0
        Incident.objects.filter(pk=incident.pk).first().delete()
        assert value(office, "negative_hype").value == 0
        assert not Facts.objects.filter(source=Facts.INCIDENT, object_id=incident.pk).exists()
        assert counting.check() == []
        page = client_as("office").get("/metrics/skip_level_persons/?from=2026-01-01&to=2026-12-31")
        assert page.status_code == 200 and "甲某" in page.content.decode()
