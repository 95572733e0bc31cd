"""Writes of 稳控. Each service finds what it changes through the user's scope (Http404 otherwise),
checks the role (PermissionDenied, in Chinese), checks its input (ValidationError({field: Chinese}),
nothing stored) and writes the change and its audit row in one transaction. Alerts go out in the same
transaction (xinfang.alerts: stored with the change or not at all).

Who writes: the petition office manages the register, the periods and the incidents; a keeper, the
village and the grid worker log contacts for the key persons they see; a village sends its daily
report; follow-ups are recorded by the office, the village, the grid worker and the case's owner.
Supervision and the county read only.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.accounts.models import User
from xinfang.alerts.choices import AlertKind
from xinfang.alerts.services import alerts_send
from xinfang.attachments import sniffing, storage
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.cases.choices import Level, Resolution
from xinfang.cases.models import Case, Petition, Petitioner
from xinfang.core.inputs import EARLIEST, LATEST, MAX_ID
from xinfang.core.inputs import text_clean as _text
from xinfang.core.scoping import get_scoped_or_404, scope
from xinfang.org.models import Grid, Person

from . import rules
from .choices import (
    ALARMING,
    KEPT,
    ContactWay,
    FoundStatus,
    IncidentKind,
    IncidentLevel,
    KeeperDuty,
    KeyPersonStatus,
    PeriodLevel,
    PetitionerState,
    RegistrationLevel,
    WatchStatus,
)
from .models import (
    Alarm,
    Contact,
    DailyReport,
    FollowUp,
    Incident,
    KeyPerson,
    KeyPersonKeeper,
    ProtectionPeriod,
    Registration,
    StayCheck,
    Watch,
)

MANAGERS = frozenset({Role.OFFICE})  # the register, periods, incidents
CONTACT_ROLES = frozenset({Role.OFFICE, Role.VILLAGE, Role.GRID})  # and any keeper, whatever the role
FOLLOW_UP_ROLES = frozenset({Role.OFFICE, Role.VILLAGE, Role.GRID})  # and the case's owner
REPORT_ROLES = frozenset({Role.VILLAGE})
SYSTEM = "系统任务"
PHOTO_TYPES = frozenset({"jpg", "png"})
PHOTO_MAX_BYTES = 10 * 1024 * 1024
# The most people one incident counts (as a petition's persons_count): beyond it, a typing slip.
INCIDENT_PERSONS_MAX = 10_000


# --- helpers -----------------------------------------------------------------------------------


def _choice(value, choices, field: str, what: str) -> str:
    if value not in choices.values:
        options = "、".join(f"{v}（{label}）" for v, label in choices.choices)
        raise ValidationError({field: f"请选择{what}：{options}。"})
    return value


def _ids(values, field: str, what: str) -> list[int]:
    """Row ids as typed: an id no row can have (not a whole number, or beyond what the database holds)
    is refused here, not passed to a query that would fail on it."""
    ids = []
    for value in values or ():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
            raise ValidationError({field: f"所选{what}编号“{value}”无效，请重新选择。"})
        ids.append(value)
    return ids


def _day_bounded(day: dt.date, field: str) -> dt.date:
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(
            {field: f"日期应在 {EARLIEST:%Y-%m-%d} 至 {LATEST:%Y-%m-%d} 之间，请核对年份。"}
        )
    return day


def parse_date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({field: "日期格式应为 2026-05-01。"}) from None


def parse_moment(value, field: str) -> dt.datetime | None:
    """An aware moment from a datetime or an ISO string; a time without zone is Beijing time."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError({field: "时间格式应为 2026-05-01T09:30 或 2026-05-01 09:30。"}) from None
    if not EARLIEST <= value.date() <= LATEST:
        # 0001-01-01 overflows as soon as it is moved to Beijing time.
        raise ValidationError({field: f"时间应在 {EARLIEST:%Y-%m-%d} 之后，请核对年份。"})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def users_of(persons) -> list[User]:
    ids = [p.pk if isinstance(p, Person) else p for p in persons if p]
    if not ids:
        return []
    return list(User.objects.filter(person_id__in=ids, is_active=True).order_by("id"))


def office_users(town_id: int) -> list[User]:
    return list(User.objects.filter(town_id=town_id, role=Role.OFFICE, is_active=True).order_by("id"))


def _is_keeper(user, key_person: KeyPerson) -> bool:
    return bool(user.person_id) and key_person.keepers.filter(person_id=user.person_id).exists()


