"""How long a notice has waited, or how late it is, in words a clerk reads at a glance."""

import datetime as dt

from django.utils import timezone

from .choices import NoticeStatus


def local_text(moment: dt.datetime) -> str:
    """2026-08-04 15:00, in the town's time."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def duration_text(delta: dt.timedelta) -> str:
    """2 天 3 小时, 5 小时 20 分钟, 12 分钟, 不到 1 分钟."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} 天 {hours} 小时" if hours else f"{days} 天"
    if hours:
        return f"{hours} 小时 {minutes} 分钟" if minutes else f"{hours} 小时"
    return f"{minutes} 分钟" if minutes else "不到 1 分钟"


def timing_text(notice, now: dt.datetime) -> str:
    """The notice's time in one phrase: how long it took, how long is left, or how late it is."""
    status = notice.status(now)
    if status == NoticeStatus.WITHDRAWN:
        return f"{local_text(notice.withdrawn_at)} 撤回：{notice.withdrawn_reason}"
    if status == NoticeStatus.ACKNOWLEDGED:
        took = duration_text(notice.acknowledged_at - notice.sent_at)
        if notice.acknowledged_at > notice.ack_due_at:
            return f"发出后 {took} 签收（超时 {duration_text(notice.acknowledged_at - notice.ack_due_at)}）"
        return f"发出后 {took} 签收"
    if status == NoticeStatus.OVERDUE:
        return f"已发出 {duration_text(now - notice.sent_at)}，超时 {duration_text(now - notice.ack_due_at)}"
    return f"已发出 {duration_text(now - notice.sent_at)}，剩 {duration_text(notice.ack_due_at - now)}"
