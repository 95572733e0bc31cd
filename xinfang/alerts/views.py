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
    alerts = selectors.alert_list(user=request.user, unread_only=unread)
    page = Paginator(alerts, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/inbox.html",
        {"page": page, "unread": unread, "unread_count": selectors.unread_count(user=request.user)},
    )


@require_POST
@roles_required(*WORK_ROLES)
def alert_open(request, pk: int):
    """Marks the alert read and opens its case."""
    alert = alert_read(alert_id=pk, acting_user=request.user)
    if alert.case_id:
        return redirect("cases:detail", pk=alert.case_id)
    return redirect("alerts:inbox")


@require_POST
@roles_required(*WORK_ROLES)
def alert_read_all(request):
    alerts_read_all(acting_user=request.user)
    return redirect("alerts:inbox")
