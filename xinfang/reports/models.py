from django.db import models

from xinfang.accounts.choices import Role
from xinfang.core.scoping import Scope

from .choices import JobStatus, ReportKind


def _own(user) -> models.Q:
    return models.Q(created_by_id=user.pk)


class ReportJob(models.Model):
    """One report asked for: made in the background (huey), its progress shown while it runs, its file
    kept for download. Each user sees only the reports they asked for."""

    town = models.ForeignKey(
        "org.Town", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="镇"
    )
    kind = models.CharField("报表", max_length=20, choices=ReportKind.choices)
    params = models.JSONField("条件", default=dict, blank=True)
    title = models.CharField("标题", max_length=120)
    status = models.CharField("状态", max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    step = models.CharField("当前步骤", max_length=60, blank=True)
    file = models.CharField("文件（相对报表目录）", max_length=200, blank=True)
    filename = models.CharField("下载文件名", max_length=160, blank=True)
    size = models.PositiveBigIntegerField("文件大小", default=0)
    error = models.CharField("失败原因", max_length=300, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="report_jobs", verbose_name="申请人"
    )
    created_at = models.DateTimeField("申请时间", auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    # The county bureau's jobs have no town: town_optional lets their owner read them.
    scope = Scope(town="town", town_optional=True, extra={role: _own for role in Role.values})

    class Meta:
        verbose_name = "报表任务"
        verbose_name_plural = "报表任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "created_at"], name="report_job_owner")]

    def __str__(self):
        return self.title

    @property
    def done(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
