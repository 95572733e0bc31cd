from django.db import models


class AlertKind(models.TextChoices):
    REBOUND = "rebound", "化解后反弹"
    # 稳控 (xinfang.stability)
    CONTACT_SHORT = "contact_short", "重点人员见面不足"
    CONTACT_LOST = "contact_lost", "重点人员失联或异常"
    FOLLOW_UP_DUE = "follow_up_due", "回访到期"
    ZERO_REGISTRATION = "zero_registration", "保障期内被登记"
    REBOUND_INCIDENT = "rebound_incident", "已化解人员再次信访"
    DAILY_REPORT_MISSING = "daily_report_missing", "未报平安"
