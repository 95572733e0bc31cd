"""The demo's supervision: an overdue, a replied, a waiting and a closed notice, a visit, a record."""

import pytest
from django.utils import timezone

from xinfang.core.testing import cast_ensure
from xinfang.demo.history import history_generate
from xinfang.demo.supervision import supervision_demo
from xinfang.scoring.models import Accountability
from xinfang.supervision.models import SupervisionNotice, SupervisionVisit

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_notice_in_each_state_and_runs_once(cast):
    users = cast_ensure()
    town = users["office"].town
    history_generate(town=town, clerk=users["office"], cases=60, days=120, seed=5)
    made = supervision_demo(town=town, users=users)
    today = timezone.localdate()
    states = sorted(n.status_on(today) for n in SupervisionNotice.objects.filter(town=town))
    assert states == ["closed", "issued", "overdue", "replied"]
    assert made["notices"] == 4
    assert SupervisionVisit.objects.filter(town=town).count() == 1
    assert Accountability.objects.filter(town=town).count() == 1
    assert supervision_demo(town=town, users=users) == {}
