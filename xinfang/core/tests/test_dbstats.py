"""Planner statistics after a bulk load and every night (see core.dbstats for why)."""

import pytest
from django.db import connection

from xinfang.core.dbstats import planner_stats_refresh
from xinfang.core.tasks import planner_stats_nightly
from xinfang.demo.history import history_generate

pytestmark = pytest.mark.django_db


def _planner_knows(table: str, rows: int) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND idx IS NOT NULL", [table])
        else:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
        found = cursor.fetchall()
    return bool(found) and int(str(found[0][0]).split()[0]) >= rows


def test_after_a_bulk_load_the_planner_has_statistics(cast, fenjie):
    history_generate(town=fenjie, clerk=cast["office"], cases=1000, days=365, seed=1)
    assert planner_stats_refresh() >= 0
    assert _planner_knows("cases_case", 1000)
    assert _planner_knows("cases_caseevent", 1000)


def test_the_nightly_task_refreshes_them(cast, fenjie):
    history_generate(town=fenjie, clerk=cast["office"], cases=200, days=60, seed=2)
    planner_stats_nightly.call_local()
    assert _planner_knows("cases_case", 200)
