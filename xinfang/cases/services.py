"""Writes on cases. Each service is one transaction: rule checks, the write, the case event and the
audit row together."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core.scoping import scope
from xinfang.org.models import Category, Village
from xinfang.workcal.services import add_calendar_days

from . import rules
from .choices import CaseEventType, CaseState, Channel, Level, PetitionKind, Resolution
from .models import Case, CaseEvent, Petition, Petitioner
from .numbering import case_number_allocate

QUERY_CODE_CHANNELS = {Channel.LETTER, Channel.VISIT}
QUERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone


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
    return errors


def _petitioner_upsert(*, town, data: PetitionerIn) -> Petitioner:
    number = ric.compact(data.id_number) if data.id_number else ""
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
            if existing.name != data.name.strip():
                raise ValidationError(
                    {"petitioner.id_number": f"该身份证号已登记为“{existing.name}”，与所填姓名不符，请核对。"}
                )
            given = {
                "phone": data.phone,
                "address": data.address,
                "village_id": data.village.pk if data.village else None,
            }
            changed = [attr for attr, value in given.items() if value and getattr(existing, attr) != value]
            for attr in changed:
                setattr(existing, attr, given[attr])
            if changed:
                existing.save(update_fields=changed)
            return existing
    return Petitioner.objects.create(
        town=town,
        name=data.name.strip(),
        id_number=number,
        phone=data.phone,
        address=data.address,
        village=data.village,
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


def _query_code() -> str:
    return "".join(secrets.choice(QUERY_ALPHABET) for _ in range(8))


@transaction.atomic
def petition_register(*, data: PetitionIn, acting_user) -> Petition:
    """Registers one petition: on the case it names (a repeat), or as the first of a new case."""
    town = acting_user.town
    errors = _validate(data, town=town)
    case = None
    if data.case_id is not None:
        case = scope(Case.objects.select_for_update(), acting_user).filter(pk=data.case_id).first()
        if case is None:
            errors["case"] = "所选信访事项不存在或不在您的范围内。"
    if errors:
        raise ValidationError(errors)

    petitioner = _petitioner_upsert(town=town, data=data.petitioner)
    village = data.petitioner.village or petitioner.village
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
    if petitioner.name not in names:
        case.petitioner_label = "、".join([*names, petitioner.name])[:200]
    case.save()

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
    petition.petitioners.add(petitioner)
    CaseEvent.objects.create(
        case=case,
        kind=event,
        at=now,
        user=acting_user,
        data={
            "petition": petition.pk,
            "channel": data.channel,
            "persons_count": data.persons_count,
            # 不再受理: a matter closed after review is recorded, not reopened.
            **({"not_reaccepted": True} if case.state == CaseState.CLOSED else {}),
            **undone,
        },
    )
    if event == CaseEventType.REBOUND:
        _rebound_tell(case)
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=case,
        new={"petition": petition.pk, "case": case.number, "event": event},
        detail=f"登记{petition.get_channel_display()}（{CaseEventType(event).label}）",
    )
    return petition
