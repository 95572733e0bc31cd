from django.conf import settings

from xinfang.accounts.choices import WORK_ROLES
from xinfang.alerts.selectors import unread_count

from .navigation import nav_for


def shell(request):
    context = {
        "idle_timeout": settings.XINFANG_IDLE_TIMEOUT_SECONDS,
        "idle_timeout_minutes": max(settings.XINFANG_IDLE_TIMEOUT_SECONDS // 60, 1),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["nav_items"] = nav_for(user, request.path)
        context["current_town"] = user.town
        if user.role in WORK_ROLES:
            # One indexed count (alert_inbox) per page: the unread warnings and reminders.
            counted = getattr(user, "_unread_alerts", None)
            context["unread_alerts"] = unread_count(user=user) if counted is None else counted
    return context
