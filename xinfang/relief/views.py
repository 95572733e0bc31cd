from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core.access import roles_required

from . import exports, selectors
from .services import RECORD_ROLES, TOTALS_ROLES, relief_record, yuan

FORM_FIELDS = ("kind", "amount", "given_on", "approved_by", "approval_number", "note", "petitioner")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def form_key(case_pk: int) -> str:
    """The session key under which a refused form's typed values wait for the case page."""
    return f"relief-{case_pk}-form"


@require_POST
@roles_required(*RECORD_ROLES)
def relief_add(request, case_pk: int):
    """The case page's relief form; whatever happens, back to the case page with a message. A refused
    entry keeps what the user typed for the form to show again."""
    data = {name: request.POST.get(name, "") for name in FORM_FIELDS}
    try:
        relief = relief_record(case_id=case_pk, acting_user=request.user, **data)
    except ValidationError as exc:
        errors = {field: problems[0] for field, problems in exc.message_dict.items()}
        for problem in errors.values():
            messages.error(request, f"救助未录入：{problem}")
        request.session[form_key(case_pk)] = {"data": data, "errors": errors}
    except PermissionDenied:
        return render(request, "web/forbidden.html", status=403)
    else:
        messages.success(
            request,
            f"已录入{relief.get_kind_display()} {yuan(relief.amount)} 元（{relief.given_on:%Y-%m-%d}）。",
        )
    return redirect(reverse("cases:detail", kwargs={"pk": case_pk}) + "#reliefs")


def _period(request):
    """The period the query names; the current month, with a message, when the query is wrong."""
    kind, number = request.GET.get("period"), request.GET.get("number")
    if span := request.GET.get("span"):  # the page's one drop-down: "month-11", "quarter-4", "year-1"
        kind, _, number = span.partition("-")
    try:
        return selectors.period_parse(kind, request.GET.get("year"), number)
    except ValidationError as exc:
        for problems in exc.message_dict.values():
            for problem in problems:
                messages.error(request, f"统计期间有误：{problem}已改为显示本月。")
        return selectors.period_current()


@require_GET
@roles_required(*TOTALS_ROLES)
def relief_totals(request):
    period = _period(request)
    summary = selectors.totals(user=request.user, period=period)
    page = Paginator(selectors.reliefs_in(user=request.user, period=period), 50).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    years = range(today.year - 5, today.year + 1)
    return render(
        request,
        "relief/totals.html",
        {
            "period": period,
            "previous": period.shifted(-1),
            "next": period.shifted(1) if period.shifted(1).start <= today else None,
            "summary": summary,
            "page": page,
            "query": period.query(),
            "years": sorted({*years, period.year}),
            "months": range(1, 13),
            "quarters": selectors.QUARTERS.items(),
            "across_towns": request.user.role == Role.COUNTY,
        },
    )


@require_GET
@roles_required(*TOTALS_ROLES)
def relief_export(request):
    """The period's reliefs as an Excel file, with the totals on a second sheet. Audited."""
    period = _period(request)
    summary = selectors.totals(user=request.user, period=period)
    reliefs = selectors.reliefs_in(user=request.user, period=period)
    today = timezone.localdate()
    handle, count = exports.relief_xlsx(
        reliefs, period=period, summary=summary, user=request.user, today=today
    )
    audit_record(
        event=AuditEventType.EXPORT,
        user=request.user,
        detail=f"导出专项救助明细（{period.label}）{count} 笔",
    )
    response = FileResponse(handle, content_type=XLSX)
    filename = quote(f"专项救助-{period.label}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    # Names of people helped and amounts: never kept by the browser or a proxy.
    response["Cache-Control"] = "private, no-store"
    return response
