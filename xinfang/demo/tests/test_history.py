"""The generated history obeys the same rules as registered cases."""

import pytest

from xinfang.cases import rules
from xinfang.cases.models import Case, CaseEvent, Petitioner
from xinfang.cases.ownership import ownership_propose
from xinfang.cases.services import PetitionerIn, PetitionIn, id_number_problem, petition_register
from xinfang.demo.history import history_generate

pytestmark = pytest.mark.django_db


def test_a_generated_town_has_cases_in_every_state_that_obey_the_rules(cast, fenjie):
    result = history_generate(town=fenjie, clerk=cast["office"], cases=2000, days=365, seed=1)
    cases = list(Case.objects.filter(town=fenjie))
    assert result.cases == len(cases) == 2000
    states = {c.state for c in cases}
    must = {"registered", "accepted", "not_accepted", "assigned", "handling", "extended", "replied", "rated"}
    assert must | {"closed"} <= states
    assert {c.resolution for c in cases} == {"open", "stabilized", "submitted", "resolved"}
    for c in cases:
        assert c.due_on == rules.current_due(c), c.number
        assert c.prominent == rules.prominent_stored(c, fenjie), c.number
        assert c.ledger_from == rules.ledger_from(c, fenjie), c.number
        if c.resolution == "resolved":
            assert c.resolved_on and c.resolution_signed_on and not c.rebound_at, c.number
        if c.rebound:
            assert c.resolution != "resolved" or c.resolved_on > c.rebound_at.date(), c.number
        if c.replied_on:
            assert c.accepted_on <= c.replied_on
        if c.delivered_on:  # the windows count from the day the opinion was received
            assert c.replied_on <= c.delivered_on and c.review_request_due > c.delivered_on, c.number
    owned = [c for c in cases if c.lead_leader_id and c.owner_rule in ("village", "line")][:150]
    assert owned
    for c in owned:  # the generated owner is the one the ownership rules propose
        assert ownership_propose(c).lead_leader.pk == c.lead_leader_id, c.number
    by_year = {}
    for c in cases:
        by_year.setdefault(c.year, []).append(c.seq)
    for seqs in by_year.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))  # gap-free
    assert CaseEvent.objects.filter(case__town=fenjie, kind="registered").count() == 2000
    numbers = [p.id_number for p in Petitioner.objects.filter(town=fenjie).exclude(id_number="")]
    assert len(numbers) == len(set(numbers)) and not any(id_number_problem(n) for n in numbers[:200])


def test_registration_after_generation_takes_the_next_number(cast, fenjie):
    history_generate(town=fenjie, clerk=cast["office"], cases=50, days=30, seed=2)
    last = Case.objects.filter(town=fenjie).order_by("-year", "-seq").first()
    case = petition_register(
        data=PetitionIn(
            channel="letter",
            received_at=last.received_at,
            petitioner=PetitionerIn(name="新来信人"),
            title="新事项",
            content="内容",
        ),
        acting_user=cast["office"],
    ).case
    assert (case.year, case.seq) == (last.year, last.seq + 1)


def test_assigned_generated_cases_have_their_two_way_notices(cast, fenjie):
    from xinfang.notices.models import AssignmentNotice

    history_generate(town=fenjie, clerk=cast["office"], cases=300, days=120, seed=4)
    assigned = Case.objects.filter(town=fenjie, assigned_on__isnull=False)
    notices = AssignmentNotice.objects.filter(case__town=fenjie)
    assert notices.filter(target="village").count() == assigned.exclude(village=None).count() > 0
    assert notices.filter(target="department").count() == assigned.exclude(lead_department=None).count()
    assert notices.filter(acknowledged_at__isnull=False).count() > notices.count() * 0.8


def test_generated_resolved_prominent_cases_have_all_five_haves(cast, fenjie):
    from xinfang.plans.rules import five_haves_missing

    history_generate(town=fenjie, clerk=cast["office"], cases=600, days=300, seed=5)
    resolved = Case.objects.filter(
        town=fenjie, resolution="resolved", prominent=True, lead_leader__isnull=False
    )
    assert resolved.exists()
    for case in resolved[:40]:
        assert five_haves_missing(case) == [], case.number
    open_prominent = Case.objects.filter(town=fenjie, prominent=True, state="handling")
    gaps = [c for c in open_prominent if five_haves_missing(c)]
    assert 0 < len(gaps) < open_prominent.count()  # most have a plan, some are still short


