"""Writes of 排查 and 研判. Each service is one transaction with its audit row; role checks live here
so that the pages and the API cannot forget them."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from stdnum.cn import ric

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.cases.models import Case, Petitioner
from xinfang.cases.services import PetitionerIn, PetitionIn, id_number_problem, petition_register
from xinfang.core.errors import EditConflict
from xinfang.core.inputs import EARLIEST, LATEST, MAX_ID
from xinfang.core.inputs import text_clean as _text
from xinfang.core.scoping import get_scoped_or_404, scope
from xinfang.org.models import Category, Department, Grid, Village
from xinfang.stability import rules as stability_rules
from xinfang.stability.models import KeyPerson
from xinfang.stability.services import key_person_create

from . import rules
from .choices import AssessmentLevel, AssessmentStatus, ItemKind, Outcome, RoundKind, UnitKind
from .models import Assessment, ScreeningItem, ScreeningRound, UnitReport

ORGANISERS = frozenset({Role.OFFICE})  # rounds, and what becomes of an item
REPORTERS = frozenset({Role.VILLAGE, Role.GRID, Role.DEPARTMENT})  # each for its own unit
# Who holds an assessment at which level: the unit of the user's role.
ASSESSORS = {
    Role.GRID: AssessmentLevel.GRID,
    Role.VILLAGE: AssessmentLevel.VILLAGE,
    Role.DEPARTMENT: AssessmentLevel.LINE,
    Role.OFFICE: AssessmentLevel.TOWN,
}
ITEMS_PER_REPORT = 200
SYSTEM = "系统任务"


# --- helpers -----------------------------------------------------------------------------------


def _id(value, field: str, what: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ValidationError({field: f"所选{what}编号“{value}”无效，请重新选择。"})
    return value


def _day(value, field: str, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError({field: f"{what}格式应为 2026-05-01。"}) from None
    if not isinstance(value, dt.date):
        raise ValidationError({field: f"请填写{what}。"})
    if not EARLIEST <= value <= LATEST:
        raise ValidationError(
            {field: f"{what}应在 {EARLIEST:%Y-%m-%d} 至 {LATEST:%Y-%m-%d} 之间，请核对年份。"}
        )
    return value


def _choice(value, choices, field: str, what: str) -> str:
    if value not in choices.values:
        options = "、".join(label for _, label in choices.choices)
        raise ValidationError({field: f"请选择{what}：{options}。"})
    return value


def _risk(town, value, field: str = "risk_level") -> str:
    if stability_rules.level_rule(town, value) is None:
        options = "、".join(f"{lv['code']}（{lv['name']}）" for lv in stability_rules.levels(town))
        raise ValidationError({field: f"风险等级“{value or '（空）'}”不在本镇配置中，可选：{options}。"})
    return value


def _version(obj, version) -> None:
    """Two people may act on one report, item or assessment (a village and its clerk, two office
    clerks): the later one, having read an older version, is told instead of overwriting."""
    if version in (None, ""):
        return
    if str(version).strip() != str(obj.version):
        raise EditConflict(
            f"{obj.audit_label}在您打开之后已被他人修改，为避免覆盖，本次未保存。请刷新页面后重新操作。"
        )


def _organiser_check(user, what: str) -> None:
    if user.role not in ORGANISERS or not user.town_id:
        raise PermissionDenied(f"只有镇信访联席办可以{what}，{user.get_role_display()}只能查看。")


# --- rounds ------------------------------------------------------------------------------------


def _report_rows(town, rnd: ScreeningRound, unit_kinds) -> list[UnitReport]:
    rows = []
    if UnitKind.VILLAGE in unit_kinds:
        rows += [
            UnitReport(town=town, round=rnd, unit_kind=UnitKind.VILLAGE, village=v)
            for v in Village.objects.filter(town=town).order_by("order", "id")
        ]
    if UnitKind.GRID in unit_kinds:
        rows += [
            UnitReport(town=town, round=rnd, unit_kind=UnitKind.GRID, village_id=g.village_id, grid=g)
            for g in Grid.objects.filter(village__town=town).order_by("village__order", "order", "id")
        ]
    if UnitKind.DEPARTMENT in unit_kinds:
        rows += [
            UnitReport(town=town, round=rnd, unit_kind=UnitKind.DEPARTMENT, department=d)
            for d in Department.objects.filter(town=town).order_by("order", "id")
        ]
    return rows


def _round_dates(start, end, due) -> tuple[dt.date, dt.date, dt.date]:
    start = _day(start, "start", "排查开始日期")
    end = _day(end, "end", "排查结束日期")
    due = _day(due, "due", "报送期限")
    if end < start:
        raise ValidationError({"end": "排查结束日期不能早于开始日期。"})
    if due < start:
        raise ValidationError({"due": "报送期限不能早于排查开始日期。"})
    return start, end, due


@transaction.atomic
def round_create(
    *, acting_user, name, start, end, due, kind=RoundKind.CAMPAIGN, note="", unit_kinds=None
) -> ScreeningRound:
    """发起一轮排查: every village, grid and department (as the town's settings say, or as chosen)
    must report in it, a zero report included."""
    _organiser_check(acting_user, "发起排查")
    town = acting_user.town
    kind = _choice(kind, RoundKind, "kind", "排查类型")
    name = _text(name, "name", 100, "请填写本轮排查的名称。")
    note = _text(note, "note", 500)
    start, end, due = _round_dates(start, end, due)
    unit_kinds = list(unit_kinds or rules.config(town)["report_units"])
    for k in unit_kinds:
        _choice(k, UnitKind, "units", "须报送的单位")
    rnd = ScreeningRound(
        town=town, kind=kind, name=name, start=start, end=end, due=due, note=note, created_by=acting_user
    )
    try:
        with transaction.atomic():
            rnd.save()
    except IntegrityError:
        raise ValidationError({"start": "该日期开始的滚动排查轮次已存在。"}) from None
    rows = _report_rows(town, rnd, unit_kinds)
    UnitReport.objects.bulk_create(rows)
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=rnd,
        new={"kind": kind, "start": start.isoformat(), "due": due.isoformat(), "units": len(rows)},
        detail=f"发起{RoundKind(kind).label}“{name}”",
    )
    return rnd


@transaction.atomic
def rolling_round_ensure(*, town, today: dt.date | None = None) -> ScreeningRound | None:
    """滚动排查: the round of the current cadence block, opened once (running this twice opens one)."""
    settings = rules.config(town)
    if not settings["rolling"]:
        return None
    today = today or timezone.localdate()
    every = settings["rolling_every_days"]
    start = rules.rolling_start(today, every)
    found = ScreeningRound.objects.filter(town=town, kind=RoundKind.ROLLING, start=start).first()
    if found is not None:
        return found
    end = start + dt.timedelta(days=every - 1)
    due = start + dt.timedelta(days=min(settings["rolling_due_days"], every - 1))
    rnd = ScreeningRound.objects.create(
        town=town,
        kind=RoundKind.ROLLING,
        name=f"滚动排查（{start:%m月%d日}—{end:%m月%d日}）",
        start=start,
        end=end,
        due=due,
    )
    rows = _report_rows(town, rnd, settings["report_units"])
    UnitReport.objects.bulk_create(rows)
    audit_record(
        event=AuditEventType.CREATE,
        username=SYSTEM,
        town=town,
        target=rnd,
        new={"kind": RoundKind.ROLLING, "start": start.isoformat(), "units": len(rows)},
        detail=f"{SYSTEM}：按周期建立滚动排查",
    )
    return rnd


# --- reports -----------------------------------------------------------------------------------


@dataclass
class ItemIn:
    kind: str
    title: str
    description: str
    risk_level: str
    village_id: int | None = None
    department_id: int | None = None
    category_id: int | None = None
    person_name: str = ""
    person_id_number: str = ""
    persons_count: int = 1


def _own_report(user, report_id) -> UnitReport:
    if user.role not in REPORTERS:
        raise PermissionDenied(
            f"排查报告由各村（居）、网格员和部门报送本单位的情况，{user.get_role_display()}只能查看。"
        )
    report = (
        UnitReport.objects.select_for_update(of=("self",))
        .select_related("round", "village", "grid", "department")
        .filter(pk=report_id, town_id=user.town_id)
        .first()
    )
    mine = report is not None and (
        (
            report.unit_kind == UnitKind.VILLAGE
            and user.role == Role.VILLAGE
            and report.village_id == user.village_id
        )
        or (report.unit_kind == UnitKind.GRID and user.role == Role.GRID and report.grid_id == user.grid_id)
        or (
            report.unit_kind == UnitKind.DEPARTMENT
            and user.role == Role.DEPARTMENT
            and report.department_id == user.department_id
        )
    )
    if not mine:
        # Another unit's report: as if it did not exist (a village never learns of another's).
        if report is not None and scope(UnitReport.objects.filter(pk=report.pk), user).exists():
            raise PermissionDenied("只能报送本单位的排查报告。")
        raise ValidationError({"report": "该排查报告不存在或不是本单位的报告。"})
    return report


def _item_clean(town, report: UnitReport, data: ItemIn, i: int) -> ScreeningItem:
    p = f"items.{i}."
    kind = _choice(data.kind, ItemKind, p + "kind", "排查事项类型")
    title = _text(data.title, p + "title", 100, "请填写事项（一句话概括）。")
    description = _text(data.description, p + "description", 2000, "请填写具体情况。")
    risk = _risk(town, data.risk_level, p + "risk_level")
    village = report.village if report.unit_kind in (UnitKind.VILLAGE, UnitKind.GRID) else None
    village_id = _id(data.village_id, p + "village", "村（居）")
    if village_id and village is not None and village_id != village.pk:
        # A village's or a grid's item is about its own village: an item placed in another village
        # would be out of the reporter's own sight.
        raise ValidationError(
            {p + "village": "村（居）和网格只报告本村（居）的情况；涉及其他村（居）的，请在具体情况中写明。"}
        )
    if village_id:
        village = Village.objects.filter(town=town, pk=village_id).first()
        if village is None:
            raise ValidationError({p + "village": "所选村（居）不属于本镇。"})
    department = None
    department_id = _id(data.department_id, p + "department", "条线（部门）")
    if department_id:
        department = Department.objects.filter(town=town, pk=department_id).first()
        if department is None:
            raise ValidationError({p + "department": "所选条线（部门）不属于本镇。"})
    elif report.unit_kind == UnitKind.DEPARTMENT:
        department = report.department
    category = None
    category_id = _id(data.category_id, p + "category", "问题类别")
    if category_id:
        category = Category.objects.filter(town=town, pk=category_id).first()
        if category is None:
            raise ValidationError({p + "category": "所选问题类别不属于本镇。"})
    name = _text(data.person_name, p + "person_name", 40)
    number = ric.compact(data.person_id_number or "") if (data.person_id_number or "").strip() else ""
    if number and (problem := id_number_problem(number)):
        raise ValidationError({p + "person_id_number": problem})
    if number and not name:
        raise ValidationError({p + "person_name": "填写了身份证号，请同时填写涉及人员姓名。"})
    count = data.persons_count
    if isinstance(count, str):
        count = int(count) if count.strip().isdigit() else -1
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 10_000:
        raise ValidationError({p + "persons_count": "涉及人数应为 1 至 10000 之间的整数。"})
    return ScreeningItem(
        town=town,
        round=report.round,
        report=report,
        kind=kind,
        village=village,
        department=department,
        category=category,
        title=title,
        description=description,
        person_name=name,
        person_id_number=number,
        persons_count=count,
        risk_level=risk,
    )


@transaction.atomic
def report_submit(
    *, acting_user, report_id, zero: bool = False, statement: str = "", items=(), version=None
) -> UnitReport:
    """报送本单位的排查情况: a zero report (零报告, one tap), or items. A unit may add items later in
    the round (they add to its report); a zero report stands only while the unit has no items."""
    report = _own_report(acting_user, _id(report_id, "report", "排查报告"))
    _version(report, version)
    town = report.town
    items = list(items or [])
    if zero and items:
        raise ValidationError({"zero": "零报告不能同时填写排查事项：有事项请逐条填写，无事项再报零报告。"})
    if not zero and not items:
        raise ValidationError({"items": "请至少填写一条排查事项；如经排查未发现问题，请报“零报告”。"})
    if len(items) > ITEMS_PER_REPORT:
        raise ValidationError({"items": f"一次最多报送 {ITEMS_PER_REPORT} 条事项，请分批报送。"})
    if zero and report.items.exists():
        raise ValidationError({"zero": "本单位本轮已报送排查事项，不能再报零报告。"})
    rows = [_item_clean(town, report, data, i) for i, data in enumerate(items)]
    for row in rows:
        row.reporter = acting_user
    ScreeningItem.objects.bulk_create(rows)
    now = timezone.now()
    first = report.submitted_at is None
    report.submitted_at = report.submitted_at or now
    report.reporter = report.reporter or acting_user
    report.is_zero = bool(zero)
    report.statement = (
        _text(statement, "statement", 500) or rules.config(town)["zero_statement"]
        if zero
        else _text(statement, "statement", 500) or report.statement
    )
    report.version += 1
    report.save()
    audit_record(
        event=AuditEventType.CREATE if first else AuditEventType.UPDATE,
        user=acting_user,
        target=report,
        new={"zero": bool(zero), "items": [r.pk for r in rows]},
        detail="报送零报告" if zero else f"报送排查事项 {len(rows)} 条",
    )
    return report


# --- what becomes of an item (one step each, the office) ---------------------------------------


def _open_item(user, item_id, version) -> ScreeningItem:
    _organiser_check(user, "处理排查事项")
    item = get_scoped_or_404(
        ScreeningItem.objects.select_for_update(of=("self",)).select_related("village", "category", "town"),
        user,
        pk=_id(item_id, "item", "排查事项"),
    )
    _version(item, version)
    if item.outcome != Outcome.OPEN:
        raise ValidationError({"outcome": f"该事项已处理（{item.get_outcome_display()}），不能重复处理。"})
    return item


def _done(item: ScreeningItem, user, outcome: str, **fields) -> None:
    item.outcome = outcome
    item.outcome_by = user
    item.outcome_at = timezone.now()
    for k, v in fields.items():
        setattr(item, k, v)
    item.version += 1
    item.save()


@transaction.atomic
def item_to_case(
    *,
    acting_user,
    item_id,
    channel: str = "visit",
    title: str = "",
    content: str = "",
    category_id=None,
    version=None,
) -> Case:
    """转为信访事项: registered through the ledger's own registration, the item's person as petitioner."""
    item = _open_item(acting_user, item_id, version)
    if not item.person_name:
        raise ValidationError(
            {"person_name": "该事项没有填写涉及人员，不能登记为信访事项；请先补充信访人后登记，或销号。"}
        )
    category = item.category
    if category_id:
        category = Category.objects.filter(
            town=item.town, pk=_id(category_id, "category", "问题类别")
        ).first()
        if category is None:
            raise ValidationError({"category": "所选问题类别不属于本镇。"})
    petition = petition_register(
        data=PetitionIn(
            channel=channel,
            received_at=timezone.now(),
            petitioner=PetitionerIn(
                name=item.person_name, id_number=item.person_id_number, village=item.village
            ),
            title=_text(title, "title", 100) or item.title,
            content=_text(content, "content", 20_000) or item.description,
            persons_count=item.persons_count,
            category=category,
        ),
        acting_user=acting_user,
    )
    _done(item, acting_user, Outcome.CASE, case=petition.case)
    audit_record(
        event=AuditEventType.UPDATE,
        user=acting_user,
        target=item,
        new={"outcome": Outcome.CASE, "case": petition.case_id},
        detail=f"排查事项转为信访事项 {petition.case.number}",
    )
    return petition.case


@transaction.atomic
def item_to_key_person(
    *, acting_user, item_id, level: str = "", reasons: str = "", version=None
) -> KeyPerson:
    """列为重点人员: the person the item names (found by ID number, registered as a petitioner when
    the town has none yet), through the stability register's own service."""
    item = _open_item(acting_user, item_id, version)
    if not (item.person_name and item.person_id_number):
        raise ValidationError(
            {"person_id_number": "列为重点人员须有涉及人员的姓名和身份证号，请先补充后再列管。"}
        )
    petitioner = (
        Petitioner.objects.filter(town=item.town, id_number=item.person_id_number)
        .exclude(id_number="")
        .first()
    )
    if (
        petitioner is not None
        and not scope(Petitioner.objects.filter(pk=petitioner.pk), acting_user).exists()
    ):
        raise ValidationError({"person_id_number": "该身份证号的人员不在您的查看范围内，不能由您列管。"})
    if petitioner is not None and petitioner.name != item.person_name:
        raise ValidationError(
            {"person_id_number": f"该身份证号已登记为“{petitioner.name}”，与事项所填姓名不符，请核对。"}
        )
    if petitioner is None:
        petitioner = Petitioner.objects.create(
            town=item.town, name=item.person_name, id_number=item.person_id_number, village=item.village
        )
    kp = key_person_create(
        acting_user=acting_user,
        petitioner_id=petitioner.pk,
        level=level or item.risk_level,
        reasons=_text(reasons, "reasons", 1000)
        or f"排查发现（{item.round.name}）：{item.title}。{item.description}"[:1000],
        case_id=item.case_id,
    )
    _done(item, acting_user, Outcome.KEY_PERSON, key_person=kp)
    audit_record(
        event=AuditEventType.UPDATE,
        user=acting_user,
        target=item,
        new={"outcome": Outcome.KEY_PERSON, "key_person": kp.pk},
        detail="排查事项列为重点人员",
    )
    return kp


@transaction.atomic
def item_close(*, acting_user, item_id, reason: str, version=None) -> ScreeningItem:
    """销号: nothing to register nor to keep, with the reason why."""
    item = _open_item(acting_user, item_id, version)
    reason = _text(reason, "reason", 500, "请填写销号理由（如已当场化解、不属于信访事项）。")
    _done(item, acting_user, Outcome.CLOSED, closed_reason=reason)
    audit_record(
        event=AuditEventType.UPDATE,
        user=acting_user,
        target=item,
        new={"outcome": Outcome.CLOSED, "reason": reason},
        detail="排查事项销号",
    )
    return item


# --- assessments -------------------------------------------------------------------------------


def _subject(user, *, item_id=None, case_id=None, key_person_id=None) -> dict:
    given = [(k, v) for k, v in (("item", item_id), ("case", case_id), ("key_person", key_person_id)) if v]
    if len(given) != 1:
        raise ValidationError({"subject": "请选择一项研判对象：排查事项、信访事项或重点人员（只选一项）。"})
    field, value = given[0]
    value = _id(value, field, "研判对象")
    model = {"item": ScreeningItem, "case": Case, "key_person": KeyPerson}[field]
    obj = scope(model.objects.filter(pk=value), user).first()
    if obj is None:
        raise ValidationError({field: "所选研判对象不存在或不在您的范围内。"})
    return {field: obj}


def _subject_village_id(subject: dict):
    obj = next(iter(subject.values()))
    return obj.village_id


def _details(town, *, risk_level, conclusion, next_step, participants, held_on) -> dict:
    held_on = _day(held_on or timezone.localdate(), "held_on", "研判日期")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "研判日期不能晚于今天。"})
    return {
        "risk_level": _risk(town, risk_level),
        "conclusion": _text(conclusion, "conclusion", 2000, "请填写研判结论。"),
        "next_step": _text(next_step, "next_step", 2000, "请填写下一步措施。"),
        "participants": _text(participants, "participants", 300, "请填写参加研判的人员。"),
        "held_on": held_on,
    }


