import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinfang.accounts.choices import Role
from xinfang.accounts.models import User
from xinfang.cases.imports import petitions_import


class Command(BaseCommand):
    help = (
        "从 Excel 文件（导入模板格式）成批登记信访，全部成功或全部不写入；"
        "加 --dry-run 只检查、列出所有有问题的行，不写入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="填好的导入模板，.xlsx")
        parser.add_argument("--user", required=True, help="登记人的用户名（须为信访联席办账号）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不导入")

    def handle(self, *args, path, user, dry_run, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到文件 {file}。")
        clerk = User.objects.select_related("town").filter(username=user, is_active=True).first()
        if clerk is None:
            raise CommandError(f"没有启用中的用户“{user}”。")
        if clerk.role != Role.OFFICE or clerk.town is None:
            raise CommandError(f"用户“{user}”不是镇信访联席办账号，不能登记信访。")
        started = time.perf_counter()
        result = petitions_import(file, clerk, dry_run=dry_run)
        took = time.perf_counter() - started
        for error in result.errors:
            self.stdout.write(f"  {error}")
        line = f"{result.summary()}（用时 {took:.1f} 秒）"
        if not result.ok:
            raise CommandError(line)
        self.stdout.write(self.style.SUCCESS(line))
