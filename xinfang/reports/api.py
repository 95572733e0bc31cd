"""Reports through the API: ask for one (it is made in the background), list one's own, download it.
Each user sees only the reports they asked for (another's answers 404)."""

import datetime as dt
from typing import Literal
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from ninja import Field, Query, Router, Schema, Status

from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core.schemas import ErrorOut, Id, InSchema, Limit, Offset
from xinfang.core.scoping import get_scoped_or_404, scope

from . import services
from .models import ReportJob
from .views import CONTENT_TYPES

router = Router(tags=["报表与报告"])


class ReportJobIn(InSchema):
    kind: Literal["ledger", "bulletin", "quarterly", "annual"] = Field(
        ...,
        description="ledger 台账（Excel）、bulletin 月度通报、quarterly 季度报告、annual 年度报告（Word）",
    )
    year: int | None = Field(None, ge=2000, le=2100, description="年份（Word 报告）")
    month: int | None = Field(None, ge=1, le=12, description="月份（月度通报）")
    quarter: int | None = Field(None, ge=1, le=4, description="季度（季度报告）")
    view: Literal["all", "prominent", "resolved"] | None = Field(
        None, description="台账：全部、突出问题、已化解"
    )


class ReportJobOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    params: dict
    status: str
    status_label: str
    progress: int
    step: str
    error: str
    filename: str
    size: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    download: str | None = Field(None, description="完成后下载文件的接口路径")


class ReportListOut(Schema):
    items: list[ReportJobOut]
    count: int


class ReportFilters(InSchema):
    offset: Offset = 0
    limit: Limit = 50


def _out(job: ReportJob) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "kind_label": job.get_kind_display(),
        "title": job.title,
        "params": job.params,
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "step": job.step,
        "error": job.error,
        "filename": job.filename,
        "size": job.size,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "download": f"/api/v1/reports/{job.pk}/file" if job.status == "done" else None,
    }


@router.post(
    "/reports",
    response={201: ReportJobOut, 403: ErrorOut, 422: ErrorOut},
    summary="申请生成报表（后台生成；完成后下载）",
)
def report_new(request, body: ReportJobIn):
    params = body.dict(exclude_none=True)
    kind = params.pop("kind")
    try:
        job = services.report_start(acting_user=request.auth, kind=kind, params=params)
    except ValueError as exc:
        raise ValidationError({"body": [str(exc)]}) from None
    return Status(201, _out(job))


@router.get("/reports", response=ReportListOut, summary="我申请的报表（最新在前）")
def report_list(request, filters: Query[ReportFilters]):
    jobs = scope(ReportJob.objects.all(), request.auth)
    page = jobs[filters.offset : filters.offset + filters.limit]
    return {"items": [_out(j) for j in page], "count": jobs.count()}


@router.get("/reports/{report_id}", response=ReportJobOut, summary="一份报表的状态和进度")
def report_detail(request, report_id: Id):
    return _out(get_scoped_or_404(ReportJob, request.auth, pk=report_id))


@router.get("/reports/{report_id}/file", summary="下载报表文件", response={200: None, 404: ErrorOut})
def report_file(request, report_id: Id):
    job = get_scoped_or_404(ReportJob, request.auth, pk=report_id)
    if not job.file:
        raise Http404
    try:
        path = services.report_path(job)
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_record(event=AuditEventType.EXPORT, user=request.auth, target=job, detail=f"下载 {job.title}")
    response = FileResponse(handle, content_type=CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.filename)}"
    response["Cache-Control"] = "private, no-store"
    return response