def owners(key_person: KeyPerson) -> list[Person]:
    """Who answers for the key person: the leader of the task force, else the case's 包案领导."""
    leaders = [k.person for k in key_person.keepers.all() if k.duty == KeeperDuty.LEADER]
    if not leaders and key_person.case_id and key_person.case.lead_leader_id:
        leaders = [key_person.case.lead_leader]
    return leaders


def duty_of(person: Person) -> str:
    """The duty a keeper named without one most likely has, from their place in the town."""
    if person.is_leader:
        return KeeperDuty.LEADER
    if Grid.objects.filter(worker=person).exists():
        return KeeperDuty.GRID
    if person.party_head_of.exists() or person.cadre_of.exists():
        return KeeperDuty.CADRE
    if person.headed_departments.filter(Q(name__contains="派出所") | Q(name__contains="公安")).exists():
        return KeeperDuty.POLICE
    return KeeperDuty.OTHER


def _keepers_clean(town, keepers) -> list[tuple[Person, str]]:
    """[(person, duty)] from persons, person ids, or (person, duty) pairs."""
    rows, seen = [], set()
    for i, item in enumerate(keepers or []):
        person, duty = item if isinstance(item, tuple | list) else (item, "")
        if not isinstance(person, Person):
            (person_id,) = _ids([person], f"keepers.{i}", "包保人员")
            person = Person.objects.filter(pk=person_id, town=town).first()
        if person is None or person.town_id != town.pk:
            raise ValidationError({f"keepers.{i}": "所选包保人员不存在或不是本镇人员。"})
        if person.pk in seen:
            raise ValidationError({f"keepers.{i}": f"{person.name}填写了两次，每人只需填写一次。"})
        seen.add(person.pk)
        duty = duty or duty_of(person)
        _choice(duty, KeeperDuty, f"keepers.{i}.duty", "包保职责")
        rows.append((person, duty))
    return rows


def _level_clean(town, level: str) -> str:
    if rules.level_rule(town, level) is None:
        options = "、".join(f"{lv['code']}（{lv['name']}）" for lv in rules.levels(town))
        raise ValidationError({"level": f"风险等级“{level or '（空）'}”不在本镇配置中，可选：{options}。"})
    return level


def _manager_check(user, what: str) -> None:
    if user.role not in MANAGERS:
        raise PermissionDenied(f"只有镇信访联席办可以{what}，{user.get_role_display()}只能查看。")


# --- key persons -------------------------------------------------------------------------------


@transaction.atomic
def key_person_create(
    *,
    acting_user,
    petitioner_id: int,
    level: str,
    reasons: str,
    keepers=(),
    case_id: int | None = None,
    group: str = "",
    tags=(),
    measures: str = "",
) -> KeyPerson:
    """列为重点人员. Keepers may be empty at first: the key person is then listed as 包保未落实."""
    _manager_check(acting_user, "列管重点人员")
    town = acting_user.town
    (petitioner_id,) = _ids([petitioner_id], "petitioner", "信访人")
    petitioner = scope(Petitioner.objects.filter(pk=petitioner_id), acting_user).first()
    if petitioner is None:
        raise ValidationError({"petitioner": "所选信访人不存在或不在您的范围内，请先查询信访人编号。"})
    level = _level_clean(town, level)
    reasons = _text(reasons, "reasons", 1000, "请填写列为重点人员的原因。")
    case = None
    if case_id:
        (case_id,) = _ids([case_id], "case", "信访事项")
        case = scope(Case.objects.filter(pk=case_id), acting_user).first()
        if case is None:
            raise ValidationError({"case": "所选信访事项不存在或不在您的范围内。"})
        if not case.petitions.filter(petitioners=petitioner).exists():
            raise ValidationError({"case": f"{petitioner.name}不是该事项的信访人，请核对事项编号。"})
    if KeyPerson.objects.filter(petitioner=petitioner).exclude(status=KeyPersonStatus.REVOKED).exists():
        raise ValidationError({"petitioner": f"{petitioner.name}已是重点人员，请在其重点人员页修改。"})
    tags = [t.strip()[:20] for t in (tags or []) if t and t.strip()][:10]
    rows = _keepers_clean(town, keepers)
    grid = petitioner.grid
    if grid is None:
        grid = next((Grid.objects.filter(worker=p).first() for p, d in rows if d == KeeperDuty.GRID), None)
    key_person = KeyPerson.objects.create(
        town=town,
        petitioner=petitioner,
        village=petitioner.village,
        grid=grid,
        case=case,
        level=level,
        reasons=reasons,
        group=_text(group, "group", 60),
        tags=tags,
        measures=_text(measures, "measures", 2000),
        created_by=acting_user,
    )
    KeyPersonKeeper.objects.bulk_create(
        KeyPersonKeeper(key_person=key_person, person=p, duty=d) for p, d in rows
    )
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=key_person,
        new={
            "petitioner": petitioner.pk,
            "level": level,
            "case": case_id,
            "keepers": [p.pk for p, _ in rows],
        },
        detail="列为重点人员",
    )
    return key_person


