"""Benchmark: generation, intake over the API, the ledger and the case page at 100,000 cases.

    .venv/bin/python bench/bench_cases.py [--cases 100000] [--requests 200]

Works on a fresh SQLite database in a temporary data directory (or on DATABASE_URL when set), fills
the demo town with `demo_data`, then times requests through the whole Django stack (middleware,
sign-in, scoping, templates) in this process: the server's time, without a network in between.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _post_many(args) -> float:
    token, body, count, start = args
    from django.test import Client

    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    while time.time() < start:  # all clients begin together, after their set-up
        time.sleep(0.001)
    started = time.perf_counter()
    for i in range(count):
        response = api.post(
            "/api/v1/petitions", {**body, "title": f"同时登记{i}"}, content_type="application/json"
        )
        assert response.status_code == 201, response.content[:300]
    return time.perf_counter() - started


def intake_concurrent(token: str, body: dict, count: int, clients: int) -> float:
    """Registrations per second with `clients` processes posting at once, each through the whole
    Django stack with its own database connection, as the server's worker processes do."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each process opens its own
    per_client = count // clients
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        took = max(pool.map(_post_many, [(token, body, per_client, time.time() + 1)] * clients))
    return per_client * clients / took


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per measured page")
    parser.add_argument("--intake", type=int, default=1000, help="petitions registered over the API")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="xinfang-bench-")
    os.environ.setdefault("XINFANG_DATA_DIR", data_dir)
    os.environ.setdefault("XINFANG_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from xinfang.accounts.models import ApiToken, User
    from xinfang.cases.models import Case
    from xinfang.org.models import Person, Town, Village

    print(f"数据库：{connection.vendor} {settings.DATABASES['default']['NAME']}")
    call_command("migrate", verbosity=0)
    call_command("seed_calendar", verbosity=0)
    call_command("setup_demo", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command("demo_data", cases=args.cases, seed=7)
    print(f"生成 {args.cases:,} 件用时 {time.perf_counter() - started:.1f} 秒（含写入）")
    town = Town.objects.get(is_demo=True)
    total = Case.objects.filter(town=town).count()
    office = User.objects.get(username="office")
    _, token = ApiToken.issue(user=office, name="bench")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    village = Village.objects.filter(town=town).order_by("order").first()

    # Intake: registrations over the API, one after another.
    rng = random.Random(1)
    body = {
        "channel": "visit",
        "received_at": "2026-11-20T09:30:00+08:00",
        "petitioner": {"name": "测试人", "village": village.name},
        "persons_count": 1,
        "title": "反映道路破损问题",
        "content": "村道破损，要求维修。",
    }
    started = time.perf_counter()
    for i in range(args.intake):
        body["petitioner"]["name"] = f"测试人{rng.randrange(10**6)}"
        response = api.post("/api/v1/petitions", body, content_type="application/json")
        assert response.status_code == 201, response.content[:300]
        if i == 0:
            started_after_first = time.perf_counter()
    took = time.perf_counter() - started_after_first
    print(
        f"登记（POST /api/v1/petitions）：{(args.intake - 1) / took:,.0f} 件/秒（{args.intake} 次，逐件提交）"
    )
    rate = intake_concurrent(token, body, args.intake, clients=2)
    print(f"登记，2 个客户端同时提交（如 make run 的 2 个服务进程）：{rate:,.0f} 件/秒（{args.intake} 次）")

    web = Client()
    web.force_login(office)
    owner = Person.objects.filter(town=town, is_leader=True).first()
    cases = list(Case.objects.filter(town=town).values_list("pk", flat=True))

    def measure(label: str, urls) -> None:
        client_for = {"api": api, "web": web}
        timings = []
        for kind, url in urls:
            t = time.perf_counter()
            response = client_for[kind].get(url)
            timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{label}：中位数 {statistics.median(timings):.1f} ms，p95 {p95:.1f} ms（{len(timings)} 次）")

    pages = [1, 2, 3, 10, 50]
    ledgers = [
        "/cases/?view=prominent&sort=due",
        f"/cases/?view=prominent&village={village.pk}&sort=due",
        "/cases/?view=all&state=open&sort=-number",
        f"/cases/?view=all&owner={owner.pk}&overdue=on&sort=due",
        "/cases/?view=prominent&flag=repeat&sort=-repeat",
    ]
    n = args.requests
    measure(
        f"台账页面（{total:,} 件，筛选+排序+分页）",
        [("web", f"{ledgers[i % len(ledgers)]}&page={pages[i % len(pages)]}") for i in range(n)],
    )
    measure(
        "台账接口（GET /api/v1/cases，筛选+排序+分页）",
        [("api", f"/api/v1/cases?view=prominent&sort=due&offset={(i % 20) * 50}") for i in range(n)],
    )
    measure("事项页面（/cases/<id>/）", [("web", f"/cases/{rng.choice(cases)}/") for _ in range(n)])
    measure(
        "事项接口（GET /api/v1/cases/<id>）",
        [("api", f"/api/v1/cases/{rng.choice(cases)}") for _ in range(n)],
    )


if __name__ == "__main__":
    main()
