import time

from django.core.management.base import BaseCommand

from xinfang.metrics.counting import check
from xinfang.org.models import Town


class Command(BaseCommand):
    help = "将计数表与全部重新统计的结果逐行比较，列出差异；有差异时以非零状态退出"

    def add_arguments(self, parser):
        parser.add_argument("--town", help="镇代码，不填为全部镇")
        parser.add_argument("--show", type=int, default=50, help="最多列出几条差异")

    def handle(self, *args, town=None, show=50, **options):
        towns = None
        if town:
            towns = list(Town.objects.filter(code=town).values_list("pk", flat=True))
            if not towns:
                self.stderr.write(f"没有代码为“{town}”的镇。")
                raise SystemExit(2)
        started = time.perf_counter()
        problems = check(towns)
        took = time.perf_counter() - started
        for line in problems[:show]:
            self.stdout.write(line)
        if problems:
            self.stderr.write(f"计数表与重新统计不一致：共 {len(problems)} 处（用时 {took:.1f} 秒）。")
            raise SystemExit(1)
        self.stdout.write(f"计数表与重新统计一致（用时 {took:.1f} 秒）。")
