from xinfang.core.scoping import scope

from .choices import AlertKind
from .models import Alert

LEVELS = [("red", "红色"), ("orange", "橙色"), ("yellow", "黄色"), ("blue", "蓝色")]


def alert_list(*, user, unread_only: bool = False, level: str = "", kind: str = ""):
    alerts = scope(Alert.objects.select_related("case"), user)
    if unread_only:
        alerts = alerts.filter(read_at__isnull=True)
    if level:
        alerts = alerts.filter(level=level)
    if kind:
        alerts = alerts.filter(kind=kind)
    return alerts


def kinds_of(*, user) -> list[tuple[str, str]]:
    """The kinds the user has in their inbox, with their names, for the filter."""
    rows = scope(Alert.objects.all(), user).order_by().values_list("kind", "label").distinct()
    names = {}
    for kind, label in rows:
        names[kind] = label or (AlertKind(kind).label if kind in AlertKind.values else kind)
    return sorted(names.items(), key=lambda kv: kv[1])


def unread_count(*, user) -> int:
    # The index alert_inbox (recipient, read_at) answers it. The page's badge reuses the number a view
    # has just counted (web.context_processors), so a page counts once.
    count = Alert.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
    user._unread_alerts = count
    return count
