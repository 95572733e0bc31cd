"""Set-up shared by the tests of several apps: a case accepted and assigned the usual way, a frozen
day, and a step taken through the API as a member of the cast."""

import datetime as dt
from contextlib import contextmanager

import time_machine

from .models import Case
from .transitions import case_accept, case_assign


def accept_and_assign(
    cast,
    case: Case,
    *,
    clerk="office",
    village_of="village1",
    village=None,
    department=None,
    responsible=None,
    accept=True,
    **extra,
) -> Case:
    """Accepts the case (unless `accept` is False) and assigns it to the contact leader of `village`
    (or of the cast member `village_of`'s village), with dept1's department leading and the village's
    party head responsible, unless told otherwise; `extra` goes to case_assign as it is (plan,
    resolve_by, override_reason …)."""
    user = cast[clerk]
    village = village or cast[village_of].village
    if accept:
        case_accept(case_id=case.pk, acting_user=user)
    return case_assign(
        case_id=case.pk,
        acting_user=user,
        lead_department=department or cast["dept1"].department,
        lead_leader=village.contact_leader,
        responsible_persons=[p for p in [village.party_head] if p] if responsible is None else responsible,
        **extra,
    )


SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@contextmanager
def on(day: str):
    """The clock frozen at 10:00 Shanghai time on `day` ("2026-05-01")."""
    with time_machine.travel(dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=SHANGHAI), tick=False):
        yield


def act(who, case, action, **body):
    """A step through the API by `who` (a function that gives a signed-in client)."""
    return who().post(f"/api/v1/cases/{case.pk}/actions/{action}", body, content_type="application/json")