def _key_person_for_manager(key_person_id: int, user) -> KeyPerson:
    _manager_check(user, "修改重点人员")
    return get_scoped_or_404(KeyPerson.objects.select_for_update(of=("self",)), user, pk=key_person_id)


@transaction.atomic
def key_person_update(
    *,
    key_person_id: int,
    acting_user,
    level: str | None = None,
    reasons: str | None = None,
    measures: str | None = None,
    group: str | None = None,
    status: str | None = None,
    status_reason: str = "",
    keepers=None,
) -> KeyPerson:
    """Changes the level, reasons, measures, status (撤销 needs a reason) or the task force."""
    kp = _key_person_for_manager(key_person_id, acting_user)
    old = {
        "level": kp.level,
        "status": kp.status,
        "keepers": list(kp.keepers.values_list("person_id", flat=True)),
    }
    if level is not None:
        kp.level = _level_clean(kp.town, level)
    if reasons is not None:
        kp.reasons = _text(reasons, "reasons", 1000, "请填写列为重点人员的原因。")
    if measures is not None:
        kp.measures = _text(measures, "measures", 2000)
    if group is not None:
        kp.group = _text(group, "group", 60)
    if status is not None and status != kp.status:
        _choice(status, KeyPersonStatus, "status", "状态")
        reason = _text(status_reason, "status_reason", 200)
        if status in (KeyPersonStatus.REVOKED, KeyPersonStatus.STABLE) and not reason:
            label = KeyPersonStatus(status).label
            raise ValidationError({"status_reason": f"改为“{label}”须写明理由（如 已签订停诉息访承诺书）。"})
        kp.status, kp.status_reason = status, reason
    if keepers is not None:
        rows = _keepers_clean(kp.town, keepers)
        kp.keepers.all().delete()
        KeyPersonKeeper.objects.bulk_create(KeyPersonKeeper(key_person=kp, person=p, duty=d) for p, d in rows)
    kp.version += 1
    kp.save()
    new = {
        "level": kp.level,
        "status": kp.status,
        "keepers": list(kp.keepers.values_list("person_id", flat=True)),
    }
    audit_record(
        event=AuditEventType.UPDATE, user=acting_user, target=kp, old=old, new=new, detail="修改重点人员"
    )
    return kp


# --- contacts ----------------------------------------------------------------------------------


def contact_check(user, key_person: KeyPerson) -> None:
    if user.role in CONTACT_ROLES or _is_keeper(user, key_person):
        return
    raise PermissionDenied(
        f"见面记录由包保人员、村（居）、网格员或联席办填写，{user.get_role_display()}只能查看。"
    )


def _photo_store(photo) -> tuple[str, str]:
    try:
        incoming = storage.receive(photo, max_bytes=PHOTO_MAX_BYTES)
    except storage.TooLarge:
        raise ValidationError({"photo": "照片不能超过 10 MB，请压缩后再上传。"}) from None
    found = sniffing.sniff(incoming.temp)
    if found.extension not in PHOTO_TYPES:
        incoming.discard()
        raise ValidationError({"photo": f"照片只能是 JPG 或 PNG 图片，所选文件是{found.label}。"})
    # Content-addressed: a contact that then fails leaves at most a file no row names, never a row
    # without its file.
    relative, _ = storage.place(incoming)
    return relative, incoming.sha256


