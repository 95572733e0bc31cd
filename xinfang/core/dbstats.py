"""Planner statistics. Without them SQLite guesses, and at 100,000 cases it guessed wrong: the
ledger's overdue-milestone mark walked every open milestone through a (done_on, due_on) index
instead of the 30 cases of the page by case_id. ANALYZE after a bulk load and nightly keeps its
choices right; PostgreSQL's autovacuum does the same on its own, an ANALYZE after a bulk load helps
it sooner."""

import time

from django.db import connection


def planner_stats_refresh() -> float:
    """Runs ANALYZE on the whole database; returns the seconds it took."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started
