"""Writes of 督查督办, each one transaction with its audit row. Only the supervision team issues and
closes notices and records visits; only the addressed unit replies."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.cases.models import Case
from xinfang.cases.ownership import accused_of
from xinfang.core.errors import EditConflict
from xinfang.core.inputs import control_problem
from xinfang.core.scoping import get_scoped_or_404, scope
from xinfang.org.models import Department, Town, Village
from xinfang.stability.models import KeyPerson

from .choices import NoticeStatus, Subject, UnitKind
from .models import SupervisionNotice, SupervisionReply, SupervisionVisit

ISSUERS = frozenset({Role.SUPERVISOR})
THEME_MAX = 200
TEXT_MAX = 2000
# A reply deadline further away than this is a typing slip, not supervision.
REPLY_DAYS_MAX = 90

FORBIDDEN_ISSUE = "督办单由督查专班（纪委牵头）下发，您的角色不能下发督办单。"
FORBIDDEN_CLOSE = "督办单由督查专班办结，您的角色不能办结督办单。"
FORBIDDEN_VISIT = "督查记录由督查专班填写，您的角色不能填写督查记录。"


class NoticeClosed(Exception):
    """The notice is closed: nothing more can be written to it (409); str() is the Chinese message."""


def _text(errors: dict, field: str, value: str, label: str, limit: int, *, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = f"请填写{label}。"
    elif len(value) > limit:
        errors[field] = f"{label}太长了，最多 {limit} 个字（现在 {len(value)} 个）。"
    elif problem := control_problem(value):
        errors[field] = f"{label}{problem}。"
    return value


def _town_of(user) -> Town:
    if user.town_id is None:
        raise PermissionDenied(FORBIDDEN_ISSUE)
    return user.town


def _unit(errors, town, unit_kind, unit_id):
    if unit_kind == UnitKind.VILLAGE:
        found = Village.objects.filter(town=town, pk=unit_id).first() if unit_id else None
        if found is None:
            errors["unit"] = "请选择本镇的一个村（居）。"
        return {"village": found, "department": None}
    if unit_kind == UnitKind.DEPARTMENT:
        found = Department.objects.filter(town=town, pk=unit_id).first() if unit_id else None
        if found is None:
            errors["unit"] = "请选择本镇的一个部门（条线）。"
        return {"village": None, "department": found}
    errors["unit_kind"] = "督办对象应为 village 村（居）或 department 部门（条线）。"
    return {"village": None, "department": None}


def _subject(errors, user, subject, case_id, key_person_id, unit):
    case = key_person = None
    if subject == Subject.CASE:
        case = scope(Case.objects.all(), user).filter(pk=case_id).first() if case_id else None
        if case is None:
            errors["case"] = "请填写本镇一件信访事项（编号或事项编号）。"
        else:
            accused = accused_of(case)
            if (unit["village"] and accused.includes_village(unit["village"])) or (
                unit["department"] and accused.includes_department(unit["department"])
            ):
                errors["unit"] = (
                    "该事项检举控告的正是这个单位，不能向被检举控告的单位督办（《信访工作条例》第三十条）。"
                )
    elif subject == Subject.KEY_PERSON:
        key_person = (
            scope(KeyPerson.objects.all(), user).filter(pk=key_person_id).first() if key_person_id else None
        )
        if key_person is None:
            errors["key_person"] = "请选择本镇的一名重点人员。"
    elif subject != Subject.THEME:
        errors["subject"] = "督办内容应为 case 信访事项、key_person 重点人员或 theme 专题。"
    return case, key_person


def _next_seq(town: Town, year: int) -> int:
    # The town's row is the lock: two notices issued at once get consecutive numbers.
    Town.objects.select_for_update().filter(pk=town.pk).first()
    last = SupervisionNotice.objects.filter(town=town, year=year).aggregate(m=Max("seq"))["m"] or 0
    return last + 1


def notice_number(town: Town, year: int, seq: int) -> str:
    """分督〔2026〕3号: the first character of the town's case prefix, 督, the year, the sequence."""
    head = (town.case_number_prefix or town.name)[:1]
    return f"{head}督〔{year}〕{seq}号"


