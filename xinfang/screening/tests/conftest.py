import datetime as dt
from contextlib import contextmanager

import pytest
import time_machine

from xinfang.screening import services
from xinfang.screening.models import UnitReport

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# A real, valid ID number (check digit correct) for the tests' people.
ID_A = "321283198001010010"
ID_B = "321283198502020022"


@contextmanager
def at(moment: str):
    """Frozen at a Beijing time: at("2026-05-04 09:00")."""
    when = dt.datetime.fromisoformat(moment).replace(tzinfo=SHANGHAI)
    with time_machine.travel(when, tick=False):
        yield when


@pytest.fixture(autouse=True)
def storage(tmp_path, settings):
    settings.XINFANG_ATTACHMENT_DIR = tmp_path


def report_of(rnd, user) -> UnitReport:
    """The report `user` speaks for in `rnd`."""
    q = UnitReport.objects.filter(round=rnd)
    if user.role == "grid":
        return q.get(unit_kind="grid", grid_id=user.grid_id)
    if user.role == "village":
        return q.get(unit_kind="village", village_id=user.village_id)
    return q.get(unit_kind="department", department_id=user.department_id)


def item(**kw) -> services.ItemIn:
    data = {
        "kind": "dispute",
        "title": "土地流转费拖欠",
        "description": "村民反映 2025 年土地流转费未按时支付，情绪激动。",
        "risk_level": "medium",
    }
    data.update(kw)
    return services.ItemIn(**data)


@pytest.fixture
def rnd(cast):
    with at("2026-05-04 09:00"):
        return services.round_create(
            acting_user=cast["office"],
            name="2026 年第二季度矛盾纠纷集中排查",
            start=dt.date(2026, 5, 4),
            end=dt.date(2026, 5, 10),
            due=dt.date(2026, 5, 10),
        )
