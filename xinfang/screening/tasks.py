"""Scheduled jobs of 排查 (huey runs its periodic tasks on UTC: Beijing is UTC+8). The job is a plain
function the tests call; the periodic task only calls it."""

import datetime as dt

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import periodic_task

from xinfang.org.models import Town

from .services import rolling_round_ensure


def rolling_rounds_open(*, today: dt.date | None = None) -> list:
    """滚动排查: each town whose settings ask for it has the round of the current block open
    (idempotent: a block's round is opened once)."""
    today = today or timezone.localdate()
    return [r for town in Town.objects.all() if (r := rolling_round_ensure(town=town, today=today))]


@periodic_task(crontab(hour="16", minute="5"))  # 00:05 Beijing
def rolling_rounds_task():
    rolling_rounds_open()