@transaction.atomic
def contact_log(
    *,
    key_person_id: int,
    acting_user,
    at=None,
    way: str,
    found: str,
    place: str = "",
    note: str = "",
    photo=None,
) -> Contact:
    """见面记录. 失联 or 异常 opens an alarm and tells the owner, the office and the police liaison at
    once (警信联动); the key person's status follows what was found."""
    kp = get_scoped_or_404(
        KeyPerson.objects.select_for_update(of=("self",)).select_related("town", "case"),
        acting_user,
        pk=key_person_id,
    )
    contact_check(acting_user, kp)
    now = timezone.now()
    at = parse_moment(at, "at") or now
    if at > now + dt.timedelta(minutes=5):
        raise ValidationError({"at": "见面时间不能晚于现在。"})
    if at < now - dt.timedelta(days=7):
        raise ValidationError({"at": "只能补记 7 日以内的见面，请核对日期。"})
    way = _choice(way, ContactWay, "way", "见面方式")
    found = _choice(found, FoundStatus, "found", "见面时的状态")
    place = _text(place, "place", 100)
    note = _text(note, "note", 500, "请简要写明情况。" if found in ALARMING else None)
    if kp.status == KeyPersonStatus.REVOKED:
        raise ValidationError({"key_person": "该人员已撤销列管，不再记录见面。"})
    photo_path = photo_sha = ""
    if photo is not None:
        photo_path, photo_sha = _photo_store(photo)
    contact = Contact.objects.create(
        key_person=kp,
        at=at,
        day=timezone.localtime(at).date(),
        way=way,
        found=found,
        place=place,
        note=note,
        photo_path=photo_path,
        photo_sha256=photo_sha,
        recorded_by=acting_user,
    )
    old_status = kp.status
    if kp.last_contact_at is None or at >= kp.last_contact_at:
        kp.last_contact_at, kp.last_found = at, found
        if kp.status in KEPT:
            kp.status = {
                FoundStatus.HOME: KeyPersonStatus.IN_CONTROL,
                FoundStatus.AWAY: KeyPersonStatus.AWAY,
                FoundStatus.LOST: KeyPersonStatus.LOST,
                FoundStatus.ABNORMAL: kp.status,
            }[found]
        kp.save(update_fields=["last_contact_at", "last_found", "status"])
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=contact,
        town=kp.town,
        new={"key_person": kp.pk, "way": way, "found": found, "status": [old_status, kp.status]},
        detail="见面记录",
    )
    if found in ALARMING:
        _alarm_open(kp, contact, acting_user)
    return contact


def _alarm_open(kp: KeyPerson, contact: Contact, user) -> Alarm:
    alarm = Alarm.objects.create(key_person=kp, contact=contact, opened_at=contact.at)
    police = [k.person for k in kp.keepers.all() if k.duty == KeeperDuty.POLICE]
    recipients = users_of(owners(kp)) + office_users(kp.town_id) + users_of(police)
    recipients = [u for u in recipients if u.pk != user.pk] or recipients
    label = FoundStatus(contact.found).label
    where = f"，地点：{contact.place}" if contact.place else ""
    alerts_send(
        case=kp.case if kp.case_id else None,
        town=kp.town,
        recipients=recipients,
        kind=AlertKind.CONTACT_LOST,
        text=f"重点人员{kp.petitioner.name}（{kp.village.name if kp.village_id else '未定村（居）'}）"
        f"见面时{label}{where}：{contact.note}。请立即处置（警信联动），并在重点人员页记录处置经过。",
    )
    return alarm


@transaction.atomic
def alarm_step(*, alarm_id: int, acting_user, text: str, close: bool = False) -> Alarm:
    """Records what was done about a 失联 or 异常, and closes it when it is over."""
    alarm = get_scoped_or_404(Alarm.objects.select_for_update(of=("self",)), acting_user, pk=alarm_id)
    contact_check(acting_user, alarm.key_person)
    if alarm.closed_at:
        raise ValidationError({"alarm": "该失联异常已处置完毕。"})
    text = _text(text, "text", 300, "请写明处置情况。")
    now = timezone.now()
    alarm.steps = [*alarm.steps, {"at": now.isoformat(), "by": acting_user.display_name, "text": text}]
    if close:
        alarm.closed_at, alarm.closed_by = now, acting_user
    alarm.save()
    audit_record(
        event=AuditEventType.UPDATE,
        user=acting_user,
        target=alarm,
        town=alarm.key_person.town,
        new={"close": close},
        detail="失联异常处置" + ("完毕" if close else "经过"),
    )
    return alarm


# --- protection periods ------------------------------------------------------------------------


