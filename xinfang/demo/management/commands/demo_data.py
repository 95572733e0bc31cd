import time

from django.core.management.base import BaseCommand, CommandError

from xinfang.accounts.choices import Role
from xinfang.accounts.models import User
from xinfang.cases.choices import CaseState
from xinfang.core.dbstats import planner_stats_refresh
from xinfang.demo.history import history_generate
from xinfang.org.models import Town


class Command(BaseCommand):
    help = "为一个镇批量生成演示信访历史（事项、信访、信访人、办理动态），用于演示和性能测试"

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="生成的信访事项件数")
        parser.add_argument("--town", default="", help="镇代码，默认为演示镇")
        parser.add_argument("--days", type=int, default=365, help="历史跨度（日），默认 365")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子，相同种子生成相同数据")

    def handle(self, *args, cases, town, days, seed, **options):
        towns = Town.objects.filter(code=town) if town else Town.objects.filter(is_demo=True)
        target = towns.select_related("time_limits").first()
        if target is None:
            raise CommandError(f"找不到镇“{town or '演示镇'}”，请先运行 make run 或 load_town 导入配置。")
        clerk = User.objects.filter(town=target, role=Role.OFFICE).order_by("id").first()
        if clerk is None:
            raise CommandError(f"{target.name}还没有信访联席办账号，请先运行 setup_demo 或在管理后台创建。")
        if cases < 1:
            raise CommandError("--cases 至少为 1。")
        started = time.perf_counter()
        result = history_generate(town=target, clerk=clerk, cases=cases, days=days, seed=seed)
        took = time.perf_counter() - started
        states = "、".join(
            f"{CaseState(s).label} {n}" for s, n in sorted(result.states.items(), key=lambda x: -x[1])
        )
        self.stdout.write(
            f"{target.name}：生成信访事项 {result.cases} 件、信访 {result.petitions} 次、"
            f"信访人 {result.petitioners} 人、办理动态 {result.events} 条，"
            f"用时 {took:.1f} 秒（{result.cases / took:,.0f} 件/秒）。"
        )
        self.stdout.write(f"状态：{states}")
        self.stdout.write(f"已更新查询规划统计（ANALYZE），用时 {planner_stats_refresh():.1f} 秒。")
