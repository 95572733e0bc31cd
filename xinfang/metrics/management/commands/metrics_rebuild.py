import time

from django.core.management.base import BaseCommand

from xinfang.metrics.counting import rebuild
from xinfang.org.models import Town


class Command(BaseCommand):
    help = "重新统计三降四升五不的计数表（全部镇，或 --town 指定的镇）"

    def add_arguments(self, parser):
        parser.add_argument("--town", help="镇代码，不填为全部镇")

    def handle(self, *args, town=None, **options):
        towns = None
        if town:
            towns = list(Town.objects.filter(code=town).values_list("pk", flat=True))
            if not towns:
                self.stderr.write(f"没有代码为“{town}”的镇。")
                raise SystemExit(2)
        started = time.perf_counter()
        result = rebuild(towns)
        self.stdout.write(
            f"已重新统计：事项 {result['cases']:,} 件，事件 {result['incidents']:,} 件，"
            f"计数 {result['counts']:,} 行，越级上访人员 {result['persons']:,} 行，"
            f"用时 {time.perf_counter() - started:.1f} 秒。"
        )
