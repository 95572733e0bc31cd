from django.db import models


class ReportKind(models.TextChoices):
    LEDGER = "ledger", "信访台账（Excel）"
    BULLETIN = "bulletin", "月度通报（Word）"
    QUARTERLY = "quarterly", "季度向党委会报告（Word）"
    ANNUAL = "annual", "年度信访工作报告（Word）"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
