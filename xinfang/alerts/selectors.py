from xinfang.core.scoping import scope

from .models import Alert


def alert_list(*, user, unread_only: bool = False):
    alerts = scope(Alert.objects.select_related("case"), user)
    if unread_only:
        alerts = alerts.filter(read_at__isnull=True)
    return alerts


def unread_count(*, user) -> int:
    return scope(Alert.objects.filter(read_at__isnull=True), user).count()
