"""Benchmark: the dashboard (数据看板) and the office's desk at 100,000 cases.

    .venv/bin/python bench/bench_dashboard.py [--cases 100000] [--requests 20] [--http]

Like bench_cases.py: a fresh SQLite database in a temporary data directory (or DATABASE_URL when set),
the demo town filled by `demo_data`, then each page requested `--requests` times through the whole
Django stack in this process (middleware, sign-in, scoping, templates): the server's time, no network.
Set XINFANG_DATA_DIR to an earlier run's directory to reuse its cases.
With --http it also serves the same database with gunicorn on 127.0.0.1:$XINFANG_BENCH_PORT (8107)
and measures the dashboard with wrk when wrk is installed.
"""

import argparse
import os
import shutil
import statistics
import subprocess
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
    parser.add_argument("--requests", type=int, default=20, help="requests per measured page")
    parser.add_argument("--http", action="store_true", help="also measure over HTTP with wrk")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="xinfang-bench-")
    os.environ.setdefault("XINFANG_DATA_DIR", data_dir)
    os.environ.setdefault("XINFANG_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from xinfang.accounts.models import User
    from xinfang.cases.models import Case
    from xinfang.org.models import Department, Town, Village

    print(f"数据库：{connection.vendor} {settings.DATABASES['default']['NAME']}")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if Case.objects.count() < args.cases:  # XINFANG_DATA_DIR of an earlier run: its cases are reused
        call_command("seed_calendar", verbosity=0)
        call_command("setup_demo", verbosity=0)
        started = time.perf_counter()
        call_command("demo_data", cases=args.cases, seed=7)
        print(f"生成 {args.cases:,} 件用时 {time.perf_counter() - started:.1f} 秒（含写入和指标计数表）")
    town = Town.objects.get(is_demo=True)
    total = Case.objects.filter(town=town).count()
    village = Village.objects.filter(town=town).order_by("order").first()
    line = Department.objects.filter(town=town).order_by("order").first()

    clients = {}
    for username in ("office", "village1", "county"):
        c = Client()
        c.force_login(User.objects.get(username=username))
        clients[username] = c

    def measure(label: str, who: str, url: str) -> float:
        client = clients[who]
        cache.clear()  # the first request counts everything (the dashboard keeps its numbers a minute)
        t = time.perf_counter()
        assert client.get(url).status_code == 200, url
        print(f"{label}：第一次（计数，无缓存）{(time.perf_counter() - t) * 1000:.0f} ms")
        timings, cpu = [], []
        for _ in range(args.requests):
            t, c = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        median = statistics.median(timings)
        # The process's own CPU time: what the request costs when the machine is not shared.
        print(f"{label}：本进程 CPU 时间中位数 {statistics.median(cpu):.1f} ms")
        spread = f"最快 {timings[0]:.1f} ms，最慢 {timings[-1]:.1f} ms"
        print(f"{label}：中位数 {median:.1f} ms，{spread}（{args.requests} 次）")
        return median

    print(f"{total:,} 件信访事项")
    measure("数据看板（联席办，本月）", "office", "/reports/dashboard/")
    measure("数据看板（联席办，本季度）", "office", "/reports/dashboard/?period=quarter")
    measure("数据看板（联席办，全年）", "office", "/reports/dashboard/?period=year")
    measure(
        "数据看板（联席办，全年，一个村）", "office", f"/reports/dashboard/?period=year&village={village.pk}"
    )
    measure("数据看板（联席办，全年，一个条线）", "office", f"/reports/dashboard/?period=year&line={line.pk}")
    measure("数据看板（村干部，全年）", "village1", "/reports/dashboard/?period=year")
    measure("数据看板（县信访局，各镇对比，全年）", "county", "/reports/dashboard/?period=year")
    measure("联席办工作台（首页）", "office", "/")
    measure(
        "指标接口（全年，GET /api/v1/metrics）", "office", "/api/v1/metrics?from=2026-01-01&to=2026-12-31"
    )

    if args.http:
        _over_http(args, data_dir)


def _over_http(args, data_dir: str) -> None:
    """The same page over HTTP: gunicorn (1 worker) on the bench port, wrk with 1 connection."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from xinfang.accounts.models import User

    if not shutil.which("wrk"):
        print("wrk 未安装（apt-get install wrk）：跳过 HTTP 测量")
        return
    port = os.environ.get("XINFANG_BENCH_PORT", "8107")
    office = User.objects.get(username="office")
    session = SessionStore()
    session[SESSION_KEY] = str(office.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = office.get_session_auth_hash()
    session.create()
    env = {**os.environ, "XINFANG_DATA_DIR": os.environ["XINFANG_DATA_DIR"]}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        time.sleep(4)
        url = f"http://127.0.0.1:{port}/reports/dashboard/"
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                "-c1",
                "-d15s",
                "--latency",
                "-H",
                f"Cookie: sessionid={session.session_key}",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        print("wrk（1 个连接，15 秒，gunicorn 1 个进程）：")
        print(out)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
