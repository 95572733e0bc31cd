"""Reads of 稳控, each through the reader's scope."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from xinfang.cases.models import Petitioner
from xinfang.core.masking import mask_id_number
from xinfang.core.scoping import get_scoped_or_404, scope

from . import rules
from .choices import KEPT, KeyPersonStatus
from .models import (
    Alarm,
    Contact,
    DailyReport,
    FollowUp,
    Incident,
    KeyPerson,
    KeyPersonKeeper,
    ProtectionPeriod,
    StayCheck,
    Watch,
)


def key_persons(*, user):
    return scope(
        KeyPerson.objects.select_related("town", "petitioner", "village", "grid", "case").prefetch_related(
            "keepers__person"
        ),
        user,
    ).annotate(keeper_count=Count("keepers", distinct=True))


def key_person_get(*, user, pk: int) -> KeyPerson:
    return get_scoped_or_404(key_persons(user=user), user, pk=pk)


def key_person_filter(queryset, *, q="", level="", status="", village=None, group="", unkept=False):
    if q:
        queryset = queryset.filter(
            Q(petitioner__name__contains=q) | Q(group__contains=q) | Q(petitioner__id_number=q.upper())
        )
    if level:
        queryset = queryset.filter(level=level)
    if status == "kept":
        queryset = queryset.filter(status__in=KEPT)
    elif status:
        queryset = queryset.filter(status=status)
    if village:
        queryset = queryset.filter(village_id=village)
    if group:
        queryset = queryset.filter(group=group)
    if unkept:
        queryset = queryset.filter(~Exists(KeyPersonKeeper.objects.filter(key_person=OuterRef("pk"))))
    return queryset


def periods_for(key_person_ids, day: dt.date) -> dict[int, list[ProtectionPeriod]]:
    """The protection periods in force on `day` that each key person is in."""
    through = ProtectionPeriod.key_persons.through.objects.filter(
        keyperson_id__in=key_person_ids, protectionperiod__start__lte=day, protectionperiod__end__gte=day
    ).select_related("protectionperiod")
    found = defaultdict(list)
    for row in through:
        found[row.keyperson_id].append(row.protectionperiod)
    return found


@dataclass
class ContactStanding:
    key_person: KeyPerson
    need: rules.Need
    met: int
    today: int
    periods: list = field(default_factory=list)

    @property
    def short(self) -> bool:
        return self.met < self.need.contacts

    @property
    def missing(self) -> int:
        return max(self.need.contacts - self.met, 0)


def standings(key_persons_list, day: dt.date | None = None) -> list[ContactStanding]:
    """Each kept key person's need on `day` and the contacts that meet it."""
    day = day or timezone.localdate()
    kps = [kp for kp in key_persons_list if kp.status in KEPT]
    if not kps:
        return []
    ids = [kp.pk for kp in kps]
    periods = periods_for(ids, day)
    needs = {kp.pk: rules.need(kp, day, periods.get(kp.pk, ())) for kp in kps}
    longest = max(n.days for n in needs.values())
    counts = defaultdict(dict)
    rows = (
        Contact.objects.filter(key_person_id__in=ids, day__gt=day - dt.timedelta(days=longest), day__lte=day)
        .values("key_person_id", "day")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["key_person_id"]][row["day"]] = row["n"]
    return [
        ContactStanding(
            key_person=kp,
            need=needs[kp.pk],
            met=rules.met(needs[kp.pk], counts[kp.pk], day),
            today=counts[kp.pk].get(day, 0),
            periods=periods.get(kp.pk, []),
        )
        for kp in kps
    ]


def short_today(*, user, day: dt.date | None = None) -> list[ContactStanding]:
    return [s for s in standings(key_persons(user=user).filter(status__in=KEPT), day) if s.short]


def contacts_of(*, user, key_person: KeyPerson):
    return scope(Contact.objects.filter(key_person=key_person).select_related("recorded_by"), user)


def alarms_of(*, user, key_person: KeyPerson):
    return scope(Alarm.objects.filter(key_person=key_person).select_related("contact"), user)


def open_alarms(*, user):
    return scope(
        Alarm.objects.filter(closed_at__isnull=True).select_related("contact", "key_person__petitioner"), user
    )


def periods(*, user):
    return scope(ProtectionPeriod.objects.all(), user)


def period_get(*, user, pk: int) -> ProtectionPeriod:
    return get_scoped_or_404(ProtectionPeriod.objects.all(), user, pk=pk)