@transaction.atomic
def notice_issue(
    *,
    acting_user,
    unit_kind: str,
    unit_id: int | None,
    subject: str,
    theme: str,
    requirements: str,
    reply_due: dt.date | None,
    case_id: int | None = None,
    key_person_id: int | None = None,
) -> SupervisionNotice:
    """下发督办单. Raises PermissionDenied for anybody but the team, ValidationError ({field: message})
    for what cannot be issued."""
    if acting_user.role not in ISSUERS:
        raise PermissionDenied(FORBIDDEN_ISSUE)
    town = _town_of(acting_user)
    errors: dict[str, str] = {}
    unit = _unit(errors, town, unit_kind, unit_id)
    case, key_person = _subject(errors, acting_user, subject, case_id, key_person_id, unit)
    theme = _text(errors, "theme", theme, "督办事项", THEME_MAX)
    requirements = _text(errors, "requirements", requirements, "督办要求", TEXT_MAX)
    today = timezone.localdate()
    if reply_due is None:
        errors["reply_due"] = "请填写回复期限。"
    elif reply_due < today:
        errors["reply_due"] = "回复期限不能早于今天。"
    elif reply_due > today + dt.timedelta(days=REPLY_DAYS_MAX):
        errors["reply_due"] = f"回复期限最长为 {REPLY_DAYS_MAX} 日，请核对日期。"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    year = timezone.localtime(now).year
    seq = _next_seq(town, year)
    notice = SupervisionNotice.objects.create(
        town=town,
        year=year,
        seq=seq,
        number=notice_number(town, year, seq),
        unit_kind=unit_kind,
        subject=subject,
        case=case,
        key_person=key_person,
        theme=theme,
        requirements=requirements,
        reply_due=reply_due,
        issued_by=acting_user,
        issued_at=now,
        **unit,
    )
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=notice,
        town=town,
        new={
            "number": notice.number,
            "unit": notice.unit_name,
            "subject": subject,
            "case": case.number if case else None,
            "key_person": key_person.pk if key_person else None,
            "reply_due": reply_due,
        },
        detail=f"下发督办单（{notice.unit_name}）",
    )
    return notice


def _locked(acting_user, notice_id: int) -> SupervisionNotice:
    queryset = SupervisionNotice.objects.select_for_update(of=("self",)).select_related(
        "town", "village", "department"
    )
    return get_scoped_or_404(queryset, acting_user, pk=notice_id)


@transaction.atomic
def notice_reply(*, acting_user, notice_id: int, text: str) -> SupervisionReply:
    """回复: by the addressed unit (its village clerk, or a user of the department), as often as
    needed until the notice is closed. The first reply turns the notice to 已回复."""
    notice = _locked(acting_user, notice_id)
    if not notice.is_addressee(acting_user):
        whom = "该村（居）的村干部" if notice.unit_kind == UnitKind.VILLAGE else "该部门的工作人员"
        raise PermissionDenied(f"该督办单发往{notice.unit_name}，只能由{whom}回复。")
    if notice.status == NoticeStatus.CLOSED:
        raise NoticeClosed(f"督办单 {notice.number} 已办结，不能再回复。")
    errors: dict[str, str] = {}
    text = _text(errors, "text", text, "回复内容", TEXT_MAX)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    reply = SupervisionReply.objects.create(notice=notice, text=text, replied_by=acting_user, replied_at=now)
    old = {"status": notice.status}
    late = timezone.localtime(now).date() > notice.reply_due
    if notice.status == NoticeStatus.ISSUED:
        notice.status = NoticeStatus.REPLIED
        notice.first_reply_at = now
    notice.version += 1
    notice.save(update_fields=["status", "first_reply_at", "version"])
    audit_record(
        event=AuditEventType.UPDATE,
        user=acting_user,
        target=notice,
        town=notice.town,
        old=old,
        new={"status": notice.status, "reply": reply.pk, "late": late},
        detail="回复督办单" + ("（超过回复期限）" if late else ""),
    )
    return reply


