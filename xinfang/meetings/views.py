import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinfang.accounts.choices import WORK_ROLES, Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core.access import roles_required
from xinfang.core.scoping import scope
from xinfang.org.models import Department, Person, Town

from . import selectors, services
from .choices import MeetingKind
from .documents import minutes_document, minutes_filename
from .periods import period_of

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
READ = tuple(WORK_ROLES)
TASK_ROWS = 5


def _problems(request, exc: ValidationError, prefix: str) -> dict:
    errors = {field: problems[0] for field, problems in exc.message_dict.items()}
    for problem in errors.values():
        messages.error(request, f"{prefix}{problem}")
    return errors


def _date(value: str, field: str, errors: dict, label: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[field] = f"{label}格式不正确，请按 2026-05-01 填写。"
        return None


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit() and len(str(v)) < 13]


def _id(value) -> int | None:
    ids = _ids([value]) if value else []
    return ids[0] if ids else None


# --- meetings ----------------------------------------------------------------------------------


@roles_required(*READ)
def meeting_list(request):
    user = request.user
    kind = request.GET.get("kind", "")
    kind = kind if kind in MeetingKind.values else ""
    found = selectors.meetings(user=user, kind=kind)
    page = Paginator(found, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/list.html",
        {
            "page": page,
            "meetings": page.object_list,
            "kinds": MeetingKind.choices,
            "kind": kind,
            "can_create": services.meeting_can_create(user),
        },
    )


def _meeting_in(post, errors: dict) -> services.MeetingIn:
    tasks = []
    for i in range(TASK_ROWS):
        what = post.get(f"task_what_{i}", "").strip()
        owner = _id(post.get(f"task_owner_{i}"))
        due = _date(
            post.get(f"task_due_{i}", ""), f"tasks.{i}.due_on", errors, f"第 {i + 1} 项任务的完成时限"
        )
        if what or owner or post.get(f"task_due_{i}", "").strip():
            tasks.append(services.TaskIn(what=what, owner_id=owner, due_on=due))
    owners = []
    for case_id in _ids(post.getlist("owner_case")):
        leader = _id(post.get(f"owner_leader_{case_id}"))
        if not leader:
            continue  # the meeting did not decide this case
        owners.append(
            services.OwnerIn(
                case_id=case_id,
                lead_leader_id=leader,
                lead_department_id=_id(post.get(f"owner_dept_{case_id}")),
                responsible_ids=_ids(post.getlist(f"owner_resp_{case_id}")),
            )
        )
    return services.MeetingIn(
        kind=post.get("kind", ""),
        held_on=_date(post.get("held_on", ""), "held_on", errors, "会议日期"),
        place=post.get("place", ""),
        title=post.get("title", ""),
        host_id=_id(post.get("host")),
        attendee_ids=_ids(post.getlist("attendees")),
        case_ids=_ids(post.getlist("cases")),
        key_person_ids=_ids(post.getlist("key_persons")),
        decisions=post.get("decisions", ""),
        tasks=tasks,
        owners=owners,
    )


