"""The warning scans on the job queue's schedule (huey runs periodic tasks on UTC: Beijing is UTC+8).
Each calls the plain function `warnings_scan`, which the tests and `manage.py scan_warnings` call too."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .engine import warnings_scan


@db_periodic_task(crontab(minute="*/10"))
def warnings_scan_often():
    """Case clocks, threats missed, groups, repeats, key persons, notices: every ten minutes."""
    return warnings_scan(cadence="often").new


@db_periodic_task(crontab(hour="0", minute="5"))  # 08:05 Beijing
def warnings_scan_daily():
    return warnings_scan(cadence="daily").new


@db_periodic_task(crontab(hour="12", minute="0"))  # 20:00 Beijing
def warnings_scan_evening():
    """What is known only at the end of the day: key persons short of the day's contacts."""
    return warnings_scan(cadence="evening").new


@db_task()
def deliver_task(channel_key: str, warning_ids: list[int]):
    """Sends warnings over one outside channel, each retried after the configured pauses."""
    from .channels import deliver

    for warning_id in warning_ids:
        deliver(warning_id, channel_key)
