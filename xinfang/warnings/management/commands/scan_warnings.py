from django.core.management.base import BaseCommand, CommandError

from xinfang.org.models import Town
from xinfang.warnings.engine import warnings_scan
from xinfang.warnings.registry import CADENCES, RULES


class Command(BaseCommand):
    help = (
        "运行预警扫描：按各镇配置对所有已登记的预警规则各跑一遍，新发现的预警推送给相关人员。"
        "可重复运行，同一对象同一状态不会重复预警。供运维和持续集成使用。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--town", help="只扫描此镇（镇代码），默认全部")
        parser.add_argument("--rule", action="append", help="只运行此规则（规则代码，可多次指定）")
        parser.add_argument(
            "--cadence",
            choices=CADENCES,
            help="只运行此频次的规则（often 每十分钟、daily 每日、evening 每晚）",
        )

    def handle(self, *args, town=None, rule=None, cadence=None, **options):
        towns = None
        if town:
            towns = list(Town.objects.filter(code=town))
            if not towns:
                raise CommandError(f"没有代码为“{town}”的镇")
        unknown = [r for r in rule or [] if r not in RULES]
        if unknown:
            raise CommandError(f"没有这些预警规则：{'、'.join(unknown)}；可用的有：{'、'.join(RULES)}")
        result = warnings_scan(cadence=cadence, towns=towns, rules=set(rule) if rule else None)
        self.stdout.write(f"预警扫描完成：{result.summary()}")
        if result.failed:
            raise CommandError(f"以下规则运行出错（详见日志）：{'、'.join(result.failed)}")
