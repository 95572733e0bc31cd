from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core.access import roles_required
from xinfang.core.scoping import get_scoped_or_404, scope

from . import selectors, services
from .models import ReportJob
from .periods import KINDS, PeriodInvalid, period_parse

R = Role
# Who reads the dashboard: everyone who works cases, but the grid worker (their phone shows their key
# persons); each reads their own scope.
DASHBOARD_ROLES = (R.OFFICE, R.LEADER, R.DEPARTMENT, R.VILLAGE, R.SUPERVISOR, R.COUNTY)
REPORT_ROLES = tuple(sorted(set().union(*services.RUN_ROLES.values())))
CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_GET
@roles_required(*DASHBOARD_ROLES)
def dashboard(request):
    user = request.user
    today = timezone.localdate()
    error = ""
    try:
        period = period_parse(request.GET, today)
    except PeriodInvalid as exc:
        error = str(exc)
        period = period_parse({}, today)
    unit = selectors.unit_parse(user, request.GET)
    board = selectors.dashboard(user=user, period=period, unit=unit, today=today)
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "error": error,
            "kinds": KINDS,
            "q": request.GET,
            "choices": selectors.unit_choices(user),
            "months": range(1, 13),
            "quarters": [(1, "一"), (2, "二"), (3, "三"), (4, "四")],
            "years": range(today.year, today.year - 6, -1),
            "county": user.role == R.COUNTY,
        },
    )


def _index_context(user, *, form_kind="", form_error="", form_data=None):
    today = timezone.localdate()
    return {
        "kinds": services.kinds_for(user),
        "jobs": list(scope(ReportJob.objects.all(), user)[:50]),
        "form_kind": form_kind,
        "form_error": form_error,
        "form": form_data or {},
        "years": range(today.year, today.year - 6, -1),
        "months": range(1, 13),
        "this_month": today.month,
        "this_quarter": (today.month - 1) // 3 + 1,
        "quarters": [(1, "一"), (2, "二"), (3, "三"), (4, "四")],
    }


@require_GET
@roles_required(*REPORT_ROLES)
def report_index(request):
    """The reports a reader may ask for, and their own downloads."""
    return render(request, "reports/index.html", _index_context(request.user))


@require_POST
@roles_required(*REPORT_ROLES)
def report_new(request):
    kind = request.POST.get("kind", "")
    params = {k: request.POST.get(k, "") for k in ("view", "year", "month", "quarter")}
    params = {k: v for k, v in params.items() if v}
    try:
        job = services.report_start(acting_user=request.user, kind=kind, params=params)
    except PermissionDenied as exc:
        return render(request, "web/forbidden.html", {"reason": str(exc)}, status=403)
    except ValueError as exc:
        context = _index_context(request.user, form_kind=kind, form_error=str(exc), form_data=request.POST)
        return render(request, "reports/index.html", context, status=400)
    messages.success(request, f"已申请：{job.title}。生成后在下方“我的报表”中下载。")
    return redirect("reports:index")


@require_GET
@roles_required(*REPORT_ROLES)
def job_row(request, pk: int):
    """One row of the downloads list (htmx polls it while the report is being made)."""
    job = get_scoped_or_404(ReportJob, request.user, pk=pk)
    return render(request, "reports/_job_row.html", {"job": job})


@require_GET
@roles_required(*REPORT_ROLES)
def job_download(request, pk: int):
    job = get_scoped_or_404(ReportJob, request.user, pk=pk)
    if not job.file:
        raise Http404("报表尚未生成")
    try:
        path = services.report_path(job)
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404("报表文件不存在，请重新生成") from None
    audit_record(event=AuditEventType.EXPORT, user=request.user, target=job, detail=f"下载 {job.title}")
    response = FileResponse(handle, content_type=CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@roles_required(*REPORT_ROLES)
def job_delete(request, pk: int):
    job = get_scoped_or_404(ReportJob, request.user, pk=pk)
    try:
        services.report_delete(acting_user=request.user, job=job)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已删除：{job.title}")
    return redirect("reports:index")