def _assessor_check(user) -> str:
    level = ASSESSORS.get(user.role)
    if level is None or not user.town_id:
        raise PermissionDenied(
            f"研判由网格、村（居）、条线（部门）和镇信访联席办分级开展，{user.get_role_display()}只能查看。"
        )
    return level


@transaction.atomic
def assessment_record(
    *,
    acting_user,
    item_id=None,
    case_id=None,
    key_person_id=None,
    risk_level="",
    conclusion="",
    next_step="",
    participants="",
    held_on=None,
) -> Assessment:
    """研判 at the user's own level: a grid worker's grid, a village, a line (department), the town."""
    level = _assessor_check(acting_user)
    town = acting_user.town
    subject = _subject(acting_user, item_id=item_id, case_id=case_id, key_person_id=key_person_id)
    details = _details(
        town,
        risk_level=risk_level,
        conclusion=conclusion,
        next_step=next_step,
        participants=participants,
        held_on=held_on,
    )
    village_id = acting_user.village_id if level in (AssessmentLevel.GRID, AssessmentLevel.VILLAGE) else None
    a = Assessment.objects.create(
        town=town,
        level=level,
        village_id=village_id or _subject_village_id(subject),
        grid_id=acting_user.grid_id if level == AssessmentLevel.GRID else None,
        department_id=acting_user.department_id if level == AssessmentLevel.LINE else None,
        status=AssessmentStatus.DONE,
        created_by=acting_user,
        held_by=acting_user,
        **subject,
        **details,
    )
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=a,
        new={"level": level, "risk_level": details["risk_level"], "held_on": details["held_on"].isoformat()},
        detail=f"{AssessmentLevel(level).label}：{a.subject_label}",
    )
    return a


