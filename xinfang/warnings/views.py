from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xinfang.accounts.choices import WORK_ROLES
from xinfang.core.access import roles_required
from xinfang.core.errors import EditConflict

from . import selectors
from .choices import Level
from .models import BOARD_ROLES, WarningState
from .services import NOTE_MAX, may_act, warning_acknowledge, warning_handle

LEVEL_CHOICES = list(reversed(Level.choices))  # red first


@roles_required(*WORK_ROLES)
def warning_board(request):
    """预警看板: the town's warnings for the office, leaders and supervision; one's own for the others."""
    level = request.GET.get("level", "")
    level = level if level in Level.values else ""
    rules = selectors.rule_choices()
    rule = request.GET.get("rule", "")
    rule = rule if rule in dict(rules) else ""
    status = request.GET.get("status", "")
    status = status if status in WarningState.values else ""
    warnings = selectors.board(user=request.user, level=level, rule=rule, status=status)
    page = Paginator(warnings, 30).get_page(request.GET.get("page"))
    rows = [(w, selectors.rule_name(w.rule), selectors.object_of(w)) for w in page]
    return render(
        request,
        "warnings/board.html",
        {
            "page": page,
            "rows": rows,
            "level": level,
            "rule": rule,
            "status": status,
            "levels": LEVEL_CHOICES,
            "rules": rules,
            "statuses": WarningState.choices,
            "town_wide": request.user.role in BOARD_ROLES,
            "query": "&".join(
                f"{k}={v}" for k, v in (("level", level), ("rule", rule), ("status", status)) if v
            ),
        },
    )


def _detail(request, pk: int, *, note: str = "", note_error: str = "", status: int = 200):
    d = selectors.detail(user=request.user, pk=pk)
    return render(
        request,
        "warnings/detail.html",
        {
            "d": d,
            "w": d.warning,
            "may_act": may_act(request.user, d.warning),
            "note": note,
            "note_error": note_error,
            "note_max": NOTE_MAX,
        },
        status=status,
    )


@roles_required(*WORK_ROLES)
def warning_detail(request, pk: int):
    response = _detail(request, pk)
    return response


@require_POST
@roles_required(*WORK_ROLES)
def warning_ack(request, pk: int):
    warning_acknowledge(warning_id=pk, acting_user=request.user)
    messages.success(request, "已签收该预警。")
    return redirect("warnings:detail", pk=pk)


@require_POST
@roles_required(*WORK_ROLES)
def warning_handle_post(request, pk: int):
    note = request.POST.get("note", "")
    try:
        warning_handle(warning_id=pk, acting_user=request.user, note=note)
    except ValidationError as exc:
        problem = "；".join(m for ms in exc.message_dict.values() for m in ms)
        return _detail(request, pk, note=note, note_error=problem, status=422)
    except EditConflict as exc:
        messages.error(request, str(exc))
        return redirect("warnings:detail", pk=pk)
    messages.success(request, "已记录处置情况。")
    return redirect("warnings:detail", pk=pk)
