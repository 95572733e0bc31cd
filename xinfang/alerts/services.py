"""Sending and reading alerts. Sent in the transaction of the change they tell of: the change and
its alert are stored together or not at all."""

from django.db import transaction
from django.utils import timezone

from xinfang.core.scoping import get_scoped_or_404, scope

from .models import Alert


def alerts_send(*, case, recipients, kind: str, text: str, town=None) -> list[Alert]:
    """One alert per recipient. An alert about no case (a key person met too rarely, a village that
    sent no daily report) names its `town` instead."""
    if case is None and town is None:
        raise ValueError("alerts_send needs a case or a town")
    town_id = case.town_id if case is not None else town.pk
    now = timezone.now()
    alerts = [
        Alert(town_id=town_id, recipient=user, case=case, kind=kind, text=text[:300], created_at=now)
        for user in dict.fromkeys(recipients)
    ]
    return Alert.objects.bulk_create(alerts)


@transaction.atomic
def alert_read(*, alert_id: int, acting_user) -> Alert:
    alert = get_scoped_or_404(Alert.objects.select_for_update(of=("self",)), acting_user, pk=alert_id)
    if alert.read_at is None:
        alert.read_at = timezone.now()
        alert.save(update_fields=["read_at"])
    return alert


def alerts_read_all(*, acting_user) -> int:
    return scope(Alert.objects.filter(read_at__isnull=True), acting_user).update(read_at=timezone.now())