@transaction.atomic
def notice_close(*, acting_user, notice_id: int, note: str, version: int | None = None) -> SupervisionNotice:
    """办结: the team accepts the replies (or closes the matter otherwise, saying why). `version` is
    the one the closer saw: a reply in between is not closed over unread (EditConflict)."""
    if acting_user.role not in ISSUERS:
        raise PermissionDenied(FORBIDDEN_CLOSE)
    notice = _locked(acting_user, notice_id)
    if notice.status == NoticeStatus.CLOSED:
        raise NoticeClosed(
            f"督办单 {notice.number} 已于 {timezone.localtime(notice.closed_at):%Y-%m-%d %H:%M} 办结。"
        )
    if version is not None and version != notice.version:
        raise EditConflict("您打开页面后，督办单有了新的回复或变化。请刷新页面，看过最新回复后再办结。")
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, "办结意见", 500)
    if errors:
        raise ValidationError(errors)
    old = {"status": notice.status}
    notice.status = NoticeStatus.CLOSED
    notice.closed_by, notice.closed_at, notice.close_note = acting_user, timezone.now(), note
    notice.version += 1
    notice.save(update_fields=["status", "closed_by", "closed_at", "close_note", "version"])
    audit_record(
        event=AuditEventType.UPDATE,
        user=acting_user,
        target=notice,
        town=notice.town,
        old=old,
        new={"status": notice.status, "close_note": note},
        detail="办结督办单",
    )
    return notice


@transaction.atomic
def visit_record(
    *,
    acting_user,
    day: dt.date | None,
    village_ids=(),
    department_ids=(),
    findings: str,
    problems: str = "",
    notice_ids=(),
) -> SupervisionVisit:
    """督查记录: the day, the units visited (at least one), what was found, the notices it led to."""
    if acting_user.role not in ISSUERS:
        raise PermissionDenied(FORBIDDEN_VISIT)
    town = _town_of(acting_user)
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if day is None:
        errors["day"] = "请填写督查日期。"
    elif day > today:
        errors["day"] = "督查日期不能晚于今天。"
    elif day < today - dt.timedelta(days=366):
        errors["day"] = "督查日期不能早于一年前，请核对年份。"
    village_ids, department_ids, notice_ids = set(village_ids), set(department_ids), set(notice_ids)
    villages = list(Village.objects.filter(town=town, pk__in=village_ids))
    departments = list(Department.objects.filter(town=town, pk__in=department_ids))
    notices = list(SupervisionNotice.objects.filter(town=town, pk__in=notice_ids))
    if len(villages) != len(village_ids):
        errors["villages"] = "督查村（居）中有不属于本镇的，请重新选择。"
    if len(departments) != len(department_ids):
        errors["departments"] = "督查部门中有不属于本镇的，请重新选择。"
    if len(notices) != len(notice_ids):
        errors["notices"] = "督办单中有不属于本镇的，请重新选择。"
    if not village_ids and not department_ids and "villages" not in errors:
        errors["villages"] = "请至少选择一个督查的村（居）或部门。"
    findings = _text(errors, "findings", findings, "督查发现", TEXT_MAX)
    problems = _text(errors, "problems", problems, "存在问题", TEXT_MAX, required=False)
    if errors:
        raise ValidationError(errors)
    visit = SupervisionVisit.objects.create(
        town=town, day=day, findings=findings, problems=problems, recorded_by=acting_user
    )
    visit.villages.set(villages)
    visit.departments.set(departments)
    visit.notices.set(notices)
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=visit,
        town=town,
        new={
            "day": day,
            "villages": [v.name for v in villages],
            "departments": [d.name for d in departments],
            "notices": [n.number for n in notices],
        },
        detail="记录督查",
    )
    return visit