def holds(user, a: Assessment) -> bool:
    """Whether the assessment is the user's unit's to hold."""
    return (
        (a.level == AssessmentLevel.GRID and user.role == Role.GRID and a.grid_id == user.grid_id)
        or (
            a.level == AssessmentLevel.VILLAGE
            and user.role == Role.VILLAGE
            and a.village_id == user.village_id
        )
        or (
            a.level == AssessmentLevel.LINE
            and user.role == Role.DEPARTMENT
            and a.department_id == user.department_id
        )
        or (a.level == AssessmentLevel.TOWN and user.role == Role.OFFICE)
    )


def _held_assessment(user, assessment_id, version) -> Assessment:
    _assessor_check(user)
    a = get_scoped_or_404(
        Assessment.objects.select_for_update(of=("self",)),
        user,
        pk=_id(assessment_id, "assessment", "研判记录"),
    )
    if not holds(user, a):
        raise PermissionDenied(
            f"这是{a.get_level_display()}（{a.unit_name}）的研判，只能由该单位填写或提级。"
        )
    _version(a, version)
    return a


@transaction.atomic
def assessment_complete(
    *,
    acting_user,
    assessment_id,
    risk_level="",
    conclusion="",
    next_step="",
    participants="",
    held_on=None,
    version=None,
) -> Assessment:
    """The next level holds the assessment an escalation opened."""
    a = _held_assessment(acting_user, assessment_id, version)
    if a.status != AssessmentStatus.PENDING:
        raise ValidationError({"status": "该研判已完成，不能重复填写。"})
    details = _details(
        a.town,
        risk_level=risk_level,
        conclusion=conclusion,
        next_step=next_step,
        participants=participants,
        held_on=held_on,
    )
    for k, v in details.items():
        setattr(a, k, v)
    a.status = AssessmentStatus.DONE
    a.held_by = acting_user
    a.version += 1
    a.save()
    audit_record(
        event=AuditEventType.UPDATE,
        user=acting_user,
        target=a,
        new={"status": a.status, "risk_level": a.risk_level},
        detail=f"完成{a.get_level_display()}",
    )
    return a


