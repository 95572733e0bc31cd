"""The demo town's meetings of the last months, so that the cadence page shows meetings held and
short: task-force meetings by the 包案领导 (the demo leader holds all three each month, the others
fewer), the monthly joint meetings (one month missed), the quarterly report to the party committee,
and two reception days, one with the visits it received. Recorded through the meetings services, as
the office would; run once."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xinfang.accounts.models import User
from xinfang.cases.choices import Channel, Resolution
from xinfang.cases.models import Case, Petition
from xinfang.meetings.choices import MeetingKind
from xinfang.meetings.models import Meeting, ReceptionPetition
from xinfang.meetings.periods import period_of
from xinfang.meetings.services import MeetingIn, TaskIn, meeting_create, reception_create
from xinfang.org.models import Person

DECISIONS = {
    MeetingKind.TASK_FORCE: "逐案梳理包案事项进展，明确下一步化解措施；对情绪不稳定的信访人落实专人稳控，"
    "本周内完成入户走访。",
    MeetingKind.JOINT: "听取本月信访形势分析，研究疑难复杂信访事项，明确牵头部门和化解时限；"
    "对越级访苗头落实属地稳控责任。",
    MeetingKind.PARTY_COMMITTEE: "向镇党委会报告本季度信访突出问题攻坚行动综合情况，"
    "党委会研究部署下季度重点工作。",
}


def _day(month_start: dt.date, day: int, today: dt.date) -> dt.date:
    return min(month_start.replace(day=min(day, 28)), today)


@transaction.atomic
def meetings_demo(*, town, users: dict[str, User]) -> dict:
    if Meeting.objects.filter(town=town).exists():
        return {}
    office = users["office"]
    today = timezone.localdate()
    leaders = list(Person.objects.filter(town=town, is_leader=True).order_by("id"))
    owners = list(
        Person.objects.filter(
            pk__in=Case.objects.filter(town=town, lead_leader__isnull=False)
            .exclude(resolution=Resolution.RESOLVED)
            .values("lead_leader_id")
        ).order_by("id")
    )
    demo_leader = users["leader1"].person
    chair = next((p for p in leaders if p.code == "fushuji"), leaders[0])
    # The current month and the three before it.
    months, start = [], period_of(today, "month")[0]
    for _ in range(4):
        months.append(start)
        start = period_of(start - dt.timedelta(days=1), "month")[0]
    made = 0

    def record(kind, day, host, cases=(), tasks=()):
        nonlocal made
        meeting_create(
            acting_user=office,
            data=MeetingIn(
                kind=kind,
                held_on=day,
                place="镇三楼会议室" if kind != MeetingKind.TASK_FORCE else "镇信访接待室",
                title={MeetingKind.TASK_FORCE: "包案事项推进会", MeetingKind.JOINT: "月度联席会议"}.get(
                    kind, ""
                ),
                host_id=host.pk,
                attendee_ids=[p.pk for p in leaders[:5]],
                case_ids=[c.pk for c in cases],
                decisions=DECISIONS[kind],
                tasks=list(tasks),
            ),
        )
        made += 1

    for m_index, month in enumerate(reversed(months)):
        current = month == months[0]
        for o_index, owner in enumerate(owners):
            own = list(
                Case.objects.filter(town=town, lead_leader=owner)
                .exclude(resolution=Resolution.RESOLVED)
                .order_by("-id")[:3]
            )
            # The demo leader keeps the cadence; the others fall short now and then.
            times = 3 if owner == demo_leader else (3 if (o_index + m_index) % 3 else 2)
            if current:
                times = min(times, max(0, (today.day - 1) // 9))
            for t in range(times):
                day = _day(month, 3 + 9 * t, today)
                tasks = [
                    TaskIn(
                        what="入户走访信访人，听取诉求", owner_id=owner.pk, due_on=day + dt.timedelta(days=7)
                    )
                ]
                record(MeetingKind.TASK_FORCE, day, owner, own, tasks if t == 0 else ())
        # One past month without a joint meeting: the cadence page shows it red.
        if not current and m_index != 1:
            record(MeetingKind.JOINT, _day(month, 25, today), chair)
    last_quarter = period_of(period_of(today, "quarter")[0] - dt.timedelta(days=1), "quarter")
    record(MeetingKind.PARTY_COMMITTEE, last_quarter[1] - dt.timedelta(days=3), leaders[0])

    # Reception days: one last week with the visits received that day, one ahead.
    host = leaders[1] if len(leaders) > 1 else leaders[0]
    visits = list(
        Petition.objects.filter(case__town=town, channel=Channel.VISIT, received_at__date__lt=today)
        .select_related("case")
        .order_by("-received_at")[:3]
    )
    past_day = timezone.localtime(visits[0].received_at).date() if visits else today - dt.timedelta(days=7)
    past = reception_create(
        acting_user=office,
        held_on=past_day,
        place="镇信访接待室",
        leader_id=host.pk,
        notes="镇领导接访日，每月15日前后安排。",
    )
    for petition in visits:
        if timezone.localtime(petition.received_at).date() == past_day:
            ReceptionPetition.objects.get_or_create(reception=past, petition=petition)
    reception_create(
        acting_user=office,
        held_on=today + dt.timedelta(days=7),
        place="镇信访接待室",
        leader_id=leaders[0].pk,
    )
    return {"meetings": made, "receptions": 2}
