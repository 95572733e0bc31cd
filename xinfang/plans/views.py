from itertools import islice, zip_longest
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from xinfang.accounts.choices import WORK_ROLES, Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.cases.models import Case
from xinfang.core.access import roles_required
from xinfang.core.errors import EditConflict
from xinfang.core.scoping import get_scoped_or_404, scope
from xinfang.org.models import Person

from . import exports, selectors
from .models import Milestone
from .services import (
    MILESTONES_AT_ONCE,
    TASK_FORCE_MAX,
    milestone_done,
    milestone_progress_add,
    milestones_add,
    plan_save,
    task_force_set,
)


def form_key(case_pk: int) -> str:
    """The session key under which a refused form keeps what the user typed, for one showing."""
    return f"plans-{case_pk}-form"


def _back(case_pk: int, anchor: str):
    return redirect(f"{reverse('cases:detail', args=[case_pk])}#{anchor}")


def _run(request, case_pk: int, *, form: str, label: str, anchor: str, data: dict, call, done: str):
    """Runs a service for one of the case page's plan forms; a refusal keeps the typed values."""
    try:
        call()
    except ValidationError as exc:
        for problems in exc.message_dict.values():
            for problem in problems:
                messages.error(request, f"{label}未保存：{problem}")
        request.session[form_key(case_pk)] = {"form": form, **data}
    except EditConflict as exc:
        messages.error(request, f"{label}未保存：{exc}")
        request.session[form_key(case_pk)] = {"form": form, **data}
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return render(request, "web/forbidden.html", status=403)
    else:
        messages.success(request, done)
    return _back(case_pk, anchor)


def _person(user, value: str):
    if not value.strip().isdigit():
        raise ValidationError({"members": "所选人员不存在或不在本镇，请重新选择。"})
    person = scope(Person.objects.all(), user).filter(pk=int(value)).first()
    if person is None:
        raise ValidationError({"members": "所选人员不存在或不在本镇，请重新选择。"})
    return person


@require_POST
@roles_required(*WORK_ROLES)
def task_force_save(request, case_pk: int):
    """The task-force form: rows of person and role, one of them ticked as the leader; blank rows are
    left out."""
    get_scoped_or_404(Case.objects.all(), request.user, pk=case_pk)  # 404 before any talk of persons
    post = request.POST
    leader = post.get("leader", "")
    rows = []
    for i in range(TASK_FORCE_MAX):
        person, role = post.get(f"person_{i}", ""), post.get(f"role_{i}", "")
        if person or role.strip():
            rows.append({"index": str(i), "person": person, "role": role})

    def call():
        members = []
        for row in rows:
            if not row["person"]:
                raise ValidationError({"members": f"第 {int(row['index']) + 1} 行填写了职务，请选择人员。"})
            members.append((_person(request.user, row["person"]), row["role"], row["index"] == leader))
        task_force_set(
            case_id=case_pk, acting_user=request.user, members=members, expected_version=post.get("version")
        )

    return _run(
        request,
        case_pk,
        form="task_force",
        label="工作专班",
        anchor="plan-task-force",
        data={"rows": rows, "leader": leader},
        call=call,
        done="工作专班已保存。",
    )


@require_POST
@roles_required(*WORK_ROLES)
def plan_update(request, case_pk: int):
    data = {k: request.POST.get(k, "") for k in ("measures", "rebound_measures")}
    # The form's check boxes; a single `judgement` (as the form once sent it) counts as one of them.
    data["judgements"] = request.POST.getlist("judgements") + request.POST.getlist("judgement")
    seen = request.POST.get("version", "")
    return _run(
        request,
        case_pk,
        form="plan",
        label="化稳方案",
        anchor="plan-plan",
        data=data,
        call=lambda: plan_save(
            case_id=case_pk,
            acting_user=request.user,
            expected_version=int(seen) if seen.isdigit() else None,
            **data,
        ),
        done="化稳方案已保存。",
    )


