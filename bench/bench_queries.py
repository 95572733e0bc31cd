"""Benchmark: the slowest queries of one uncached dashboard request and the desk's notice counts, on an
existing database (run bench_dashboard.py first and reuse its data directory).

    XINFANG_DATA_DIR=/tmp/xinfang-bench-… .venv/bin/python bench/bench_queries.py [--user office]

Prints the notice counts' median of 10, then the dashboard asked twice with the cache cleared (the
second is the warm one) and its eight slowest queries, each timed by Django's query capture.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--user", default="office")
    args = parser.parse_args()
    if not os.environ.get("XINFANG_DATA_DIR") and not os.environ.get("DATABASE_URL"):
        sys.exit("Set XINFANG_DATA_DIR to a data directory with cases (see bench_dashboard.py).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xinfang.accounts.models import User
    from xinfang.core.dbstats import planner_stats_refresh
    from xinfang.notices.selectors import notice_counts

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    planner_stats_refresh()
    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.get(username=args.user)
    took = []
    for _ in range(10):
        started = time.perf_counter()
        counts = notice_counts(user=user)
        took.append((time.perf_counter() - started) * 1000)
    print(f"notice_counts {counts}: median {statistics.median(took):.1f} ms")
    client = Client()
    client.force_login(user)
    for attempt in ("first", "warm"):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/reports/dashboard/")
            elapsed = (time.perf_counter() - started) * 1000
        status = response.status_code
        print(f"dashboard uncached ({attempt}): {status}, {elapsed:.0f} ms, {len(queries)} queries")
    for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:8]:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:150]}")


if __name__ == "__main__":
    main()