@roles_required(Role.OFFICE, Role.LEADER)
def meeting_new(request):
    user = request.user
    if not services.meeting_can_create(user):
        raise PermissionDenied("镇领导账号未关联人员，不能记录工作专班会议，请联系安全管理员。")
    data, errors = {}, {}
    if request.method == "POST":
        data = request.POST
        try:
            parsed = _meeting_in(data, errors)
            if errors:
                raise ValidationError(errors)
            meeting = services.meeting_create(acting_user=user, data=parsed)
        except ValidationError as exc:
            errors = _problems(request, exc, "会议未保存：")
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            errors = {"kind": str(exc)}
        else:
            messages.success(request, f"已记录{meeting.get_kind_display()}。")
            return redirect("meetings:detail", pk=meeting.pk)
    kind = (
        data.get("kind")
        or request.GET.get("kind")
        or (MeetingKind.TASK_FORCE if user.role == Role.LEADER else MeetingKind.JOINT)
    )
    kinds = (
        MeetingKind.choices
        if user.role == Role.OFFICE
        else [(MeetingKind.TASK_FORCE, MeetingKind.TASK_FORCE.label)]
    )
    people = list(
        scope(Person.objects.filter(town=user.town), user)
        .select_related("village")
        .order_by("-is_leader", "id")
    )
    waiting = selectors.cases_waiting_for_joint_meeting(user=user) if user.role == Role.OFFICE else []
    for w in waiting:
        w["chosen_leader"] = data.get(f"owner_leader_{w['case'].pk}", "") if data else ""
        w["chosen_dept"] = data.get(f"owner_dept_{w['case'].pk}", "") if data else ""
    return render(
        request,
        "meetings/new.html",
        {
            "data": data,
            "errors": errors,
            "kind": kind,
            "kinds": kinds,
            "people": people,
            "leaders": [p for p in people if p.is_leader],
            "departments": list(Department.objects.filter(town=user.town).order_by("order", "id")),
            "cases": selectors.cases_to_discuss(user=user),
            "key_persons": selectors.key_persons_to_discuss(user=user),
            "waiting": selectors.cases_waiting_for_joint_meeting(user=user)
            if user.role == Role.OFFICE
            else [],
            "task_rows": [
                {
                    "i": i,
                    "what": data.get(f"task_what_{i}", ""),
                    "owner": data.get(f"task_owner_{i}", ""),
                    "due": data.get(f"task_due_{i}", ""),
                }
                for i in range(TASK_ROWS)
            ],
            "selected": {
                "attendees": set(data.getlist("attendees")) if data else set(),
                "cases": set(data.getlist("cases")) if data else set(),
                "key_persons": set(data.getlist("key_persons")) if data else set(),
            },
            "today": timezone.localdate(),
            "is_leader": user.role == Role.LEADER,
        },
    )


@roles_required(*READ)
def meeting_detail(request, pk: int):
    user = request.user
    meeting = selectors.meeting_get(user=user, pk=pk)
    page = selectors.meeting_page(user=user, meeting=meeting)
    person = user.person_id
    for task in page["tasks"]:
        task.can_finish = not task.done_on and (
            user.role == Role.OFFICE or (person is not None and person in (task.owner_id, meeting.host_id))
        )
    return render(request, "meetings/detail.html", {**page, "today": timezone.localdate()})


@roles_required(*READ)
def meeting_minutes(request, pk: int):
    user = request.user
    meeting = selectors.meeting_get(user=user, pk=pk)
    content = minutes_document(selectors.meeting_page(user=user, meeting=meeting))
    audit_record(
        event=AuditEventType.EXPORT, user=user, target=meeting, town=meeting.town, detail="下载会议纪要"
    )
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(minutes_filename(meeting))}"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@roles_required(*READ)
def task_done_post(request, pk: int):
    errors = {}
    done_on = _date(request.POST.get("done_on", ""), "done_on", errors, "完成日期")
    try:
        if errors:
            raise ValidationError(errors)
        task = services.task_done(acting_user=request.user, task_id=pk, done_on=done_on)
    except ValidationError as exc:
        _problems(request, exc, "未能标记完成：")
        task = selectors.task_get(user=request.user, pk=pk)
    except PermissionDenied as exc:
        return render(request, "web/forbidden.html", {"reason": str(exc)}, status=403)
    else:
        messages.success(request, f"任务“{task.what}”已标记完成。")
    return redirect("meetings:detail", pk=task.meeting_id)


# --- cadence -----------------------------------------------------------------------------------


def _town_for(request):
    user = request.user
    if user.role != Role.COUNTY:
        return user.town, []
    towns = list(scope(Town.objects.all(), user).order_by("name"))
    chosen = _id(request.GET.get("town"))
    town = next((t for t in towns if t.pk == chosen), towns[0] if towns else None)
    return town, towns


