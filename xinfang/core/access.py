"""Which role may use which page. Objects out of scope answer 404 (see core.scoping); a whole page
that a role may not use answers 403 with a Chinese explanation and an audit row."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record


def roles_required(*roles):
    allowed = frozenset(roles)

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.role not in allowed:
                audit_record(
                    event=AuditEventType.DENIED,
                    user=request.user,
                    success=False,
                    detail=f"{request.user.get_role_display()}访问 {request.path}",
                )
                return render(request, "web/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = allowed
        return wrapper

    return decorator
