from django.core.management.base import BaseCommand

from xinfang.workcal.services import calendar_seed, known_years


class Command(BaseCommand):
    help = "从 chinesecalendar 库导入法定节假日和调休上班日（不覆盖手工录入的日期）。可重复运行。"

    def handle(self, *args, **options):
        result = calendar_seed()
        years = known_years()
        span = f"{years[0]}–{years[-1]} 年" if years else "无"
        self.stdout.write(
            f"工作日历：新增 {result['created']} 天，更新 {result['updated']} 天，"
            f"保留手工录入 {result['manual_kept']} 天；"
            f"已知年份 {span}。库中尚无的年份请由系统管理员在“系统管理 › 节假日与调休”中录入。"
        )
