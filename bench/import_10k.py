"""Times the Excel import of 10,000 petitions on a fresh SQLite database.

    .venv/bin/python bench/import_10k.py [--rows 10000] [--skip-check] [--profile] [--keep]

Builds a throw-away data directory (XINFANG_DATA_DIR), migrates it, loads the demo town 分界镇 and its
accounts, registers 100 cases the file's repeat rows point at, writes the file, then times the dry
run and the real run of `petitions_import` exactly as the page and the command call it.
"""

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--skip-check", action="store_true", help="time the real run only")
    parser.add_argument("--profile", action="store_true", help="cProfile the real run, top 30 by own time")
    parser.add_argument("--keep", action="store_true", help="keep the data directory (file and database)")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="xinfang-bench-")
    os.environ["XINFANG_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)  # SQLite, whatever the shell has set
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from stdnum.cn import ric

    from xinfang.accounts.models import User
    from xinfang.cases.imports import COLUMNS, petitions_import
    from xinfang.cases.models import Case, Petition, Petitioner
    from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
    from xinfang.demo.accounts import demo_accounts_ensure
    from xinfang.org.loader import town_load
    from xinfang.org.models import Category, Town, Village
    from xinfang.workcal.services import calendar_seed

    print(f"数据目录 {data_dir}（SQLite）")
    call_command("migrate", verbosity=0)
    calendar_seed()
    town_load(path=ROOT / "configs" / "fenjie.yaml")
    town = Town.objects.get(code="fenjie")
    demo_accounts_ensure(town=town, password="Bench@2026pw")
    office = User.objects.select_related("town").get(username="office")
    villages = list(Village.objects.filter(town=town).values_list("name", flat=True))
    categories = list(Category.objects.filter(town=town).values_list("name", flat=True))
    rng = random.Random(2026)
    tz = timezone.get_current_timezone()

    existing = [
        petition_register(
            data=PetitionIn(
                channel="visit",
                received_at=dt.datetime(2025, 1, 2, 9, tzinfo=tz) + dt.timedelta(hours=i),
                petitioner=PetitionerIn(name=f"既往信访人{i}"),
                title=f"既往事项{i}",
                content="既往诉求。",
            ),
            acting_user=office,
        ).case.number
        for i in range(100)
    ]

    def id_number(i):
        body = f"110101{1950 + i % 50}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
        return body + ric.calc_check_digit(body + "0")

    people = [(f"信访人{i}", id_number(i)) for i in range(args.rows * 2 // 5)]
    channels = ["来信", "来访", "来电", "网上信访", "上级交转办"]
    start = dt.datetime(2025, 1, 1, 8)  # noqa: DTZ001 -- an Excel cell has no time zone
    span = (dt.datetime.now() - dt.timedelta(days=2) - start).total_seconds()  # noqa: DTZ005
    rows = []
    for i in range(args.rows):
        name, number = rng.choice(people) if rng.random() < 0.8 else (f"无证信访人{i}", "")
        channel = rng.choice(channels)
        rows.append(
            {
                "渠道": channel,
                "交转办层级": rng.choice(["县", "市", "省"]) if channel == "上级交转办" else "",
                "收到时间": start + dt.timedelta(seconds=int(rng.random() * span)),
                "信访人姓名": name,
                "身份证号": number,
                "手机号": f"139{i:08d}",
                "住址": f"某组{i % 30}号",
                "所在村（居）": rng.choice(villages),
                "人数": rng.choice([1] * 9 + [6]),
                "事项": f"导入事项{i}",
                "诉求内容": f"第 {i} 条导入的诉求内容，" + "情况说明" * 20,
                "性质": rng.choice(["建议意见类", "检举控告类", "申诉求决类"]),
                "类别": rng.choice(categories),
                "越级去向": "",
                "扬言": "是" if i % 50 == 0 else "否",
                "涉法涉诉": "否",
                "重复信访所属事项编号": rng.choice(existing) if i % 20 == 0 else "",
            }
        )
    import openpyxl

    path = Path(data_dir) / f"import-{args.rows}.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("信访导入")
    headers = [c.header for c in COLUMNS]
    sheet.append(headers)
    for r in rows:
        sheet.append([r[h] for h in headers])
    book.save(path)
    print(f"文件 {path.name}：{args.rows} 行，{path.stat().st_size / 1024 / 1024:.1f} MB")

    before = Case.objects.count()
    if not args.skip_check:
        t = time.perf_counter()
        result = petitions_import(path, office, dry_run=True)
        print(f"检查（dry run）：{time.perf_counter() - t:.1f} 秒 — {result.summary()}")
        assert result.ok, result.report()[:2000]
        assert Case.objects.count() == before

    t = time.perf_counter()
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        result = profiler.runcall(petitions_import, path, office, dry_run=False)
        took = time.perf_counter() - t
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(
            os.environ.get("BENCH_FILTER", ""), 30
        )
    else:
        result = petitions_import(path, office, dry_run=False)
        took = time.perf_counter() - t
    print(f"导入（real run）：{took:.1f} 秒 — {result.summary()}")
    assert result.ok
    assert Case.objects.count() == before + result.created_cases
    assert Petition.objects.count() == 100 + args.rows
    print(f"信访人 {Petitioner.objects.count()} 人（按身份证号去重）")
    if not args.keep:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(data_dir)


if __name__ == "__main__":
    main()
