from django.db.models import Q

from xinfang.core.scoping import scope

from .models import AuditEvent


def audit_event_search(*, user, filters: dict):
    events = scope(AuditEvent.objects.all(), user)
    if filters.get("date_from"):
        events = events.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        events = events.filter(created_at__date__lte=filters["date_to"])
    if filters.get("username"):
        events = events.filter(username__icontains=filters["username"])
    if filters.get("event"):
        events = events.filter(event=filters["event"])
    if filters.get("success") in ("1", "0"):
        events = events.filter(success=filters["success"] == "1")
    if q := filters.get("q"):
        events = events.filter(
            Q(target_repr__icontains=q) | Q(detail__icontains=q) | Q(ip_address__icontains=q)
        )
    return events