@roles_required(*READ)
def cadence(request):
    """Held against required for each cadence: a month (per leader for task-force meetings), or the
    year as a grid of months."""
    town, towns = _town_for(request)
    today = timezone.localdate()
    year = _id(request.GET.get("year")) or today.year
    year = year if 2000 <= year <= today.year + 1 else today.year
    month = _id(request.GET.get("month")) or (today.month if year == today.year else 12)
    month = month if 1 <= month <= 12 else today.month
    view = "year" if request.GET.get("view") == "year" else "month"
    context = {"town": town, "towns": towns, "year": year, "month": month, "view": view, "today": today}
    context["years"] = list(range(today.year - 2, today.year + 1))
    context["months"] = list(range(1, 13))
    if town is None:
        return render(request, "meetings/cadence.html", {**context, "rows": [], "grid": []})
    if view == "year":
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        rows = selectors.cadence_rows(town, first, last, today=today)
        context["grid"] = selectors.cadence_year_grid(rows, first, last)
        context["short"] = sum(1 for r in rows if r["short"] and r["ended"])
    else:
        start, end = period_of(dt.date(year, month, 1), "month")
        rows = selectors.cadence_rows(town, start, end, today=today)
        context["rows"] = rows
        context["short"] = sum(1 for r in rows if r["short"])
        context["missed"] = sum(1 for r in rows if r["short"] and r["ended"])
        context["pending"] = context["short"] - context["missed"]
    return render(request, "meetings/cadence.html", context)


# --- reception days ----------------------------------------------------------------------------


@roles_required(*READ)
def reception_list(request):
    user = request.user
    data, errors = {}, {}
    if request.method == "POST":
        data = request.POST
        held_on = _date(data.get("held_on", ""), "held_on", errors, "接待日期")
        try:
            if errors:
                raise ValidationError(errors)
            reception = services.reception_create(
                acting_user=user,
                held_on=held_on,
                place=data.get("place", ""),
                leader_id=_id(data.get("leader")),
                notes=data.get("notes", ""),
            )
        except ValidationError as exc:
            errors = _problems(request, exc, "接访日未保存：")
        except PermissionDenied as exc:
            return render(request, "web/forbidden.html", {"reason": str(exc)}, status=403)
        else:
            messages.success(request, "已安排领导接访日。")
            return redirect("meetings:reception", pk=reception.pk)
    found = selectors.receptions(user=user)
    page = Paginator(found, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/reception_list.html",
        {
            "page": page,
            "receptions": selectors.reception_counts(list(page.object_list), user=user),
            "can_create": user.role == Role.OFFICE,
            "leaders": list(Person.objects.filter(town=user.town, is_leader=True).order_by("id"))
            if user.town_id
            else [],
            "data": data,
            "errors": errors,
            "today": timezone.localdate(),
        },
    )


@roles_required(*READ)
def reception_detail(request, pk: int):
    user = request.user
    reception = selectors.reception_get(user=user, pk=pk)
    errors = {}
    if request.method == "POST":
        try:
            petition = selectors.petition_by_number(user=user, number=request.POST.get("case", ""))
            services.reception_link(acting_user=user, reception_id=reception.pk, petition_id=petition.pk)
        except ValidationError as exc:
            errors = _problems(request, exc, "未能关联：")
        except PermissionDenied as exc:
            return render(request, "web/forbidden.html", {"reason": str(exc)}, status=403)
        else:
            messages.success(request, f"已将{petition.case.number}的来访关联到本次接访。")
            return redirect("meetings:reception", pk=reception.pk)
    return render(
        request,
        "meetings/reception_detail.html",
        {
            "reception": reception,
            "links": selectors.reception_petitions(user=user, reception=reception),
            "can_register": user.role == Role.OFFICE,
            "errors": errors,
            "data": request.POST,
        },
    )
