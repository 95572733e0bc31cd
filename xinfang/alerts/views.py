from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xinfang.accounts.choices import WORK_ROLES
from xinfang.core.access import roles_required

from . import selectors
from .services import alert_read, alerts_read_all


@roles_required(*WORK_ROLES)
def alert_inbox(request):
    unread = request.GET.get("unread") in ("1", "true")
    levels = dict(selectors.LEVELS)
    level = request.GET.get("level", "")
    level = level if level in levels else ""
    kinds = selectors.kinds_of(user=request.user)
    kind = request.GET.get("kind", "")
    kind = kind if kind in dict(kinds) else ""
    alerts = selectors.alert_list(user=request.user, unread_only=unread, level=level, kind=kind)
    page = Paginator(alerts, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/inbox.html",
        {
            "page": page,
            "unread": unread,
            "level": level,
            "kind": kind,
            "levels": selectors.LEVELS,
            "kinds": kinds,
            "query": "&".join(
                f"{k}={v}"
                for k, v in (("unread", "1" if unread else ""), ("level", level), ("kind", kind))
                if v
            ),
        },
    )


@require_POST
@roles_required(*WORK_ROLES)
def alert_open(request, pk: int):
    """Marks the alert read and opens where it is acted on: a warning's page, or its case."""
    alert = alert_read(alert_id=pk, acting_user=request.user)
    if alert.url.startswith("/") and not alert.url.startswith("//"):
        return redirect(alert.url)
    if alert.case_id:
        return redirect("cases:detail", pk=alert.case_id)
    return redirect("alerts:inbox")


@require_POST
@roles_required(*WORK_ROLES)
def alert_read_all(request):
    alerts_read_all(acting_user=request.user)
    return redirect("alerts:inbox")
