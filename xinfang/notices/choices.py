from django.db import models


class NoticeTarget(models.TextChoices):
    VILLAGE = "village", "属地（村居）"
    DEPARTMENT = "department", "条线（部门）"


class NoticeStatus(models.TextChoices):
    PENDING = "pending", "待签收"
    OVERDUE = "overdue", "超时未签收"
    ACKNOWLEDGED = "acknowledged", "已签收"
    WITHDRAWN = "withdrawn", "已撤回"