def _line_for(a: Assessment, department_id) -> Department:
    department_id = _id(department_id, "department", "条线（部门）")
    if department_id:
        d = Department.objects.filter(town_id=a.town_id, pk=department_id).first()
        if d is None:
            raise ValidationError({"department": "所选条线（部门）不属于本镇。"})
        return d
    if a.item_id and a.item.department_id:
        return a.item.department
    if a.case_id and a.case.lead_department_id:
        return a.case.lead_department
    raise ValidationError({"department": "提级到条线研判，请选择负责研判的条线（部门）。"})


@transaction.atomic
def assessment_escalate(
    *, acting_user, assessment_id, reason: str, department_id=None, version=None
) -> Assessment:
    """提级研判: the next level (grid → village → line → town) gets a pending assessment of the same
    subject, with the reason."""
    a = _held_assessment(acting_user, assessment_id, version)
    if a.status != AssessmentStatus.DONE:
        raise ValidationError({"status": "请先完成本级研判，再提级。"})
    target = rules.next_level(a.level)
    if target is None:
        raise ValidationError({"level": "镇级研判是最高一级，不能再提级；需要时请提交联席会议。"})
    if Assessment.objects.filter(escalated_from=a).exists():
        raise ValidationError({"level": "该研判已提级，不能重复提级。"})
    reason = _text(reason, "reason", 500, "请填写提级理由。")
    department = _line_for(a, department_id) if target == AssessmentLevel.LINE else None
    subject_village = (a.item or a.case or a.key_person).village_id
    nxt = Assessment.objects.create(
        town_id=a.town_id,
        level=target,
        village_id=a.village_id if target == AssessmentLevel.VILLAGE else subject_village,
        department=department,
        item_id=a.item_id,
        case_id=a.case_id,
        key_person_id=a.key_person_id,
        status=AssessmentStatus.PENDING,
        risk_level=a.risk_level,
        escalated_from=a,
        escalation_reason=reason,
        created_by=acting_user,
    )
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=nxt,
        new={"from": a.pk, "level": target, "reason": reason},
        detail=f"提级至{AssessmentLevel(target).label}",
    )
    return nxt
