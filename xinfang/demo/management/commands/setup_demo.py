from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from xinfang.cases.models import Case
from xinfang.core.dbstats import planner_stats_refresh
from xinfang.demo.accounts import DEMO_ACCOUNTS, demo_accounts_ensure
from xinfang.demo.history import history_generate
from xinfang.org.loader import town_load
from xinfang.org.models import Town

DEFAULT_CONFIG = Path(settings.BASE_DIR) / "configs" / "fenjie.yaml"


DEMO_CASES = 400


class Command(BaseCommand):
    help = "准备演示镇：首次运行时导入 configs/fenjie.yaml，并创建（或复原）各角色的演示账号。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--config", default=str(DEFAULT_CONFIG), help="演示镇配置文件")
        parser.add_argument(
            "--reload", action="store_true", help="已存在时也重新导入配置文件（覆盖页面上的修改）"
        )

    def handle(self, *args, config, reload, **options):
        import yaml

        code = yaml.safe_load(Path(config).read_text(encoding="utf-8"))["town"]["code"]
        town = Town.objects.filter(code=code).first()
        if town is None or reload:
            town = town_load(path=Path(config)).town
            self.stdout.write(f"已导入演示镇配置：{town.name}")
        else:
            self.stdout.write(f"演示镇{town.name}已存在，保留现有配置（如需按文件覆盖，请加 --reload）")
        users = {u.username: u for u in demo_accounts_ensure(town=town)}
        self.stdout.write(f"演示账号已就绪：{', '.join(a.username for a in DEMO_ACCOUNTS)}")
        if not Case.objects.filter(town=town).exists():
            made = history_generate(town=town, clerk=users["office"], cases=DEMO_CASES, days=240)
            self.stdout.write(
                f"已生成演示信访事项 {made.cases} 件（信访 {made.petitions} 次），各办理环节都有。"
            )
            planner_stats_refresh()
        from xinfang.demo.stability import stability_demo

        if made := stability_demo(town=town, users=users):
            self.stdout.write(
                f"已生成稳控演示数据：重点人员 {made['key_persons']} 人，保障期“{made['period']}”进行中。"
            )
        from xinfang.demo.screening import screening_demo

        if made := screening_demo(town=town, users=users):
            self.stdout.write(
                f"已生成排查研判演示数据：排查轮次 {made['rounds']} 轮，"
                f"一件提级到{made['pending']}的研判待研判。"
            )
        from xinfang.demo.supervision import supervision_demo

        if made := supervision_demo(town=town, users=users):
            self.stdout.write(
                f"已生成督查督办演示数据：督办单 {made['notices']} 张（含逾期未回复），"
                "督查记录和问责记录各 1 条。"
            )
        from xinfang.demo.meetings import meetings_demo

        if made := meetings_demo(town=town, users=users):
            self.stdout.write(
                f"已生成会议演示数据：会议 {made['meetings']} 次，领导接访日 {made['receptions']} 个。"
            )
        from xinfang.demo.reports import reports_demo

        if reports_demo(users=users):
            self.stdout.write("已为 office 生成上月的信访工作通报（报表与报告 › 我的报表）。")
        # The scan runs last, so every rule finds the other demos' objects.
        from xinfang.demo.warnings import warnings_demo

        made = warnings_demo(town=town, users=users)
        self.stdout.write(f"预警扫描：新增 {made['new']} 条，演示镇共有预警 {made['total']} 条。")