@transaction.atomic
def period_create(
    *,
    acting_user,
    name: str,
    start,
    end,
    level: str,
    contacts_per_day: int | None = None,
    key_person_ids=None,
) -> ProtectionPeriod:
    """重大活动、敏感节点保障期. Without a list, every key person still kept is in scope."""
    _manager_check(acting_user, "设立保障期")
    town = acting_user.town
    name = _text(name, "name", 100, "请填写保障期名称，如“全国两会”。")
    start, end = parse_date(start, "start"), parse_date(end, "end")
    if start is None or end is None:
        raise ValidationError({"start": "请填写开始和结束日期。"})
    start, end = _day_bounded(start, "start"), _day_bounded(end, "end")
    if end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期。"})
    if (end - start).days > 92:
        raise ValidationError({"end": "保障期最长 3 个月，请分段设立。"})
    level = _choice(level, PeriodLevel, "level", "保障期级别")
    if contacts_per_day in (None, ""):
        contacts_per_day = rules.stability_config(town)["period_contacts_per_day"]
    try:
        contacts_per_day = int(contacts_per_day)
    except (TypeError, ValueError):
        raise ValidationError({"contacts_per_day": "每日见面次数应为 1 至 10 的整数。"}) from None
    if not 1 <= contacts_per_day <= 10:
        raise ValidationError({"contacts_per_day": "每日见面次数应为 1 至 10 的整数。"})
    kept = scope(KeyPerson.objects.filter(status__in=KEPT), acting_user)
    if key_person_ids is None:
        members = list(kept)
    else:
        key_person_ids = _ids(key_person_ids, "key_persons", "重点人员")
        members = list(kept.filter(pk__in=key_person_ids))
        if len(members) != len(set(key_person_ids)):
            raise ValidationError({"key_persons": "所选重点人员中有不存在、已撤销或不在您范围内的，请核对。"})
    period = ProtectionPeriod.objects.create(
        town=town,
        name=name,
        start=start,
        end=end,
        level=level,
        contacts_per_day=contacts_per_day,
        created_by=acting_user,
    )
    period.key_persons.set(members)
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=period,
        new={
            "name": name,
            "start": start,
            "end": end,
            "contacts_per_day": contacts_per_day,
            "key_persons": len(members),
        },
        detail="设立保障期",
    )
    return period


def _period_member(period_id: int, key_person_id: int, user) -> tuple[ProtectionPeriod, KeyPerson]:
    period = get_scoped_or_404(ProtectionPeriod.objects.all(), user, pk=period_id)
    kp = get_scoped_or_404(period.key_persons.all(), user, pk=key_person_id)
    return period, kp


@transaction.atomic
def stay_confirm(
    *, period_id: int, key_person_id: int, acting_user, in_place: bool = True, note: str = ""
) -> StayCheck:
    """零滞留: a keeper, the village, the grid worker or the office confirms the key person in place
    before the period (up to its first day)."""
    period, kp = _period_member(period_id, key_person_id, acting_user)
    contact_check(acting_user, kp)
    today = timezone.localdate()
    if today > period.start:
        raise ValidationError(
            {"period": f"零滞留须在保障期开始（{period.start:%Y-%m-%d}）前确认，现已开始。"}
        )
    note = _text(note, "note", 200, None if in_place else "不在当地的，请写明去向和稳控措施。")
    check, _ = StayCheck.objects.update_or_create(
        period=period,
        key_person=kp,
        defaults={
            "in_place": in_place,
            "note": note,
            "confirmed_by": acting_user,
            "confirmed_at": timezone.now(),
        },
    )
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=period,
        new={"key_person": kp.pk, "in_place": in_place},
        detail="零滞留确认",
    )
    return check


def period_in_force(town_id: int, day: dt.date):
    return ProtectionPeriod.objects.filter(town_id=town_id, start__lte=day, end__gte=day)


def _registration_level_to_incident(level: str) -> str:
    return {
        RegistrationLevel.COUNTY: IncidentLevel.COUNTY,
        RegistrationLevel.CITY: IncidentLevel.CITY,
        RegistrationLevel.PROVINCE: IncidentLevel.PROVINCE,
        RegistrationLevel.NATIONAL: IncidentLevel.NATIONAL,
    }[level]


def _registration_write(*, period, kp, level, at, place, petition, user) -> Registration:
    incident = Incident.objects.create(
        town=kp.town,
        kind=IncidentKind.REGISTRATION,
        occurred_at=at,
        place=place,
        persons_count=1,
        persons=kp.petitioner.name,
        village=kp.village,
        level_reached=_registration_level_to_incident(level),
        handling="",
        period=period,
        recorded_by=user,
    )
    incident.key_persons.add(kp)
    if kp.case_id:
        incident.cases.add(kp.case_id)
    if petition is not None:
        incident.cases.add(petition.case_id)
    registration = Registration.objects.create(
        period=period, key_person=kp, level=level, at=at, place=place, petition=petition, incident=incident
    )
    recipients = (
        users_of(owners(kp)) + office_users(kp.town_id) + users_of([k.person for k in kp.keepers.all()])
    )
    alerts_send(
        case=kp.case if kp.case_id else None,
        town=kp.town,
        recipients=recipients,
        kind=AlertKind.ZERO_REGISTRATION,
        text=f"保障期“{period.name}”内，重点人员{kp.petitioner.name}在{RegistrationLevel(level).label}"
        f"被登记（{place or '地点未填'}），零登记目标未实现，已记入五不事件。",
    )
    audit_record(
        event=AuditEventType.CREATE,
        user=user,
        username=None if user else SYSTEM,
        target=incident,
        town=kp.town,
        new={"period": period.pk, "key_person": kp.pk, "level": level},
        detail="保障期内被登记（零登记）",
    )
    return registration


