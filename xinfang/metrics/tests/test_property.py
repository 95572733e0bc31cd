"""Over random histories (seeded, tests/histories.py): for every metric, every reader, every unit and
several periods, the list behind the number counts exactly the number; the count tables kept change
by change equal a full recount, and a rebuild gives the same tables."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from xinfang.cases.models import Case
from xinfang.cases.testing import on
from xinfang.metrics import counting, selectors
from xinfang.metrics.models import Count, PersonFact

from .histories import history

pytestmark = pytest.mark.django_db
READERS = ["office", "leader1", "village1", "village2", "grid1", "dept1", "supervisor"]


@pytest.fixture(autouse=True)
def storage(tmp_path, settings):
    settings.XINFANG_ATTACHMENT_DIR = tmp_path


def _periods(rng: random.Random) -> list[tuple[dt.date, dt.date]]:
    first = dt.date(2026, 3, 1)
    out = [(dt.date(2026, 1, 1), dt.date(2026, 12, 31)), (dt.date(2026, 3, 1), dt.date(2026, 3, 31))]
    a, b = sorted(rng.sample(range(0, 60), 2))
    out.append((first + dt.timedelta(days=a), first + dt.timedelta(days=b)))
    return out


def _units(cast) -> list[dict]:
    village = cast["village1"].village
    line = cast["dept1"].department_id
    return [
        {},
        {"village": village.pk},
        {"line": line},
        {"owner": village.contact_leader_id},
        {"village": village.pk, "line": line},
    ]


def _drills_match(user, start, end, **unit) -> int:
    checked = 0
    for m in selectors.metrics_for(user, start, end, **unit):
        if m.numerator is None:
            assert m.drill is None
            continue
        _, listed = selectors.drill_queryset(user, m.key, start, end, **unit)
        assert listed.count() == m.numerator, (user.username, m.key, start, end, unit)
        if m.denominator is not None and m.drill_kind != "persons":
            _, whole = selectors.drill_queryset(user, m.key, start, end, part="denominator", **unit)
            assert whole.count() == m.denominator, (user.username, m.key, "denominator", unit)
        checked += 1
    return checked


@pytest.mark.parametrize("seed", [1, 2])
def test_drills_count_the_numbers_and_tables_equal_a_recount(cast, seed):
    cases = history(cast, seed)
    assert len(cases) > 20
    rng = random.Random(seed)
    checked = 0
    with on("2026-04-05"):
        assert counting.check() == []
        for start, end in _periods(rng):
            for who in READERS:
                checked += _drills_match(cast[who], start, end)
            for unit in _units(cast):
                checked += _drills_match(cast["office"], start, end, **unit)
            checked += _drills_match(cast["county"], start, end, town=cast["office"].town_id)
    assert checked > 300
    # The tables kept change by change are those a rebuild makes.
    before = sorted(
        Count.objects.exclude(n=0).values_list("town_id", "dim", "unit", "key", "day", "accusation", "n")
    )
    persons = sorted(PersonFact.objects.values_list("case_id", "petitioner_id", "day"))
    counting.rebuild()
    assert before == sorted(
        Count.objects.exclude(n=0).values_list("town_id", "dim", "unit", "key", "day", "accusation", "n")
    )
    assert persons == sorted(PersonFact.objects.values_list("case_id", "petitioner_id", "day"))
    # Somewhere in the history the metrics met something of each kind.
    assert Count.objects.filter(key="pet_rep", n__gt=0).exists()
    assert Count.objects.filter(key="rated", n__gt=0).exists()
    assert Count.objects.filter(key__startswith="inc_", n__gt=0).exists()


def test_a_change_the_hook_missed_is_found_by_the_check(cast):
    history(cast, 3, days=8)
    with on("2026-03-20"):
        assert counting.check() == []
        case = Case.objects.filter(town=cast["office"].town).order_by("pk").first()
        # Written behind the services' back (as a bulk import would): the check must see it.
        Case.objects.filter(pk=case.pk).update(received_at=case.received_at - dt.timedelta(days=10))
        problems = counting.check()
        assert any(", new," in p or "，new，" in p for p in problems), problems
        assert any(f"事项 {case.pk}" in p for p in problems)
        counting.rebuild()
        assert counting.check() == []


def test_the_generated_history_is_counted(cast):
    from xinfang.demo.history import history_generate

    town = cast["office"].town
    history_generate(town=town, clerk=cast["office"], cases=300, days=200, seed=5, workers=1)
    assert counting.check() == []
    # And random steps on top of it keep the tables right.
    history(cast, 4, start=timezone.localdate(), days=3)
    assert counting.check() == []
