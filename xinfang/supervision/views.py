"""The pages of 督查督办. Thin: they read through the selectors and write through the services; a
refused write comes back to the page with the service's Chinese message and what was typed."""

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.cases.models import Case
from xinfang.core.access import roles_required
from xinfang.core.errors import EditConflict
from xinfang.core.scoping import scope

from . import selectors, services
from .choices import NoticeStatus, Subject, UnitKind
from .documents import notice_document, notice_filename, notice_items
from .models import READERS, VISIT_READERS

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STATUS_TABS = [
    ("", "全部", "all"),
    (NoticeStatus.OVERDUE, "逾期未回复", "overdue"),
    (NoticeStatus.ISSUED, "待回复", "issued"),
    (NoticeStatus.REPLIED, "已回复", "replied"),
    (NoticeStatus.CLOSED, "已办结", "closed"),
]


def _int(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 2**63 - 1 else None


def _day(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        return None


def _errors(request, exc: ValidationError) -> dict:
    errors = {field: problems[0] for field, problems in exc.message_dict.items()}
    for problem in errors.values():
        messages.error(request, problem)
    return errors


@require_GET
@roles_required(*READERS)
def notice_list(request):
    user = request.user
    today = timezone.localdate()
    status = request.GET.get("status", "")
    if status not in {s for s, _, _ in STATUS_TABS}:
        status = ""
    found = selectors.notices(user=user, today=today, status=status)
    page = Paginator(found, 30).get_page(request.GET.get("page"))
    counts = selectors.notice_counts(user=user, today=today)
    rows = [
        {"notice": n, "status": n.status_on(today), "late": n.days_overdue(today)} for n in page.object_list
    ]
    return render(
        request,
        "supervision/notice_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "tabs": [(s, label, counts[key]) for s, label, key in STATUS_TABS],
            "query": f"status={status}" if status else "",
            "can_issue": user.role in services.ISSUERS,
            "can_read_visits": user.role in VISIT_READERS,
        },
    )


def _case_id(user, text: str) -> int | None:
    """The case the team typed: its number (分信〔2026〕0001号) or its id."""
    text = (text or "").strip()
    if not text:
        return None
    found = scope(Case.objects.all(), user)
    case = found.filter(number=text).first()
    if case is None and (pk := _int(text)):
        case = found.filter(pk=pk).first()
    return case.pk if case else -1


@roles_required(Role.SUPERVISOR)
def notice_new(request):
    user = request.user
    data, errors = {}, {}
    if request.method == "POST":
        data = request.POST
        unit_kind = data.get("unit_kind", "")
        unit_id = _int(data.get("village") if unit_kind == UnitKind.VILLAGE else data.get("department"))
        case_id = _case_id(user, data.get("case", ""))
        try:
            notice = services.notice_issue(
                acting_user=user,
                unit_kind=unit_kind,
                unit_id=unit_id,
                subject=data.get("subject", ""),
                case_id=case_id if case_id and case_id > 0 else None,
                key_person_id=_int(data.get("key_person")),
                theme=data.get("theme", ""),
                requirements=data.get("requirements", ""),
                reply_due=_day(data.get("reply_due")),
            )
        except ValidationError as exc:
            errors = _errors(request, exc)
        else:
            messages.success(request, f"已下发督办单 {notice.number}，发往{notice.unit_name}。")
            return redirect("supervision:notice", pk=notice.pk)
    choices = selectors.form_choices(user=user)
    return render(
        request,
        "supervision/notice_new.html",
        {
            "data": data,
            "errors": errors,
            "subjects": Subject.choices,
            "default_due": timezone.localdate() + dt.timedelta(days=7),
            **choices,
        },
        status=422 if errors else 200,
    )


@require_GET
@roles_required(*READERS)
def notice_detail(request, pk: int):
    user = request.user
    notice = selectors.notice_get(user=user, pk=pk)
    today = timezone.localdate()
    open_ = notice.status != NoticeStatus.CLOSED
    return render(
        request,
        "supervision/notice_detail.html",
        {
            "notice": notice,
            "status": notice.status_on(today),
            "late": notice.days_overdue(today),
            "replies": list(notice.replies.all()),
            # The team's visits may name other units: only the town's readers see them.
            "visits": list(notice.visits.all()) if user.role in VISIT_READERS else [],
            "items": notice_items(notice),
            "can_reply": open_ and notice.is_addressee(user),
            "can_close": open_ and user.role in services.ISSUERS,
            "text": request.GET.get("text", ""),
        },
    )


def _refused(request, exc: PermissionDenied):
    messages.error(request, f"未完成：{exc}")
    return render(request, "web/forbidden.html", status=403)


@require_POST
@roles_required(Role.VILLAGE, Role.DEPARTMENT)
def notice_reply(request, pk: int):
    try:
        services.notice_reply(acting_user=request.user, notice_id=pk, text=request.POST.get("text", ""))
    except PermissionDenied as exc:
        return _refused(request, exc)
    except services.NoticeClosed as exc:
        messages.info(request, str(exc))
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(
            f"{request.path.removesuffix('reply/')}?text={quote(request.POST.get('text', '')[:2000])}"
        )
    else:
        messages.success(request, "已回复督办单。")
    return redirect("supervision:notice", pk=pk)


@require_POST
@roles_required(Role.SUPERVISOR)
def notice_close(request, pk: int):
    try:
        services.notice_close(
            acting_user=request.user,
            notice_id=pk,
            note=request.POST.get("note", ""),
            version=_int(request.POST.get("version")),
        )
    except PermissionDenied as exc:
        return _refused(request, exc)
    except (services.NoticeClosed, EditConflict) as exc:
        messages.warning(request, str(exc))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "督办单已办结。")
    return redirect("supervision:notice", pk=pk)


@require_GET
@roles_required(*READERS)
def notice_download(request, pk: int):
    """The 督办单 as a Word file, for whoever may see it; each download is audited."""
    notice = selectors.notice_get(user=request.user, pk=pk)
    content = notice_document(notice)
    audit_record(
        event=AuditEventType.EXPORT, user=request.user, target=notice, town=notice.town, detail="下载督办单"
    )
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(notice_filename(notice))}"
    response["Cache-Control"] = "private, no-store"
    return response


@roles_required(*VISIT_READERS)
def visit_list(request):
    user = request.user
    data, errors = {}, {}
    if request.method == "POST":
        if user.role not in services.ISSUERS:
            return _refused(request, PermissionDenied(services.FORBIDDEN_VISIT))
        data = request.POST
        ids = [[_int(v) or 0 for v in data.getlist(name)] for name in ("villages", "departments", "notices")]
        try:
            visit = services.visit_record(
                acting_user=user,
                day=_day(data.get("day")),
                village_ids=ids[0],
                department_ids=ids[1],
                notice_ids=ids[2],
                findings=data.get("findings", ""),
                problems=data.get("problems", ""),
            )
        except ValidationError as exc:
            errors = _errors(request, exc)
        else:
            messages.success(request, f"已记录 {visit.day:%Y-%m-%d} 的督查。")
            return redirect("supervision:visits")
    page = Paginator(selectors.visits(user=user), 30).get_page(request.GET.get("page"))
    can_record = user.role in services.ISSUERS
    return render(
        request,
        "supervision/visit_list.html",
        {
            "page": page,
            "data": data,
            "errors": errors,
            "picked": {
                name: {str(v) for v in data.getlist(name)} if data else set()
                for name in ("villages", "departments", "notices")
            },
            "can_record": can_record,
            "today": timezone.localdate(),
            **(selectors.form_choices(user=user) if can_record else {}),
        },
        status=422 if errors else 200,
    )