@transaction.atomic
def registration_record(
    *, period_id: int, key_person_id: int, acting_user, level: str, at=None, place: str = ""
) -> Registration:
    """零登记: a registration of the key person at a higher level during the period, as the office
    learned of it (an upper level's notice). It raises an incident."""
    _manager_check(acting_user, "登记保障期内的被登记情况")
    period, kp = _period_member(period_id, key_person_id, acting_user)
    level = _choice(level, RegistrationLevel, "level", "登记层级")
    at = parse_moment(at, "at") or timezone.now()
    day = timezone.localtime(at).date()
    if not period.start <= day <= period.end:
        raise ValidationError(
            {"at": f"登记时间不在保障期内（{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}）。"}
        )
    return _registration_write(
        period=period,
        kp=kp,
        level=level,
        at=at,
        place=_text(place, "place", 100),
        petition=None,
        user=acting_user,
    )


@transaction.atomic
def daily_report(
    *, period_id: int, acting_user, all_quiet: bool = True, text: str = "", day=None
) -> DailyReport:
    """有事报情况、无事报平安: the village's report for a day of the period (today by default)."""
    if acting_user.role not in REPORT_ROLES:
        raise PermissionDenied(f"每日报告由村（居）填报，{acting_user.get_role_display()}只能查看。")
    period = get_scoped_or_404(ProtectionPeriod.objects.all(), acting_user, pk=period_id)
    day = parse_date(day, "day") or timezone.localdate()
    if not period.start <= day <= period.end or day > timezone.localdate():
        raise ValidationError({"day": "只能报告保障期内、今天及以前的日子。"})
    text = _text(text, "text", 500, None if all_quiet else "有情况的，请写明情况。")
    report, _ = DailyReport.objects.update_or_create(
        period=period,
        village=acting_user.village,
        day=day,
        defaults={
            "all_quiet": all_quiet,
            "text": text,
            "reported_by": acting_user,
            "reported_at": timezone.now(),
        },
    )
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=period,
        new={"village": acting_user.village_id, "day": day, "all_quiet": all_quiet},
        detail="保障期每日报告" + ("（报平安）" if all_quiet else "（报情况）"),
    )
    return report


# --- incidents ---------------------------------------------------------------------------------


@transaction.atomic
def incident_record(
    *,
    acting_user,
    kind: str,
    occurred_at,
    level_reached: str,
    place: str = "",
    persons_count: int = 1,
    persons: str = "",
    key_person_ids=(),
    case_ids=(),
    handling: str = "",
) -> Incident:
    """五不 and 五个不发生: the office registers an incident. Linked key persons count as unstable
    for its period (重点人员稳定率)."""
    _manager_check(acting_user, "登记五不事件")
    kind = _choice(kind, IncidentKind, "kind", "事件类型")
    level_reached = _choice(level_reached, IncidentLevel, "level_reached", "到达层级")
    at = parse_moment(occurred_at, "occurred_at")
    if at is None:
        raise ValidationError({"occurred_at": "请填写发生时间。"})
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"occurred_at": "发生时间不能晚于现在。"})
    try:
        persons_count = int(persons_count or 1)
    except (TypeError, ValueError):
        raise ValidationError({"persons_count": "人数应为整数。"}) from None
    if persons_count < 1:
        raise ValidationError({"persons_count": "人数至少为 1。"})
    if persons_count > INCIDENT_PERSONS_MAX:
        raise ValidationError({"persons_count": f"人数最多为 {INCIDENT_PERSONS_MAX}，请核对。"})
    key_person_ids = _ids(key_person_ids, "key_persons", "重点人员")
    case_ids = _ids(case_ids, "cases", "信访事项")
    key_persons = list(scope(KeyPerson.objects.filter(pk__in=key_person_ids), acting_user))
    if len(key_persons) != len(set(key_person_ids)):
        raise ValidationError({"key_persons": "所选重点人员中有不存在或不在您范围内的。"})
    cases = list(scope(Case.objects.filter(pk__in=case_ids), acting_user))
    if len(cases) != len(set(case_ids)):
        raise ValidationError({"cases": "所选信访事项中有不存在或不在您范围内的。"})
    day = timezone.localtime(at).date()
    period = period_in_force(acting_user.town_id, day).first()
    village = next((k.village for k in key_persons if k.village_id), None) or next(
        (c.village for c in cases if c.village_id), None
    )
    incident = Incident.objects.create(
        town=acting_user.town,
        kind=kind,
        occurred_at=at,
        place=_text(place, "place", 100),
        persons_count=persons_count,
        persons=_text(persons, "persons", 300) or "、".join(k.petitioner.name for k in key_persons),
        village=village,
        level_reached=level_reached,
        handling=_text(handling, "handling", 2000),
        period=period,
        recorded_by=acting_user,
    )
    incident.key_persons.set(key_persons)
    incident.cases.set(cases)
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=incident,
        new={"kind": kind, "key_persons": [k.pk for k in key_persons], "cases": [c.pk for c in cases]},
        detail="登记五不事件",
    )
    return incident


