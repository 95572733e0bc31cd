"""Scheduled jobs of 稳控 (huey runs its periodic tasks on UTC: Beijing is UTC+8). Each job is a plain
function the tests call under frozen time; the periodic task only calls it."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import periodic_task

from xinfang.alerts.choices import AlertKind
from xinfang.alerts.services import alerts_send
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.org.models import Town

from . import selectors
from .choices import KEPT
from .models import DailyReport, FollowUp, KeyPerson, ProtectionPeriod
from .services import SYSTEM, office_users, owners, users_of, watch_sync


@transaction.atomic
def contacts_short_tell(*, day: dt.date | None = None) -> list[selectors.ContactStanding]:
    """Who is short of today's contacts: their keepers are told (the job runs once, in the evening)."""
    day = day or timezone.localdate()
    short = []
    for town in Town.objects.all():
        kept = (
            KeyPerson.objects.filter(town=town, status__in=KEPT)
            .select_related("town", "petitioner", "village", "case")
            .prefetch_related("keepers__person")
        )
        for standing in selectors.standings(kept, day):
            if not standing.short:
                continue
            short.append(standing)
            kp = standing.key_person
            recipients = users_of([k.person for k in kp.keepers.all()]) or users_of(owners(kp))
            if not recipients:
                continue
            alerts_send(
                case=None,
                town=town,
                recipients=recipients,
                kind=AlertKind.CONTACT_SHORT,
                text=f"重点人员{kp.petitioner.name}（{kp.village.name if kp.village_id else '未定村（居）'}）"
                f"见面不足：要求{standing.need.text}，已见 {standing.met} 次，还差 {standing.missing} 次。"
                "请尽快见面并记录。",
            )
        in_town = sum(1 for s in short if s.key_person.town_id == town.pk)
        if in_town:
            audit_record(
                event=AuditEventType.CREATE,
                username=SYSTEM,
                town=town,
                detail=f"{day:%Y-%m-%d} 见面不足 {in_town} 人，已提醒包保人员",
            )
    return short


@transaction.atomic
def follow_ups_due_tell(*, day: dt.date | None = None) -> list[FollowUp]:
    """Follow-ups come due: the case's owner, its village and the office are told once."""
    day = day or timezone.localdate()
    due = list(
        FollowUp.objects.filter(
            done_on__isnull=True, told_at__isnull=True, due_on__lte=day, watch__status="active"
        )
        .select_related("watch__case__town", "watch__case__village")
        .order_by("due_on", "id")
    )
    told = []
    now = timezone.now()
    for follow_up in due:
        # Flips only if still untold: two workers never tell twice.
        if not FollowUp.objects.filter(pk=follow_up.pk, told_at__isnull=True).update(told_at=now):
            continue
        case = follow_up.watch.case
        from xinfang.accounts.models import User

        recipients = users_of([case.lead_leader_id]) + list(
            User.objects.filter(village_id=case.village_id, role="village", is_active=True)
        )
        recipients += office_users(case.town_id)
        alerts_send(
            case=case,
            recipients=recipients,
            kind=AlertKind.FOLLOW_UP_DUE,
            text=f"已化解事项{case.number}“{case.title}”第 {follow_up.seq} 次回访已到期"
            f"（应于 {follow_up.due_on:%Y-%m-%d} 前），请回访信访人并记录其状态。",
        )
        told.append(follow_up)
    return told


@transaction.atomic
def daily_reports_missing_tell(*, day: dt.date | None = None) -> dict:
    """有事报情况、无事报平安: by the end of the day, villages that sent no report are listed to the office
    and told."""
    from xinfang.accounts.models import User
    from xinfang.org.models import Village

    day = day or timezone.localdate()
    missing = {}
    for period in ProtectionPeriod.objects.filter(start__lte=day, end__gte=day).select_related("town"):
        reported = DailyReport.objects.filter(period=period, day=day).values("village_id")
        villages = list(Village.objects.filter(town=period.town).exclude(pk__in=reported).order_by("order"))
        missing[period.pk] = villages
        if not villages:
            continue
        clerks = list(User.objects.filter(village__in=villages, role="village", is_active=True))
        alerts_send(
            case=None,
            town=period.town,
            recipients=clerks + office_users(period.town_id),
            kind=AlertKind.DAILY_REPORT_MISSING,
            text=f"保障期“{period.name}”{day:%m月%d日}未报告的村（居）："
            f"{'、'.join(v.name for v in villages)}。有事报情况、无事报平安，请当日补报。",
        )
    return missing


@periodic_task(crontab(minute="*/10"))
def watch_sync_task():
    watch_sync()


# Key persons short of the day's contacts are told by the warning rule key_person_contacts_short
# (xinfang.warnings, on its 20:00 scan): one inbox, with a level, acknowledged like every warning.


@periodic_task(crontab(hour="0", minute="30"))  # 08:30 Beijing
def follow_ups_due_task():
    follow_ups_due_tell()


@periodic_task(crontab(hour="10", minute="0"))  # 18:00 Beijing
def daily_reports_missing_task():
    daily_reports_missing_tell()
