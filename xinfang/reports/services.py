"""Reports asked for and made: a job row, the file written in the background (tasks.py), kept under the
report directory and read back only by the user who asked for it."""

import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from xinfang.accounts.choices import WORK_ROLES, Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record

from . import documents
from .choices import JobStatus, ReportKind
from .models import ReportJob
from .periods import Period, PeriodInvalid, period_parse

log = logging.getLogger(__name__)

# Who may ask for which report. The ledger is anyone's who reads the ledger (each gets their own
# scope: a village its own residents' cases); the Word reports speak for the town, so the office,
# the leaders, the supervision team and the county bureau make them.
TOWN_REPORTERS = frozenset({Role.OFFICE, Role.LEADER, Role.SUPERVISOR, Role.COUNTY})
RUN_ROLES = {
    ReportKind.LEDGER: frozenset(WORK_ROLES),
    ReportKind.BULLETIN: TOWN_REPORTERS,
    ReportKind.QUARTERLY: TOWN_REPORTERS,
    ReportKind.ANNUAL: TOWN_REPORTERS,
}
# The period each Word report covers by default, and the one it must be.
PERIOD_KIND = {ReportKind.BULLETIN: "month", ReportKind.QUARTERLY: "quarter", ReportKind.ANNUAL: "year"}
LEDGER_VIEWS = ("all", "prominent", "resolved")
# A user's jobs still queued or running: more are refused until these finish.
MAX_PENDING = 3


def kinds_for(user) -> list[tuple[str, str]]:
    return [(k.value, k.label) for k in ReportKind if user.role in RUN_ROLES[k]]


def report_dir() -> Path:
    configured = getattr(settings, "XINFANG_REPORT_DIR", None)
    return Path(configured or Path(settings.MEDIA_ROOT) / "reports").resolve()


def report_path(job: ReportJob) -> Path:
    base = report_dir()
    path = (base / job.file).resolve()
    if not job.file or not path.is_relative_to(base):
        raise FileNotFoundError(job.file)
    return path


def _params(kind: str, raw: dict, today) -> tuple[dict, str]:
    """Checked parameters and the job's title; raises ValueError with a Chinese message."""
    if kind == ReportKind.LEDGER:
        view = raw.get("view") or "all"
        if view not in LEDGER_VIEWS:
            raise ValueError("台账只能是 all（全部）、prominent（突出问题）或 resolved（已化解）")
        title = {"all": "信访台账", "prominent": "突出问题台账", "resolved": "已化解台账"}[view]
        return {"view": view}, f"{title}（导出于 {today:%Y-%m-%d}）"
    wanted = PERIOD_KIND[kind]
    query = {k: str(v) for k, v in raw.items() if v not in (None, "")}
    query.setdefault("period", wanted)
    if query["period"] != wanted:
        raise ValueError(
            f"{ReportKind(kind).label}的期间应为{dict(month='月', quarter='季度', year='年')[wanted]}"
        )
    try:
        period = period_parse(query, today)
    except PeriodInvalid as exc:
        raise ValueError(str(exc)) from None
    if period.start > today:
        raise ValueError("报告期间尚未开始")
    params = {"period": period.kind, "year": period.start.year}
    if period.kind == "month":
        params["month"] = period.start.month
    if period.kind == "quarter":
        params["quarter"] = (period.start.month - 1) // 3 + 1
    return params, f"{documents.WORD_TITLES[kind]}（{period.label}）"


def job_period(job: ReportJob) -> Period:
    return period_parse({k: str(v) for k, v in job.params.items()}, timezone.localdate())


@transaction.atomic
def report_request(*, acting_user, kind: str, params: dict | None = None) -> ReportJob:
    """A report asked for: checked, recorded, and queued (made at once when huey runs immediately).
    Raises PermissionDenied (a role that may not) or ValueError (bad parameters, Chinese)."""
    if kind not in ReportKind.values:
        raise ValueError("报表种类应为 " + "、".join(f"{k.value}（{k.label}）" for k in ReportKind))
    if acting_user.role not in RUN_ROLES[kind]:
        raise PermissionDenied(f"{acting_user.get_role_display()}不能生成{ReportKind(kind).label}")
    pending = ReportJob.objects.filter(
        created_by=acting_user, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).count()
    if pending >= MAX_PENDING:
        raise ValueError(f"您已有 {pending} 份报表正在生成，请等它们完成后再申请")
    checked, title = _params(kind, params or {}, timezone.localdate())
    job = ReportJob.objects.create(
        town=acting_user.town, kind=kind, params=checked, title=title, created_by=acting_user
    )
    audit_record(event=AuditEventType.CREATE, user=acting_user, target=job, detail=f"申请生成 {title}")
    return job


def report_start(*, acting_user, kind: str, params: dict | None = None) -> ReportJob:
    """Records the job (committed), then hands it to the queue: a worker never looks for a job whose
    row is not yet there. With huey immediate (tests, a town without a worker) it is made here."""
    from .tasks import report_make

    job = report_request(acting_user=acting_user, kind=kind, params=params)
    report_make(job.pk)
    job.refresh_from_db()
    return job


def _progress(job: ReportJob):
    def tell(percent: int, step: str) -> None:
        ReportJob.objects.filter(pk=job.pk).update(progress=max(0, min(99, percent)), step=step[:60])

    return tell


def report_run(job_id: int) -> ReportJob:
    """Makes the file of a queued job, as its owner sees the data (their scope), and records it."""
    job = ReportJob.objects.select_related("created_by", "created_by__town").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, step="开始")
    user = job.created_by
    try:
        if job.kind == ReportKind.LEDGER:
            data, filename, _count = documents.ledger_file(user, job.params, _progress(job))
        else:
            data, filename = documents.word_report(job.kind, user, job_period(job), _progress(job))
        suffix = Path(filename).suffix
        relative = f"{job.created_at:%Y%m}/{job.pk}-{secrets.token_hex(8)}{suffix}"
        path = report_dir() / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(".part")
        temp.write_bytes(data)
        temp.replace(path)
    except Exception as exc:  # the job says it failed; the log has the details
        log.exception("report job %s failed", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=f"生成失败：{type(exc).__name__}"[:300], finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        progress=100,
        step="完成",
        file=relative,
        filename=filename[:160],
        size=len(data),
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    audit_record(
        event=AuditEventType.EXPORT, user=user, target=job, detail=f"生成 {job.title}（{len(data)} 字节）"
    )
    return job


@transaction.atomic
def report_delete(*, acting_user, job: ReportJob) -> None:
    """The owner removes a finished report from their downloads (the file goes too)."""
    if job.created_by_id != acting_user.pk:
        raise PermissionDenied("只能删除自己申请的报表")
    if not job.done:
        raise ValueError("报表正在生成，完成后才能删除")
    try:
        report_path(job).unlink(missing_ok=True)
    except FileNotFoundError:
        pass
    audit_record(event=AuditEventType.DELETE, user=acting_user, target=job, detail=f"删除报表 {job.title}")
    job.delete()