# --- the rebound watch -------------------------------------------------------------------------


def _follow_up_dates(town, resolved_on: dt.date) -> list[dt.date]:
    config = rules.stability_config(town)
    every, times = config["follow_up_every_days"], config["follow_up_times"]
    return [resolved_on + dt.timedelta(days=every * i) for i in range(1, times + 1)]


def _watch_start(case: Case) -> Watch:
    watch = Watch.objects.create(
        town_id=case.town_id, case=case, village_id=case.village_id, resolved_on=case.resolved_on
    )
    FollowUp.objects.bulk_create(
        FollowUp(watch=watch, seq=i, due_on=day)
        for i, day in enumerate(_follow_up_dates(case.town, case.resolved_on), 1)
    )
    audit_record(
        event=AuditEventType.CREATE,
        username=SYSTEM,
        target=watch,
        town=case.town,
        new={"case": case.pk, "resolved_on": case.resolved_on},
        detail="已化解事项列入防反弹回访",
    )
    return watch


@transaction.atomic
def watch_sync(*, today: dt.date | None = None) -> dict:
    """Follows the cases from the stability side: each case 对账销号 as resolved enters the watch with
    its follow-ups; a watched case that rebounded (再次信访) records its rebound incident if the
    petition's own hook did not; a watch whose follow-ups are all done ends."""
    today = today or timezone.localdate()
    started = rebounded = ended = 0
    resolved = (
        Case.objects.filter(resolution=Resolution.RESOLVED, resolved_on__isnull=False)
        .exclude(pk__in=Watch.objects.filter(status=WatchStatus.ACTIVE).values("case_id"))
        .select_related("town")
    )
    for case in resolved:
        if not Watch.objects.filter(case=case, resolved_on=case.resolved_on).exists():
            _watch_start(case)
            started += 1
    for watch in Watch.objects.filter(status=WatchStatus.ACTIVE).select_related(
        "case__town", "case__village"
    ):
        case = watch.case
        if case.resolution != Resolution.RESOLVED or case.resolved_on != watch.resolved_on:
            petition = (
                Petition.objects.filter(case=case, is_repeat=True).order_by("-received_at", "-id").first()
            )
            if case.rebound and petition is not None:
                _rebound_record(watch, petition, told_by_cases=True)
                rebounded += 1
            else:
                watch.status, watch.ended_on = WatchStatus.ENDED, today
                watch.save(update_fields=["status", "ended_on"])
                ended += 1
        elif not watch.follow_ups.filter(done_on__isnull=True).exists():
            watch.status, watch.ended_on = WatchStatus.ENDED, today
            watch.save(update_fields=["status", "ended_on"])
            ended += 1
    return {"started": started, "rebounded": rebounded, "ended": ended}


def _rebound_record(watch: Watch, petition: Petition, *, told_by_cases: bool) -> Incident:
    """已停诉息访人员反弹: the incident, the watch closed as rebounded, and the owner told at once."""
    case = watch.case
    petitioners = list(petition.petitioners.all())
    kps = list(KeyPerson.objects.filter(petitioner__in=petitioners).exclude(status=KeyPersonStatus.REVOKED))
    level = petition.skip_level or petition.referral_level or ""
    incident = Incident.objects.create(
        town_id=case.town_id,
        kind=IncidentKind.REBOUND,
        occurred_at=petition.received_at,
        place="",
        persons_count=petition.persons_count,
        persons="、".join(p.name for p in petitioners),
        village=case.village,
        level_reached=level if level in IncidentLevel.values else IncidentLevel.TOWN,
        handling="",
        period=period_in_force(case.town_id, timezone.localtime(petition.received_at).date()).first(),
        recorded_by=None,
    )
    incident.cases.set({case.pk, petition.case_id})
    incident.key_persons.set(kps)
    watch.status, watch.ended_on, watch.incident = WatchStatus.REBOUNDED, timezone.localdate(), incident
    watch.save(update_fields=["status", "ended_on", "incident"])
    keepers = [k.person for kp in kps for k in kp.keepers.all()]
    recipients = users_of([case.lead_leader_id, *keepers])
    if told_by_cases and petition.case_id == case.pk:
        # The cases app told the owner and the office of the rebound on the case itself already.
        recipients = [u for u in recipients if u.person_id != case.lead_leader_id]
    else:
        recipients += office_users(case.town_id)
    if recipients:
        alerts_send(
            case=petition.case,
            recipients=recipients,
            kind=AlertKind.REBOUND_INCIDENT,
            text=f"已化解事项{case.number}的信访人{incident.persons}再次信访（{petition.case.number}），"
            "已记入五不事件“已停诉息访人员反弹”，请立即做好稳控。",
        )
    audit_record(
        event=AuditEventType.CREATE,
        username=SYSTEM,
        target=incident,
        town=case.town,
        new={"watch": watch.pk, "petition": petition.pk},
        detail="已化解人员再次信访，记入五不事件",
    )
    return incident


