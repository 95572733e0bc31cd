"""Writes on cases. Each service is one transaction: rule checks, the write, the case event and the
audit row together."""

import secrets
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core.inputs import phone_problem
from xinfang.core.masking import mask_phone
from xinfang.core.scoping import scope
from xinfang.org.models import Category, Department, Person, Village
from xinfang.workcal.services import add_calendar_days

from . import rules
from .choices import CaseEventType, CaseState, Channel, Level, PetitionKind, Resolution
from .models import Case, CaseEvent, Petition, Petitioner
from .numbering import case_number_allocate
from .signals import case_changed, petition_registered

QUERY_CODE_CHANNELS = {Channel.LETTER, Channel.VISIT}
QUERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone

# Who registers petitions: the town's petition office, on the page, through the API and by import
# alike. The check lives here, in the service, so that no entrance can forget it.
REGISTRARS = frozenset({Role.OFFICE})
# Who may change a petitioner's stored phone, address and village: the office, which meets the
# petitioner and checks the ID card at the desk. Units that only read a petitioner's file never
# change it, and a registration by anyone else never rewrites it.
PETITIONER_EDITORS = frozenset({Role.OFFICE})


def registration_check(user) -> None:
    """Raises PermissionDenied (its message in Chinese) unless the user may register petitions."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("请先登录。")
    if user.role not in REGISTRARS or user.town_id is None:
        raise PermissionDenied(
            f"只有镇信访联席办可以登记信访，您的角色（{user.get_role_display()}）不能登记。"
            "请将信访材料转交镇信访联席办登记。"
        )


def petitioner_editable(user, petitioner: "Petitioner") -> bool:
    """Whether the user may change the petitioner's stored details: the office, for a petitioner it
    may see (an office clerk whose unit is accused does not see the accuser, and cannot edit them)."""
    return (
        user.role in PETITIONER_EDITORS and scope(Petitioner.objects.filter(pk=petitioner.pk), user).exists()
    )


def id_number_problem(value: str) -> str | None:
    """A Chinese sentence saying what is wrong with a 身份证号, or None when it is valid.

    stdnum's own validate() also ties the region code to the birth year (泰兴市's 321283 only for
    people born from 1996 on), but a number takes the region code of the day it was issued, so older
    residents of renamed counties carry codes younger than themselves. We check the length, the
    format, the check digit, the birth date and that the region code exists at all.
    """
    number = ric.compact(value)
    if len(number) != 18:
        return "身份证号应为 18 位，请核对位数。"
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return "身份证号格式不正确：前 17 位应为数字，最后一位为数字或 X。"
    if ric.calc_check_digit(number) != number[17]:
        return "身份证号校验位不正确，请逐位核对（最后一位可能是 X）。"
    try:
        born = ric.get_birth_date(number)
    except InvalidComponent:
        return "身份证号中的出生日期不存在，请核对第 7 至 14 位。"
    if born > timezone.localdate():
        return "身份证号中的出生日期晚于今天，请核对第 7 至 14 位。"
    region = {k: v for _, props in numdb.get("cn/loc").info(number[:6]) for k, v in props.items()}
    if "county" not in region:
        return "身份证号的前 6 位不是有效的地区代码，请核对。"
    return None


@dataclass
class PetitionerIn:
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    village: Village | None = None


@dataclass
class PetitionIn:
    channel: str
    received_at: object
    petitioner: PetitionerIn
    title: str
    content: str
    persons_count: int = 1
    kind: str = PetitionKind.CLAIM
    referral_level: str = ""
    category: Category | None = None
    matter: str = ""  # one of the category's matters
    case_id: int | None = None  # a repeat petition names the case it belongs to
    skip_level: str = ""
    has_threat: bool = False
    law_related: bool = False
    # The other representatives a group sent (推选代表), besides `petitioner`: each is linked to an
    # existing petitioner by ID number or created, with the petitioner's village when none is given.
    representatives: list[PetitionerIn] = field(default_factory=list)
    # An existing petitioner whose stored phone, address or village differ from what was typed keeps
    # them, unless the clerk chose to update them (and may: PETITIONER_EDITORS).
    update_petitioner: bool = False
    # 被检举控告对象: whom an accusation accuses. They never see the case nor its petitioners.
    accused_persons: list[Person] = field(default_factory=list)
    accused_departments: list[Department] = field(default_factory=list)
    accused_villages: list[Village] = field(default_factory=list)


def _validate(data: PetitionIn, *, town) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.channel not in Channel.values:
        errors["channel"] = "请选择信访渠道：来信、来访、来电、网上信访或上级交转办。"
    if data.channel == Channel.REFERRAL and data.referral_level not in Level.values:
        errors["referral_level"] = "上级交转办须注明交办层级（县、市、省或国家）。"
    if data.received_at is None:
        errors["received_at"] = "请填写收到时间。"
    elif timezone.is_naive(data.received_at):
        errors["received_at"] = "收到时间须带时区，如 2026-05-01T09:30:00+08:00。"
    elif data.received_at > timezone.now() + timezone.timedelta(minutes=5):
        errors["received_at"] = "收到时间不能晚于现在，请核对日期和时间。"
    if not (data.title or "").strip():
        errors["title"] = "请填写信访事项（一句话概括反映的问题）。"
    if not (data.content or "").strip():
        errors["content"] = "请填写诉求内容。"
    if not (data.petitioner.name or "").strip():
        errors["petitioner.name"] = "请填写信访人姓名。"
    if data.petitioner.id_number and (problem := id_number_problem(data.petitioner.id_number)):
        errors["petitioner.id_number"] = problem
    # Every entrance checks the phone too; this is the rule for all of them (a representative's phone
    # comes only through here).
    if data.petitioner.phone and (problem := phone_problem(data.petitioner.phone)):
        errors["petitioner.phone"] = f"{problem}。"
    if data.persons_count < 1:
        errors["persons_count"] = "人数至少为 1。"
    if data.kind not in PetitionKind.values:
        errors["kind"] = "请选择事项性质：建议意见类、检举控告类或申诉求决类。"
    if data.skip_level and data.skip_level not in Level.values:
        errors["skip_level"] = "越级去向只能是县、市、省或国家（京）。"
    if data.matter and data.category is None:
        errors["matter"] = "选择具体事项前请先选择问题类别。"
    elif data.matter and data.matter not in (data.category.matters or []):
        errors["matter"] = (
            f"“{data.matter}”不是{data.category.name}的事项，可选：{'、'.join(data.category.matters)}。"
        )
    for name, obj in (("category", data.category), ("petitioner.village", data.petitioner.village)):
        if obj is not None and obj.town_id != town.pk:
            errors[name] = "所选对象不属于本镇。"
    errors.update(_representative_problems(data))
    errors.update(_accused_problems(data, town=town))
    return errors


def _representative_problems(data: PetitionIn) -> dict[str, str]:
    errors: dict[str, str] = {}
    seen = {ric.compact(data.petitioner.id_number)} if data.petitioner.id_number else set()
    for i, rep in enumerate(data.representatives):
        where = f"representatives.{i}"
        if not (rep.name or "").strip():
            errors[f"{where}.name"] = f"第 {i + 1} 位代表：请填写姓名，或删去这一行。"
        if rep.id_number:
            if problem := id_number_problem(rep.id_number):
                errors[f"{where}.id_number"] = f"第 {i + 1} 位代表：{problem}"
            elif ric.compact(rep.id_number) in seen:
                errors[f"{where}.id_number"] = (
                    f"第 {i + 1} 位代表的身份证号与信访人或前面的代表相同，同一人只需填写一次。"
                )
            else:
                seen.add(ric.compact(rep.id_number))
        if rep.phone and (problem := phone_problem(rep.phone)):
            errors[f"{where}.phone"] = f"第 {i + 1} 位代表：{problem}。"
    total = 1 + len(data.representatives)
    if data.representatives and total > data.persons_count:
        errors["representatives"] = (
            f"代表 {total} 人（含信访人），多于信访人数 {data.persons_count} 人，请核对人数或代表名单。"
        )
    return errors


def _accused_problems(data: PetitionIn, *, town) -> dict[str, str]:
    accused = [*data.accused_persons, *data.accused_departments, *data.accused_villages]
    if not accused:
        return {}
    if data.kind != PetitionKind.ACCUSATION:
        return {
            "accused": "只有检举控告类事项才能填写被检举控告对象：请把事项性质改为检举控告类，"
            "或清空被检举控告对象。"
        }
    if any(obj.town_id != town.pk for obj in accused):
        return {"accused": "所选被检举控告对象不属于本镇。"}
    return {}


# The stored details a registration compares with what was typed, and how the clerk is told.
DETAIL_LABELS = {"phone": "手机号", "address": "住址", "village_id": "所在村（居）"}


def _detail_text(attr: str, value, villages: dict) -> str:
    if attr == "phone":
        return mask_phone(value)
    if attr == "village_id":
        return villages[value].name if value in villages else "—"
    return value or "—"


@dataclass
class _Linked:
    petitioner: Petitioner
    notes: list[str] = field(default_factory=list)
    # {attr: (old, new)} when the clerk chose to update a stored petitioner: audited with the case.
    updated: dict = field(default_factory=dict)


def _petitioner_link(*, town, data: PetitionerIn, user, update: bool, where: str, village=None) -> _Linked:
    """The petitioner a registration names: found by ID number in the town, or created.

    An existing petitioner out of the user's scope is never revealed (no name in the message) and
    never linked. One in scope is linked as stored: what was typed differently is reported to the
    clerk, and written only when the clerk chose so and may edit petitioners."""
    number = ric.compact(data.id_number) if data.id_number else ""
    name = data.name.strip()
    village = data.village or village
    if number:
        # The repeated `id_number != ""` is the condition of the partial unique index: without it
        # SQLite does not use that index and reads every petitioner of the town.
        existing = (
            Petitioner.objects.select_for_update()
            .filter(town=town, id_number=number)
            .exclude(id_number="")
            .first()
        )
        if existing is not None:
            if not scope(Petitioner.objects.filter(pk=existing.pk), user).exists():
                raise ValidationError(
                    {
                        f"{where}.id_number": "该身份证号的信访人不在您的查看范围内，不能由您登记关联，"
                        "请交由其他登记人员登记。"
                    }
                )
            if existing.name != name:
                raise ValidationError(
                    {f"{where}.id_number": f"该身份证号已登记为“{existing.name}”，与所填姓名不符，请核对。"}
                )
            return _compare(existing, data, village=village, user=user, update=update, where=where)
    return _Linked(
        Petitioner.objects.create(
            town=town, name=name, id_number=number, phone=data.phone, address=data.address, village=village
        )
    )


def _rebound(case: Case, now) -> dict:
    """化解后反弹: the old resolution no longer holds. It is cleared (the timeline keeps it), the case
    is back on the ledger in hand, and a new 化解 needs evidence from after today. The statutory
    state stays as it is: a matter closed after review is still not accepted again (不再受理)."""
    undone = {
        "text": "原化解（{}销号）因再次信访失效，回到台账".format(
            case.resolved_on.isoformat() if case.resolved_on else "—"
        )
    }
    case.resolution = Resolution.OPEN
    case.rebound = True
    case.rebound_at = now
    case.resolved_on = case.verified_by = None
    case.resolution_before = ""
    case.resolution_submitted_on = case.resolution_signed_on = None
    case.stabilized_on = None
    return undone


def _unsettle(case: Case) -> dict:
    """A petition on a case under 稳控 shows the petitioner is not stable: back to 在办. A case
    waiting for 对账销号 keeps waiting: the office sees the new petition when it checks."""
    if case.resolution != Resolution.STABILIZED:
        return {}
    case.resolution = Resolution.OPEN
    case.stabilized_on = None
    return {"text": "再次信访，稳控失效"}


def _rebound_tell(case: Case) -> None:
    """The owner and the office hear of a rebound at once."""
    from xinfang.accounts.choices import Role
    from xinfang.accounts.models import User
    from xinfang.alerts.services import alerts_send

    recipients = User.objects.filter(town_id=case.town_id, is_active=True).filter(
        Q(role=Role.OFFICE) | Q(person_id=case.lead_leader_id, person_id__isnull=False)
    )
    alerts_send(
        case=case,
        recipients=recipients,
        kind="rebound",
        text=f"{case.number}“{case.title}”已化解销号，信访人再次信访，事项化解后反弹，已回到突出问题台账。",
    )


def _compare(existing: Petitioner, data: PetitionerIn, *, village, user, update: bool, where: str) -> _Linked:
    given = {"phone": data.phone, "address": data.address, "village_id": village.pk if village else None}
    changed = {
        attr: (getattr(existing, attr), value)
        for attr, value in given.items()
        if value and getattr(existing, attr) != value
    }
    linked = _Linked(existing)
    if not changed:
        return linked
    villages = {v.pk: v for v in Village.objects.filter(pk__in=[existing.village_id, given["village_id"]])}
    what = "；".join(
        f"{DETAIL_LABELS[attr]}已登记为“{_detail_text(attr, old, villages)}”，"
        f"本次填写“{_detail_text(attr, new, villages)}”"
        for attr, (old, new) in changed.items()
    )
    if update:
        if not petitioner_editable(user, existing):
            raise ValidationError({f"{where}.update": "只有镇信访联席办可以修改信访人的登记信息。"})
        for attr, (_, new) in changed.items():
            setattr(existing, attr, new)
        existing.save(update_fields=list(changed))
        linked.updated = changed
        linked.notes.append(f"已按本次填写更新信访人{existing.name}的登记信息（{what}）。")
    else:
        linked.notes.append(
            f"信访人{existing.name}已在本镇登记，本次信访已关联此人；{what}。已保留原登记信息，未作修改。"
            "如信访人信息确已变更，请核实后在登记时勾选“以本次填写更新信访人信息”。"
        )
    return linked


def _query_code() -> str:
    return "".join(secrets.choice(QUERY_ALPHABET) for _ in range(8))


def representatives_warning(data: PetitionIn, town) -> str:
    """The warning when a group visit came with more representatives than the town allows
    (《信访工作条例》: 多人走访应推选代表，代表人数不超过 5 人). Registered all the same: the statute
    says "should", and the people are at the door."""
    total = 1 + len(data.representatives)
    if data.channel != Channel.VISIT or total <= town.max_representatives:
        return ""
    limit = town.max_representatives
    return (
        f"本次来访代表 {total} 人，超过规定的 {limit} 人（多人走访应推选代表，代表人数不超过 {limit} 人）。"
        "已照常登记并记入事项动态，请向来访群众说明规定、引导推选代表。"
    )


@transaction.atomic
def petition_register(*, data: PetitionIn, acting_user) -> Petition:
    """Registers one petition: on the case it names (a repeat), or as the first of a new case.

    Only the office registers (PermissionDenied otherwise). The petition returned carries
    `warnings`: Chinese sentences for the clerk (details that differ from a stored petitioner,
    too many representatives, an accusation naming nobody), registered all the same."""
    registration_check(acting_user)
    town = acting_user.town
    errors = _validate(data, town=town)
    case = None
    if data.case_id is not None:
        case = scope(Case.objects.select_for_update(), acting_user).filter(pk=data.case_id).first()
        if case is None:
            errors["case"] = "所选信访事项不存在或不在您的范围内。"
    if errors:
        raise ValidationError(errors)

    main = _petitioner_link(
        town=town, data=data.petitioner, user=acting_user, update=data.update_petitioner, where="petitioner"
    )
    petitioner = main.petitioner
    village = data.petitioner.village or petitioner.village
    linked = [main]
    for i, rep in enumerate(data.representatives):
        linked.append(
            _petitioner_link(
                town=town,
                data=rep,
                user=acting_user,
                update=data.update_petitioner,
                where=f"representatives.{i}",
                village=village,
            )
        )
    people = list(dict.fromkeys(link.petitioner for link in linked))
    warnings = [note for link in linked for note in link.notes]
    too_many = representatives_warning(data, town)
    if too_many:
        warnings.append(too_many)
    accused = [*data.accused_persons, *data.accused_departments, *data.accused_villages]
    if data.kind == PetitionKind.ACCUSATION and not accused and case is None:
        warnings.append(
            "检举控告类事项没有填写被检举控告对象：在填写之前，被检举控告的人员和单位不会被回避。"
        )
    collective = data.persons_count >= town.collective_threshold
    now = timezone.now()
    if case is None:
        year = timezone.localtime(data.received_at).year
        seq, number = case_number_allocate(town=town, year=year)
        received_day = timezone.localtime(data.received_at).date()
        case = Case(
            town=town,
            year=year,
            seq=seq,
            number=number,
            title=data.title.strip(),
            content=data.content.strip(),
            category=data.category,
            matter=data.matter,
            village=village,
            kind=data.kind,
            received_at=data.received_at,
            route_due=add_calendar_days(received_day, town.time_limits.route_days),
            notify_due=add_calendar_days(received_day, town.time_limits.notify_days),
            is_collective=collective,
            has_threat=data.has_threat,
            skip_level=data.skip_level,
            law_related=data.law_related,
        )
        event = CaseEventType.REGISTERED
        undone = {}
    else:
        event = CaseEventType.REBOUND if case.resolution == Resolution.RESOLVED else CaseEventType.REPEAT
        undone = _rebound(case, now) if event == CaseEventType.REBOUND else _unsettle(case)
        case.repeat_count += 1
        case.is_collective = case.is_collective or collective
        case.has_threat = case.has_threat or data.has_threat
        case.skip_level = data.skip_level or case.skip_level
        case.law_related = case.law_related or data.law_related
        case.version += 1
    rules.derive(case, town, timezone.localdate())
    names = [n for n in case.petitioner_label.split("、") if n]
    for person in people:
        if person.name not in names:
            names.append(person.name)
    case.petitioner_label = "、".join(names)[:200]
    case.save()
    if data.accused_persons:
        case.accused_persons.add(*data.accused_persons)
    if data.accused_departments:
        case.accused_departments.add(*data.accused_departments)
    if data.accused_villages:
        case.accused_villages.add(*data.accused_villages)

    petition = Petition.objects.create(
        case=case,
        channel=data.channel,
        referral_level=data.referral_level if data.channel == Channel.REFERRAL else "",
        received_at=data.received_at,
        persons_count=data.persons_count,
        kind=data.kind,
        title=data.title.strip(),
        content=data.content.strip(),
        is_repeat=event != CaseEventType.REGISTERED,
        is_collective=collective,
        has_threat=data.has_threat,
        skip_level=data.skip_level,
        law_related=data.law_related,
        query_code=_query_code() if data.channel in QUERY_CODE_CHANNELS else "",
        registered_by=acting_user,
    )
    # Linked in the order they came (the petitioner, then the representatives): add() would insert
    # from a set, and the notices and the receipt name the persons in the order of these links.
    link = Petition.petitioners.through
    ordered = list({p.pk: p for p in people}.values())
    link.objects.bulk_create([link(petition=petition, petitioner=p) for p in ordered])
    petition_registered.send(sender=Petition, petition=petition, petitioner_ids=[p.pk for p in ordered])
    event_data = {
        "petition": petition.pk,
        "channel": data.channel,
        "persons_count": data.persons_count,
        # 不再受理: a matter closed after review is recorded, not reopened.
        **({"not_reaccepted": True} if case.state == CaseState.CLOSED else {}),
        **undone,
    }
    if data.representatives:
        event_data["representatives"] = [p.name for p in people]
    if too_many:
        # Kept with the petition's event: the timeline shows it, and counts can find it.
        event_data["representatives_over"] = town.max_representatives
        event_data["text"] = "；".join(t for t in (undone.get("text"), too_many) if t)
    CaseEvent.objects.create(case=case, kind=event, at=now, user=acting_user, data=event_data)
    case_changed.send(sender=Case, case=case)
    if event == CaseEventType.REBOUND:
        _rebound_tell(case)
    new = {"petition": petition.pk, "case": case.number, "event": event}
    if accused:
        # The audit log names units and persons by id only, like every other reference.
        new["accused"] = {
            "persons": [p.pk for p in data.accused_persons],
            "departments": [d.pk for d in data.accused_departments],
            "villages": [v.pk for v in data.accused_villages],
        }
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=case,
        new=new,
        detail=f"登记{petition.get_channel_display()}（{CaseEventType(event).label}）",
    )
    for link in linked:
        if link.updated:
            audit_record(
                event=AuditEventType.UPDATE,
                user=acting_user,
                target=case,
                old={a: _audit_value(a, old) for a, (old, _) in link.updated.items()},
                new={a: _audit_value(a, new) for a, (_, new) in link.updated.items()},
                detail="登记时按联席办选择更新信访人登记信息",
            )
    petition.warnings = warnings
    return petition


def _audit_value(attr: str, value):
    # The audit administrator sees that a phone changed, never the number (三员分立).
    return mask_phone(value) if attr == "phone" else value
