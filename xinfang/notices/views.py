from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from xinfang.accounts.choices import WORK_ROLES, Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core.access import roles_required

from . import selectors
from .documents import notice_document, notice_filename
from .services import NoticeAlreadyAcknowledged, notice_acknowledge
from .timing import timing_text

# Who has an inbox: the units that receive notices, and the office that watches them; the
# supervision team watches too, read-only (it never signs for a unit).
INBOX_ROLES = (Role.OFFICE, Role.VILLAGE, Role.DEPARTMENT, Role.SUPERVISOR)
WATCHERS = (Role.OFFICE, Role.SUPERVISOR)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_GET
@roles_required(*INBOX_ROLES)
def notice_inbox(request):
    """A unit's notices, pending first, with the 签收 button; for the office and the supervision team
    every notice of the town and the list of those not acknowledged in time (?overdue=1)."""
    user = request.user
    now = timezone.now()
    overdue = request.GET.get("overdue") in ("1", "true")
    pending = request.GET.get("pending") in ("1", "true")
    notices = selectors.inbox(user=user, overdue=overdue, pending=pending, now=now)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    rows = [
        {"notice": n, "status": n.status(now), "timing": timing_text(n, now), "can_ack": n.is_receiver(user)}
        for n in page.object_list
    ]
    return render(
        request,
        "notices/inbox.html",
        {
            "page": page,
            "rows": rows,
            "overdue": overdue,
            "counts": selectors.notice_counts(user=user, now=now),
            "query": "overdue=1" if overdue else "pending=1" if pending else "",
            "office": user.role in WATCHERS,
            "read_only": user.role == Role.SUPERVISOR,
        },
    )


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@require_POST
@roles_required(Role.VILLAGE, Role.DEPARTMENT)
def notice_ack(request, pk: int):
    try:
        notice = notice_acknowledge(notice_id=pk, acting_user=request.user)
    except PermissionDenied as exc:
        # Refused like every other write of the wrong role or unit: 403, with the reason shown.
        messages.error(request, f"签收未完成：{exc}")
        return render(request, "web/forbidden.html", status=403)
    except NoticeAlreadyAcknowledged as exc:
        messages.info(request, str(exc))
    else:
        at = timezone.localtime(notice.acknowledged_at)
        messages.success(request, f"已签收 {notice.case.number} 的交办单，签收时间 {at:%Y-%m-%d %H:%M}。")
    return _back(request, "notices:inbox")


@require_GET
@roles_required(*WORK_ROLES)
def notice_download(request, pk: int):
    """The 交办单 as a Word file, for whoever may see the notice; each download is audited."""
    notice = selectors.notice_get(user=request.user, pk=pk)
    content = notice_document(notice)
    audit_record(
        event=AuditEventType.EXPORT,
        user=request.user,
        target=notice,
        town=notice.case.town,
        detail=f"下载交办单（{notice.target_label}）",
    )
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(notice_filename(notice))}"
    response["Cache-Control"] = "private, no-store"
    return response