def petition_seen(petition: Petition, petitioner_ids) -> None:
    """A petition's petitioners were just linked (registration, import): a watched petitioner's new
    petition is a rebound; a key person in a protection period registered at a higher level breaks
    零登记. Runs in the registration's transaction."""
    ids = list(petitioner_ids)
    case = petition.case
    watches = list(
        Watch.objects.filter(status=WatchStatus.ACTIVE, case__petitions__petitioners__in=ids)
        .select_related("case__town", "case__village")
        .distinct()
    )
    # The case rebounded with this very petition before the watch job had put it on the watch.
    if case.rebound and case.rebound_at and not any(w.case_id == case.pk for w in watches):
        if (
            abs((petition.created_at - case.rebound_at).total_seconds()) < 60
            and case.resolution != Resolution.RESOLVED
        ):
            watch = Watch.objects.filter(case=case).order_by("-resolved_on").first()
            if watch is None or watch.status != WatchStatus.REBOUNDED:
                watch = watch or Watch.objects.create(
                    town_id=case.town_id,
                    case=case,
                    village_id=case.village_id,
                    resolved_on=timezone.localtime(case.rebound_at).date(),
                )
                watches.append(watch)
    for watch in watches:
        _rebound_record(watch, petition, told_by_cases=True)
    level = petition.referral_level or petition.skip_level
    if level in RegistrationLevel.values:
        day = timezone.localtime(petition.received_at).date()
        for period in period_in_force(case.town_id, day):
            for kp in period.key_persons.filter(petitioner_id__in=ids, status__in=KEPT).select_related(
                "town", "petitioner", "village", "case"
            ):
                _registration_write(
                    period=period,
                    kp=kp,
                    level=level,
                    at=petition.received_at,
                    place=Level(level).label,
                    petition=petition,
                    user=petition.registered_by,
                )


@transaction.atomic
def follow_up_record(*, follow_up_id: int, acting_user, state: str, note: str, on=None) -> FollowUp:
    """回访: what the visit found. 已再次信访 is recorded by the petition itself (a rebound incident)."""
    follow_up = get_scoped_or_404(
        FollowUp.objects.select_for_update(of=("self",)).select_related("watch__case"),
        acting_user,
        pk=follow_up_id,
    )
    case = follow_up.watch.case
    owner = (
        acting_user.role == Role.LEADER
        and acting_user.person_id
        and acting_user.person_id == case.lead_leader_id
    )
    if acting_user.role not in FOLLOW_UP_ROLES and not owner:
        raise PermissionDenied(
            f"回访由联席办、村（居）、网格员或本事项的包案领导记录，{acting_user.get_role_display()}只能查看。"
        )
    if follow_up.done_on:
        raise ValidationError(
            {"follow_up": f"第 {follow_up.seq} 次回访已于 {follow_up.done_on:%Y-%m-%d} 记录。"}
        )
    state = _choice(state, PetitionerState, "state", "信访人状态")
    note = _text(note, "note", 500, "请写明回访情况。")
    on = parse_date(on, "on") or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": "回访日期不能晚于今天。"})
    if on < follow_up.watch.resolved_on:
        raise ValidationError(
            {"on": f"回访日期不能早于事项化解的日期（{follow_up.watch.resolved_on:%Y-%m-%d}）。"}
        )
    follow_up.done_on, follow_up.state, follow_up.note, follow_up.done_by = on, state, note, acting_user
    follow_up.save()
    audit_record(
        event=AuditEventType.UPDATE,
        user=acting_user,
        target=follow_up,
        town=case.town,
        new={"state": state, "on": on},
        detail="记录回访",
    )
    return follow_up
