"""Benchmark: a year's metrics (三降四升五不 and the national indicators) at 100,000 cases.

    .venv/bin/python bench/bench_metrics.py [--cases 100000] [--runs 20] [--data-dir DIR]

Works on a fresh SQLite database in a temporary data directory (or on DATABASE_URL when set), fills
the demo town with `demo_data` (whose history generation rebuilds the count tables at the end), then
times `metrics_for` over a year for the whole town and for one village, line and owner (median of
`--runs`), the API answer through the whole Django stack, one drill-down list, and `metrics_check`
(a full recount compared with the tables). With `--data-dir` naming the directory of an earlier run
(printed at the start), the generated town is measured again without generating it anew.
Wall-clock and CPU (process) times are both printed: on a shared machine the wall clock also counts
the time other processes held the CPU.
"""

import argparse
import datetime as dt
import os
import statistics
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
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--data-dir", help="measure an earlier run's database again (no generation)")
    args = parser.parse_args()

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="xinfang-bench-")
    os.environ["XINFANG_DATA_DIR"] = data_dir
    os.environ.setdefault("XINFANG_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from xinfang.accounts.models import ApiToken, User
    from xinfang.cases.models import Case, Petition
    from xinfang.metrics import counting, selectors
    from xinfang.metrics.models import Count, PersonFact
    from xinfang.org.models import Town

    print(
        f"数据库：{connection.vendor} {settings.DATABASES['default']['NAME']}；负载 {os.getloadavg()[0]:.1f}"
    )
    if not args.data_dir:
        call_command("migrate", verbosity=0)
        call_command("seed_calendar", verbosity=0)
        call_command("setup_demo", verbosity=0)
        started = time.perf_counter()
        call_command("demo_data", cases=args.cases, seed=7)
        print(f"生成 {args.cases:,} 件并重建计数表用时 {time.perf_counter() - started:.1f} 秒")
    town = Town.objects.get(is_demo=True)
    print(
        f"事项 {Case.objects.filter(town=town).count():,} 件，信访 {Petition.objects.count():,} 次；"
        f"计数表 {Count.objects.count():,} 行，越级上访人员 {PersonFact.objects.count():,} 行"
    )
    office = User.objects.get(username="office")
    today = timezone.localdate()
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    sample = Case.objects.filter(town=town, lead_department__isnull=False, lead_leader__isnull=False).first()
    units = {
        "全镇": {},
        "一个村（居）": {"village": sample.village_id},
        "一个条线": {"line": sample.lead_department_id},
        "一名包案领导": {"owner": sample.lead_leader_id},
    }

    def median_ms(call) -> tuple[float, float]:
        """(median wall-clock ms, median CPU ms) over the runs, after one warming call."""
        call()
        wall, cpu = [], []
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            call()
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        return statistics.median(wall), statistics.median(cpu)

    for label, unit in units.items():
        med, cpu = median_ms(lambda unit=unit: selectors.metrics_for(office, start, end, **unit))
        print(
            f"metrics_for 一年（{start} 至 {end}），{label}："
            f"中位数 {med:.1f} ms（CPU {cpu:.1f} ms，{args.runs} 次）"
        )

    _, token = ApiToken.issue(user=office, name="bench")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/metrics?from={start}&to={end}"

    def get():
        response = api.get(url)
        assert response.status_code == 200, response.content[:300]

    med, cpu = median_ms(get)
    print(f"GET {url}（整个 Django 栈）：中位数 {med:.1f} ms（CPU {cpu:.1f} ms，{args.runs} 次）")
    items = {m["key"]: m for m in api.get(url).json()["items"]}
    for key in ("prominent_cases", "repeat_share", "timely_acceptance_rate"):
        drill = items[key]["drill"]

        def listing(drill=drill):
            response = api.get(drill)
            assert response.status_code == 200

        med, cpu = median_ms(listing)
        count = api.get(drill).json()["count"]
        assert count == items[key]["numerator"], (key, count, items[key]["numerator"])
        print(
            f"下钻列表 {key}（{count:,} 条，count 等于分子，首页 50 条）："
            f"中位数 {med:.1f} ms（CPU {cpu:.1f} ms）"
        )

    t, c = time.perf_counter(), time.process_time()
    problems = counting.check()
    print(
        f"metrics_check（全部重新统计并逐行比较）：{time.perf_counter() - t:.1f} 秒"
        f"（CPU {time.process_time() - c:.1f} 秒），差异 {len(problems)} 处；负载 {os.getloadavg()[0]:.1f}"
    )
    assert not problems, problems[:5]


if __name__ == "__main__":
    main()