def test_demo_data_with_worker_processes_on_a_fresh_database(tmp_path):
    """The command a newcomer runs: big runs work the lives out in two processes while this one
    writes. Run in a fresh SQLite data directory, outside the test database."""
    import os
    import sqlite3
    import subprocess
    import sys

    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["XINFANG_DATA_DIR"] = str(tmp_path)
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    for command in (["migrate", "-v0"], ["seed_calendar"], ["setup_demo"]):
        subprocess.run([*manage, *command], env=env, check=True, capture_output=True)
    out = subprocess.run(
        [*manage, "demo_data", "--cases", "12000", "--seed", "9"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "生成信访事项 12000 件" in out
    db = sqlite3.connect(tmp_path / "xinfang.sqlite3")
    # setup_demo's 400, the screening demo's item registered as a case, and the 12,000.
    assert db.execute("select count(*) from cases_case").fetchone() == (12401,)
    for year, count, top in db.execute("select year, count(*), max(seq) from cases_case group by year"):
        assert count == top, year  # gap-free per year
    numbers = db.execute(
        "select count(*), count(distinct id_number) from cases_petitioner where id_number != ''"
    )
    total, distinct = numbers.fetchone()
    assert total == distinct > 9000
    orphans = db.execute(
        "select count(*) from cases_caseevent e left join cases_case c on c.id = e.case_id where c.id is null"
    )
    assert orphans.fetchone() == (0,)
    assert db.execute("select count(*) from notices_assignmentnotice").fetchone()[0] > 5000


def _indexes():
    from django.db import connection

    from xinfang.notices.models import AssignmentNotice

    tables = [m._meta.db_table for m in (Case, CaseEvent, Petitioner, AssignmentNotice)]
    with connection.cursor() as cursor:
        return {
            t: sorted(
                (tuple(c["columns"]), c["unique"])
                for c in connection.introspection.get_constraints(cursor, t).values()
                if c["index"] or c["unique"]
            )
            for t in tables
        }


def test_a_bulk_run_builds_every_index_again_and_a_failed_one_leaves_them(cast, fenjie, monkeypatch):
    from xinfang.demo import history

    before = _indexes()
    assert any(not unique for _, unique in before[Case._meta.db_table])
    monkeypatch.setattr(history, "BULK_INDEXES", 1)  # small runs keep their indexes; force the bulk path
    history_generate(town=fenjie, clerk=cast["office"], cases=300, days=60, seed=3)
    assert _indexes() == before
    assert Case.objects.filter(town=fenjie).count() == 300

    real_insert = history._insert

    def failing(model, columns, rows, indexes):
        real_insert(model, columns, rows, indexes)
        if model is CaseEvent:
            raise RuntimeError("disk full")

    monkeypatch.setattr(history, "_insert", failing)
    with pytest.raises(RuntimeError):
        history_generate(town=fenjie, clerk=cast["office"], cases=300, days=60, seed=4)
    assert _indexes() == before
    assert Case.objects.filter(town=fenjie).count() == 300


@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "sqlite",
    reason="SQLite only: PostgreSQL keeps checking foreign keys during the run",
)
def test_a_row_pointing_to_no_case_fails_the_check_that_ends_a_run(cast, fenjie):
    from django.db import IntegrityError, connection

    from xinfang.demo import history

    history_generate(town=fenjie, clerk=cast["office"], cases=20, days=30, seed=5)
    history._foreign_keys_check({CaseEvent._meta.db_table, Case._meta.db_table})  # all in order
    with connection.cursor() as cursor:  # the key is checked at commit, so the test can write it
        cursor.execute(
            f"INSERT INTO {CaseEvent._meta.db_table} (case_id, kind, at, data) "
            "VALUES (987654, 'registered', '2026-01-01 00:00:00', '{}')"
        )
    with pytest.raises(IntegrityError, match="cases_caseevent: 1 rows point to no row"):
        history._foreign_keys_check({CaseEvent._meta.db_table})
    CaseEvent.objects.filter(case_id=987654).delete()  # the test's own teardown checks keys too


def test_threat_cases_say_so_and_the_detector_found_it(fenjie, cast):
    """The demo's 扬言 cases carry threat language, and their petitions the detector's hits."""
    from xinfang.cases.models import Petition

    history_generate(town=fenjie, clerk=cast["office"], cases=400, days=200, seed=7)
    first = Petition.objects.filter(case__town=fenjie, is_repeat=False)
    flagged = list(first.filter(has_threat=True))
    assert flagged, "some demo cases are 扬言"
    for p in flagged:
        assert p.case.has_threat and not p.threat_marked
        assert p.threat_hits, p.content
        for hit in p.threat_hits:
            assert p.content[hit["start"] : hit["end"]] == hit["phrase"]
    assert not first.filter(has_threat=False).exclude(threat_hits=[]).exists()
