from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from xinfang.accounts.models import ApiToken, User
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record


class Command(BaseCommand):
    help = "为指定账号签发一个新的 API 访问令牌并打印出来（只保存其摘要，丢失后只能重新签发）。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="令牌用途，如“网上信访平台对接”")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"账号“{username}”不存在或已停用。")
        with transaction.atomic():
            token, raw = ApiToken.issue(user=user, name=name)
            audit_record(
                event=AuditEventType.ISSUE_TOKEN,
                user=None,
                username="manage.py issue_token",
                town=user.town,
                target=token,
                detail=f"为 {username} 签发令牌 {token.prefix}…",
            )
        self.stdout.write(raw)
