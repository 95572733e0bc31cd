from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinfang.org.loader import TownConfigError, town_load


class Command(BaseCommand):
    help = "校验并导入（或更新）一个镇的配置文件，全部成功或全部不写入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="镇配置文件，如 configs/fenjie.yaml")

    def handle(self, *args, file, **options):
        try:
            result = town_load(path=Path(file))
        except TownConfigError as exc:
            lines = "\n".join(f"  - {p}" for p in exc.problems)
            raise CommandError(f"配置文件有误，数据库未作任何修改：\n{lines}") from None
        verb = "已新建" if result.created else "已更新"
        summary = "，".join(f"{k} {v}" for k, v in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"{verb}{result.town.name}（{result.town.code}）：{summary}"))
        for item in result.not_in_file:
            self.stdout.write(self.style.WARNING(f"提示：{item} 不在配置文件中，已保留未删除。"))
