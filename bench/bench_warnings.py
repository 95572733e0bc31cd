"""Benchmark: the warning scan over 100,000 cases, first (everything new) and again (nothing new).

    .venv/bin/python bench/bench_warnings.py [--cases 100000] [--data-dir DIR]

With --data-dir pointing at the data directory of an earlier run, the generated cases are used again
(generation takes minutes) and only the scans are timed, after the stored warnings are removed.

Works on a fresh SQLite database in a temporary data directory (or on DATABASE_URL when set), fills
the demo town with `demo_data` (a year of generated petitions, stability data from setup_demo), then
runs `warnings_scan` for every town twice and prints the times and what each rule found.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--data-dir", help="an earlier run's data directory: its cases are used again")
    args = parser.parse_args()

    os.environ["XINFANG_DATA_DIR"] = args.data_dir or tempfile.mkdtemp(prefix="xinfang-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from xinfang.alerts.models import Alert
    from xinfang.cases.models import Case
    from xinfang.warnings.engine import warnings_scan
    from xinfang.warnings.models import Warning

    print(f"数据库：{connection.vendor} {settings.DATABASES['default']['NAME']}")
    call_command("migrate", verbosity=0)
    if Case.objects.count() < args.cases:
        call_command("seed_calendar", verbosity=0)
        call_command("setup_demo", verbosity=0)
        started = time.perf_counter()
        call_command("demo_data", cases=args.cases, seed=7)
        print(
            f"生成 {args.cases:,} 件用时 {time.perf_counter() - started:.1f} 秒"
            f"（数据目录 {os.environ['XINFANG_DATA_DIR']}）"
        )
    print(f"库中信访事项 {Case.objects.count():,} 件")
    # From nothing: setup_demo's demo warnings and an earlier run's go.
    with connection.cursor() as cursor:
        for table in ("alerts_alert WHERE warning_id IS NOT NULL", "warnings_delivery", "warnings_warning"):
            cursor.execute(f"DELETE FROM {table}")

    for run in ("首次扫描", "再次扫描（幂等）"):
        result = warnings_scan()
        print(f"{run}：{result.summary()}")
    inbox = Alert.objects.filter(warning__isnull=False).count()
    print(f"预警共 {Warning.objects.count():,} 条，站内消息 {inbox:,} 条")


if __name__ == "__main__":
    main()
