import datetime as dt

import pytest
import time_machine

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen_day():
    """Every relief test runs on 2026-11-20 (Beijing time), so dates near month ends mean the same."""
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=SHANGHAI), tick=False):
        yield TODAY


def register_case(cast, *, user="office", village_of="village1", received="2026-09-01 08:00", category=None):
    """A case whose first petition came at `received` (Beijing time), with one petitioner."""
    from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

    clerk = cast[user]
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=dt.datetime.fromisoformat(received).replace(tzinfo=SHANGHAI),
            petitioner=PetitionerIn(name=f"困难户{clerk.town.name[:2]}", village=cast[village_of].village),
            title=f"生活困难请求救助（{clerk.town.name}）",
            content="家中有重病患者，生活困难。",
            category=category,
        ),
        acting_user=clerk,
    ).case


def record(cast, case, user="office", **over):
    from xinfang.relief.services import relief_record

    data = {
        "kind": "temporary",
        "amount": "2000",
        "given_on": "2026-11-03",
        "approved_by": "镇长（签批）",
        "approval_number": "分民〔2026〕12号",
        "note": "",
    }
    data.update(over)
    return relief_record(case_id=case.pk, acting_user=cast[user], **data)


@pytest.fixture
def case(cast):
    return register_case(cast)