@require_POST
@roles_required(*WORK_ROLES)
def milestone_create(request, case_pk: int):
    """Adds the typed rows of (title, due_on) as milestones, all or none. From htmx the milestones part
    of the card comes back redrawn, the form still open (with a blank row set, or the rows as typed
    and what is wrong); without it, the page as before."""
    pairs = zip_longest(request.POST.getlist("title"), request.POST.getlist("due_on"), fillvalue="")
    typed = [{"title": t, "due_on": d} for t, d in islice(pairs, MILESTONES_AT_ONCE * 2)]

    def call():
        return milestones_add(
            case_id=case_pk, acting_user=request.user, rows=[(r["title"], r["due_on"]) for r in typed]
        )

    if request.headers.get("HX-Request") != "true":
        return _run(
            request,
            case_pk,
            form="milestone",
            label="工作节点",
            anchor="plan-milestones",
            data={"rows": typed},
            call=call,
            done="已添加工作节点。",
        )
    from xinfang.cases.selectors import case_get

    from .templatetags.plans import plan_context

    case = case_get(user=request.user, pk=case_pk)  # 404 outside the user's scope
    added, refused = "", []
    try:
        created = call()
    except ValidationError as exc:
        refused = [problem for problems in exc.message_dict.values() for problem in problems]
    except PermissionDenied as exc:
        refused = [str(exc)]
    else:
        added = f"已添加 {len(created)} 个工作节点：{'、'.join(m.title for m in created)}。"
    context = plan_context(request, case, {"form": "milestone", "rows": typed} if refused else {})
    context.update(adding=True, added=added, refused=refused)
    return render(request, "plans/_milestones.html", context)


def _milestone(request, case_pk: int, pk: int) -> Milestone:
    return get_scoped_or_404(Milestone.objects.filter(case_id=case_pk), request.user, pk=pk)


@require_POST
@roles_required(*WORK_ROLES)
def milestone_complete(request, case_pk: int, pk: int):
    milestone = _milestone(request, case_pk, pk)
    data = {"on": request.POST.get("on", "")}
    return _run(
        request,
        case_pk,
        form=f"done-{pk}",
        label="节点完成",
        anchor=f"milestone-{pk}",
        data=data,
        call=lambda: milestone_done(milestone_id=milestone.pk, acting_user=request.user, **data),
        done=f"工作节点“{milestone.title}”已标记完成。",
    )


@require_POST
@roles_required(*WORK_ROLES)
def milestone_progress(request, case_pk: int, pk: int):
    milestone = _milestone(request, case_pk, pk)
    data = {k: request.POST.get(k, "") for k in ("text", "on")}
    return _run(
        request,
        case_pk,
        form=f"progress-{pk}",
        label="节点进展",
        anchor=f"milestone-{pk}",
        data=data,
        call=lambda: milestone_progress_add(milestone_id=milestone.pk, acting_user=request.user, **data),
        done=f"已填报“{milestone.title}”的进展。",
    )


@require_GET
@roles_required(*WORK_ROLES)
def incomplete(request):
    """The open prominent cases that lack any of the five haves, per owner and per village."""
    today = timezone.localdate()
    cases = selectors.five_haves_incomplete(user=request.user, today=today)
    return render(
        request,
        "plans/incomplete.html",
        {
            "cases": cases,
            "sections": [
                (("by-owner", "按包案领导"), selectors.group_by_owner(cases), "村（居）"),
                (("by-village", "按村（居）"), selectors.group_by_village(cases), "包案领导"),
            ],
            "today": today,
            "across_towns": request.user.role == Role.COUNTY,
        },
    )


@require_GET
@roles_required(*WORK_ROLES)
def incomplete_export(request):
    """The same list as an Excel file, audited like the ledger's export; never kept by a browser."""
    today = timezone.localdate()
    user = request.user
    cases = selectors.five_haves_incomplete(user=user, today=today)
    across_towns = user.role == Role.COUNTY
    unit = "全县" if across_towns or user.town is None else user.town.name
    handle, count = exports.incomplete_xlsx(cases, unit=unit, across_towns=across_towns, today=today)
    audit_record(event=AuditEventType.EXPORT, user=user, detail=f"导出“五有”未齐全的突出问题 {count} 件")
    response = FileResponse(
        handle, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = quote(f"五有未齐全-{today:%Y%m%d}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "private, no-store"
    return response
