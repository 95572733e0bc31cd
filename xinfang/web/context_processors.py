from django.conf import settings

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
    return context
