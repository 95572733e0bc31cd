import tempfile

from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.core import excel
from xinfang.core.access import roles_required

from .choices import AuditEventType
from .forms import AuditFilterForm
from .selectors import audit_event_search
from .services import audit_record

COLUMNS = ["时间", "用户名", "地址", "事件", "对象类型", "对象", "结果", "原值", "新值", "说明"]


def _search(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, audit_event_search(user=request.user, filters=filters)


@roles_required(Role.AUDITADMIN)
def audit_list(request):
    form, events = _search(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "total": page.paginator.count},
    )


@roles_required(Role.AUDITADMIN)
def audit_export(request):
    """The filtered rows as an Excel file, written row by row to a temporary file (constant memory)."""
    form, events = _search(request)
    handle = tempfile.TemporaryFile()
    book = excel.workbook(handle, {"constant_memory": True, "in_memory": False})
    cells = excel.Cells(book)
    sheet = book.add_worksheet("审计日志")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, COLUMNS, bold)
    sheet.set_column(0, 0, 20)
    sheet.set_column(5, 9, 30)
    count = 0
    for count, e in enumerate(events.iterator(chunk_size=2000), start=1):
        # Usernames come from the sign-in page: anybody, without an account, can type one.
        cells.row(
            sheet,
            count,
            0,
            [
                timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                e.username,
                e.ip_address or "",
                e.get_event_display(),
                e.target_type,
                e.target_repr,
                "成功" if e.success else "失败",
                "" if e.old_values is None else str(e.old_values),
                "" if e.new_values is None else str(e.new_values),
                e.detail,
            ],
        )
    book.close()
    audit_record(event=AuditEventType.EXPORT, user=request.user, detail=f"导出审计日志 {count} 条")
    handle.seek(0)
    name = f"审计日志-{timezone.localdate():%Y%m%d}.xlsx"
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