def period_current(*, user, day: dt.date | None = None) -> ProtectionPeriod | None:
    day = day or timezone.localdate()
    found = periods(user=user).filter(end__gte=day).order_by("start").first()
    return found


@dataclass
class BoardRow:
    standing: ContactStanding
    stay: StayCheck | None
    incidents: int


@dataclass
class Board:
    period: ProtectionPeriod
    day: dt.date
    rows: list[BoardRow]
    registrations: list
    reports: list
    missing_villages: list
    in_force: bool
    before: bool

    @property
    def short_count(self) -> int:
        return sum(1 for r in self.rows if r.standing.short)

    @property
    def unconfirmed(self) -> int:
        return sum(1 for r in self.rows if r.stay is None)

    @property
    def stranded(self) -> int:
        return sum(1 for r in self.rows if r.stay is not None and not r.stay.in_place)

    @property
    def stable_rate(self) -> float | None:
        if not self.rows:
            return None
        return sum(1 for r in self.rows if not r.incidents) / len(self.rows)


def board(*, user, period: ProtectionPeriod, day: dt.date | None = None) -> Board:
    """The period's board: every key person the reader may see, their latest status and last
    contact, today's contacts met or not, the 零滞留 check, and the 零登记 count."""
    from xinfang.org.models import Village

    day = day or timezone.localdate()
    members = list(key_persons(user=user).filter(periods=period).order_by("village__order", "id"))
    in_force = period.start <= day <= period.end
    stand_day = min(max(day, period.start), period.end)
    by_kp = {s.key_person.pk: s for s in standings(members, stand_day)}
    stays = {
        s.key_person_id: s
        for s in scope(StayCheck.objects.filter(period=period), user).select_related("confirmed_by")
    }
    incident_counts = dict(
        Incident.key_persons.through.objects.filter(
            keyperson_id__in=[m.pk for m in members],
            incident__occurred_at__date__gte=period.start,
            incident__occurred_at__date__lte=period.end,
        )
        .values_list("keyperson_id")
        .annotate(n=Count("id"))
    )
    rows = []
    for kp in members:
        standing = by_kp.get(kp.pk) or ContactStanding(kp, rules.need(kp, stand_day), 0, 0)
        rows.append(
            BoardRow(standing=standing, stay=stays.get(kp.pk), incidents=incident_counts.get(kp.pk, 0))
        )
    registrations = list(
        scope(period.registrations.all(), user).select_related("key_person__petitioner").order_by("at")
    )
    reports = list(scope(DailyReport.objects.filter(period=period, day=day), user).select_related("village"))
    reported = {r.village_id for r in reports}
    villages = scope(Village.objects.filter(town=period.town), user).order_by("order", "id")
    missing = [v for v in villages if v.pk not in reported] if in_force else []
    return Board(
        period=period,
        day=day,
        rows=rows,
        registrations=registrations,
        reports=reports,
        missing_villages=missing,
        in_force=in_force,
        before=day < period.start,
    )


def incidents(*, user):
    return scope(
        Incident.objects.select_related("village", "period", "recorded_by").prefetch_related(
            "key_persons__petitioner", "cases"
        ),
        user,
    )


def watches(*, user):
    return scope(Watch.objects.select_related("case", "village"), user)


def follow_ups(*, user, due: bool = False, day: dt.date | None = None):
    day = day or timezone.localdate()
    found = scope(
        FollowUp.objects.select_related("watch__case__village", "watch__case__lead_leader", "done_by"), user
    )
    if due:
        found = found.filter(done_on__isnull=True, due_on__lte=day, watch__status="active")
    return found


def petitioners_search(*, user, q: str):
    """Petitioners by name or the full ID number (a part of a number finds nothing: no guessing)."""
    q = (q or "").strip()
    found = scope(Petitioner.objects.select_related("village"), user)
    if not q:
        return found.none()
    if len(q) == 18:
        return found.filter(id_number=q.upper())
    return found.filter(name__contains=q)


def masked_id(petitioner) -> str:
    return mask_id_number(petitioner.id_number)


def stability_rate(*, user, start: dt.date, end: dt.date) -> tuple[int, int]:
    """重点人员稳定率 for a span: (key persons with no incident in it, key persons kept)."""
    kps = key_persons(user=user).exclude(status=KeyPersonStatus.REVOKED).filter(created_at__date__lte=end)
    total = kps.count()
    unstable = (
        kps.filter(incidents__occurred_at__date__gte=start, incidents__occurred_at__date__lte=end)
        .distinct()
        .count()
    )
    return total - unstable, total
