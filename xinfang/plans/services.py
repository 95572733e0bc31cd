"""Writing a case's task force, plan, milestones and progress. Each service finds the case through the
user's scope (Http404 otherwise), checks the role (PermissionDenied), checks its input
(ValidationError({field: Chinese message}), nothing stored) and writes the change, the case event and
the audit row in one transaction.

Who writes: the petition office, the departments, the villages, and the case's own owner (the leader
whose person is the case's 包案领导). Grid workers, supervisors, the county bureau and other leaders
only read.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.cases.choices import CaseEventType, CaseState, Resolution
from xinfang.cases.models import Case, CaseEvent
from xinfang.core.errors import EditConflict
from xinfang.core.scoping import get_scoped_or_404

from .choices import judgements_clean
from .models import CasePlan, Milestone, MilestoneProgress, TaskForceMember

# Roles that write plans for any case they can see; a leader writes only for the cases they own.
EDIT_ROLES = frozenset({Role.OFFICE, Role.DEPARTMENT, Role.VILLAGE})
TITLE_MAX = 100
TEXT_MAX = 300
PLAN_TEXT_MAX = 2000
ROLE_MAX = 20
TASK_FORCE_MAX = 30


def can_edit(user, case) -> bool:
    """Whether the user may change the case's task force, plan and milestones."""
    if user.role == Role.LEADER:
        return user.person_id is not None and user.person_id == case.lead_leader_id
    return user.role in EDIT_ROLES


def parse_date(value, field: str) -> dt.date | None:
    """A date from a form or JSON string ("2026-05-01"), or None when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({field: "日期格式应为 2026-05-01。"}) from None


def _case_for_edit(case_id: int, user) -> Case:
    case = get_scoped_or_404(
        Case.objects.select_for_update(of=("self",)).select_related("town"), user, pk=case_id
    )
    if not can_edit(user, case):
        if user.role == Role.LEADER:
            raise PermissionDenied("您不是该事项的包案领导，只能查看工作专班和化稳方案，不能修改。")
        raise PermissionDenied(f"{user.get_role_display()}只能查看工作专班和化稳方案，不能修改。")
    if case.state == CaseState.NOT_ACCEPTED:
        raise ValidationError({"case": "该事项不予受理，无需制定化稳方案。"})
    return case


def _milestone_for_edit(milestone_id: int, user) -> Milestone:
    milestone = get_scoped_or_404(Milestone.objects.all(), user, pk=milestone_id)
    milestone.case = _case_for_edit(milestone.case_id, user)
    return milestone


def _text(value, field: str, message: str | None, limit: int) -> str:
    value = (value or "").strip()
    if not value and message:
        raise ValidationError({field: message})
    if len(value) > limit:
        raise ValidationError({field: f"内容过长（{len(value)} 字），请控制在 {limit} 字以内。"})
    return value


def _day(value, case: Case, field: str, what: str) -> dt.date:
    """A day not after today and not before the case's first petition; today when empty."""
    today = timezone.localdate()
    on = parse_date(value, field) or today
    if on > today:
        raise ValidationError({field: f"{what}不能晚于今天。"})
    received = timezone.localtime(case.received_at).date()
    if on < received:
        raise ValidationError({field: f"{what}不能早于收到信访的日期（{received:%Y-%m-%d}）。"})
    return on


def _record(case: Case, *, user, kind: str, text: str, target, event: str, old=None, new=None, **data):
    CaseEvent.objects.create(case=case, kind=kind, at=timezone.now(), user=user, data={"text": text, **data})
    audit_record(
        event=event,
        user=user,
        target=target,
        town=case.town,
        old=old,
        new=new,
        detail=CaseEventType(kind).label,
    )


# --- the task force -------------------------------------------------------------------------


def _members_text(rows) -> str:
    """组长：张三；成员：李四、王五 (in the order given, grouped by role)."""
    groups: dict[str, list[str]] = {}
    for person, role, _ in rows:
        groups.setdefault(role, []).append(person.name)
    return "；".join(f"{role}：{'、'.join(names)}" for role, names in groups.items())


def task_force_version(members) -> str:
    """The task force as a user saw it: its rows' ids (a save replaces every row, so any change
    gives new ids); "" for none."""
    return "-".join(str(m.pk) for m in sorted(members, key=lambda m: m.pk))


def _conflict(case: Case, kind: str, what: str, then: str) -> EditConflict:
    """The refusal of a save based on an older `what`, naming who saved it last and when."""
    event = (
        CaseEvent.objects.filter(case=case, kind=kind).select_related("user").order_by("-at", "-id").first()
    )
    by = "已被他人修改"
    if event is not None:
        who = event.user.display_name if event.user_id else "他人"
        by = f"已被{who}于 {timezone.localtime(event.at):%m-%d %H:%M} 修改"
    return EditConflict(f"{what}在您打开之后{by}，为避免覆盖，本次未保存。{then}")


@transaction.atomic
def task_force_set(
    *, case_id: int, acting_user, members: list[tuple], expected_version: str | None = None
) -> list[TaskForceMember]:
    """工作专班: replaces the case's task force with `members`, a list of (person, role, is_leader).
    Exactly one member leads it; a member's role defaults to 组长 or 成员. With `expected_version`
    (task_force_version of what the user saw), a task force changed since is refused (EditConflict)."""
    case = _case_for_edit(case_id, acting_user)
    if expected_version is not None:
        if task_force_version(case.task_force.all()) != expected_version:
            raise _conflict(
                case, CaseEventType.TASK_FORCE_SET, "工作专班", "请查看最新的专班名单，确认后再保存。"
            )
    if not members:
        raise ValidationError({"members": "请至少填写一名专班成员，并指定其中一名为组长。"})
    if len(members) > TASK_FORCE_MAX:
        raise ValidationError({"members": f"专班成员最多 {TASK_FORCE_MAX} 名。"})
    rows, seen = [], set()
    for person, role, is_leader in members:
        if person is None:
            raise ValidationError({"members": "请为每一行选择专班成员。"})
        if person.town_id != case.town_id:
            raise ValidationError({"members": f"{person.name}不是本镇人员，不能加入该事项的工作专班。"})
        if person.pk in seen:
            raise ValidationError({"members": f"{person.name}填写了两次，每人在专班中只能出现一次。"})
        seen.add(person.pk)
        role = (role or "").strip() or ("组长" if is_leader else "成员")
        if len(role) > ROLE_MAX:
            raise ValidationError({"members": f"专班职务“{role}”过长，请控制在 {ROLE_MAX} 字以内。"})
        rows.append((person, role, bool(is_leader)))
    leaders = [person.name for person, _, is_leader in rows if is_leader]
    if not leaders:
        raise ValidationError({"leader": "请指定一名专班组长。"})
    if len(leaders) > 1:
        raise ValidationError(
            {"leader": f"专班组长只能有一名，现在指定了 {len(leaders)} 名：{'、'.join(leaders)}。"}
        )
    existing = list(case.task_force.select_related("person"))
    old = [{"person": m.person_id, "role": m.role, "is_leader": m.is_leader} for m in existing]
    case.task_force.all().delete()
    created = TaskForceMember.objects.bulk_create(
        TaskForceMember(case=case, person=person, role=role, is_leader=is_leader, order=i)
        for i, (person, role, is_leader) in enumerate(rows)
    )
    new = [{"person": p.pk, "role": role, "is_leader": lead} for p, role, lead in rows]
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.TASK_FORCE_SET,
        text=_members_text(rows),
        target=case,
        event=AuditEventType.UPDATE,
        old={"task_force": old},
        new={"task_force": new},
    )
    return created


# --- the plan -------------------------------------------------------------------------------


@transaction.atomic
def plan_save(
    *,
    case_id: int,
    acting_user,
    measures: str,
    judgements: list[str] | None = None,
    judgement: str | None = None,
    rebound_measures: str = "",
    expected_version: int | None = None,
) -> CasePlan:
    """化稳方案: the findings of 三到位一处理 (one or more; `judgement` gives a single one) and the
    measures (both required), and the rebound-prevention measures (防反弹措施, may follow later). With
    `expected_version` (the plan's version the user saw, 0 for none yet), a plan saved since is refused
    (EditConflict)."""
    case = _case_for_edit(case_id, acting_user)
    plan = CasePlan.objects.filter(case=case).first()
    if expected_version is not None and expected_version != (plan.version if plan else 0):
        raise _conflict(case, CaseEventType.PLAN_SAVED, "化稳方案", "请查看最新方案，确认后再保存。")
    errors = {}
    chosen = [judgements] if isinstance(judgements, str) else list(judgements or [])
    chosen += [judgement] if judgement else []
    try:
        chosen = judgements_clean(chosen)
    except ValueError as exc:
        errors["judgements"] = f"不认识的研判结论{exc}，只能从诉求合理、诉求无理、生活困难、违法行为中选择。"
    else:
        if not chosen:
            errors["judgements"] = (
                "请选择三到位一处理的研判结论（可多选）：诉求合理、诉求无理、生活困难或违法行为。"
            )
    for field, value, message in (
        ("measures", measures, "请填写化解稳控措施（做什么、谁来做、怎么做）。"),
        ("rebound_measures", rebound_measures, None),
    ):
        try:
            _text(value, field, message, PLAN_TEXT_MAX)
        except ValidationError as exc:
            errors.update({f: ms[0] for f, ms in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    created = plan is None
    plan = plan or CasePlan(case=case, version=0)
    fields = ("judgements", "measures", "rebound_measures")
    old = None if created else {f: getattr(plan, f) for f in fields}
    plan.judgements = chosen
    plan.measures = measures.strip()
    plan.rebound_measures = (rebound_measures or "").strip()
    plan.updated_by = acting_user
    plan.version += 1
    plan.save()
    # The ledger's 化稳方案 column and its export read the case's own text: keep it the plan's measures.
    Case.objects.filter(pk=case.pk).update(plan=plan.measures)
    new = {f: getattr(plan, f) for f in fields}
    if old:
        old, new = (
            {k: old[k] for k in fields if old[k] != new[k]},
            {k: new[k] for k in fields if old[k] != new[k]},
        )
    text = f"三到位一处理：{'、'.join(plan.judgement_labels)}"
    text += "；已有防反弹措施" if plan.rebound_measures else "；防反弹措施待填写"
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.PLAN_SAVED,
        text=text,
        target=plan,
        event=AuditEventType.CREATE if created else AuditEventType.UPDATE,
        old=old,
        new=new,
    )
    return plan


# --- milestones -----------------------------------------------------------------------------


def _milestone_clean(case: Case, title, due_on) -> tuple[str, dt.date]:
    """A milestone's title and date, checked; ValidationError({"title"|"due_on": message}) otherwise."""
    errors = {}
    try:
        title = _text(title, "title", "请填写工作节点（要完成的事）。", TITLE_MAX)
    except ValidationError as exc:
        errors["title"] = exc.message_dict["title"][0]
    try:
        due_on = parse_date(due_on, "due_on")
        received = timezone.localtime(case.received_at).date()
        if due_on is None:
            errors["due_on"] = "请填写该节点的完成时限。"
        elif due_on < received:
            errors["due_on"] = f"完成时限不能早于收到信访的日期（{received:%Y-%m-%d}）。"
    except ValidationError as exc:
        errors["due_on"] = exc.message_dict["due_on"][0]
    if errors:
        raise ValidationError(errors)
    return title, due_on


def _milestone_create(case: Case, acting_user, title: str, due_on: dt.date, order: int) -> Milestone:
    milestone = Milestone.objects.create(
        case=case, title=title, due_on=due_on, order=order, created_by=acting_user
    )
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.MILESTONE_ADDED,
        text=f"{title}，{due_on:%Y-%m-%d} 前完成",
        target=milestone,
        event=AuditEventType.CREATE,
        new={"title": title, "due_on": due_on},
        milestone=milestone.pk,
    )
    return milestone


@transaction.atomic
def milestone_add(*, case_id: int, acting_user, title: str, due_on) -> Milestone:
    """A dated step of the plan (锚定序时)."""
    case = _case_for_edit(case_id, acting_user)
    title, due_on = _milestone_clean(case, title, due_on)
    last = case.milestones.aggregate(last=Max("order"))["last"]
    return _milestone_create(case, acting_user, title, due_on, (last or 0) + 1)


MILESTONES_AT_ONCE = 20


@transaction.atomic
def milestones_add(*, case_id: int, acting_user, rows: list[tuple]) -> list[Milestone]:
    """Several milestones at once, from rows of (title, due_on) in the order typed; rows with neither
    are left out. All or nothing: a row in error stores none of them, and the message names the row
    when there are several (ValidationError({"rows": ["第 2 行：请填写该节点的完成时限。"]}))."""
    case = _case_for_edit(case_id, acting_user)
    typed = [(i, t, d) for i, (t, d) in enumerate(rows, start=1) if (t or "").strip() or (d or "").strip()]
    if not typed:
        raise ValidationError({"rows": "请至少填写一个工作节点及其完成时限。"})
    if len(typed) > MILESTONES_AT_ONCE:
        raise ValidationError({"rows": f"一次最多添加 {MILESTONES_AT_ONCE} 个工作节点。"})
    clean, problems = [], []
    for i, title, due_on in typed:
        try:
            clean.append(_milestone_clean(case, title, due_on))
        except ValidationError as exc:
            what = "".join(m[0] for m in exc.message_dict.values())
            problems.append(f"第 {i} 行：{what}" if len(typed) > 1 else what)
    if problems:
        raise ValidationError({"rows": problems})
    last = case.milestones.aggregate(last=Max("order"))["last"] or 0
    return [
        _milestone_create(case, acting_user, title, due_on, last + n)
        for n, (title, due_on) in enumerate(clean, start=1)
    ]


@transaction.atomic
def milestone_done(*, milestone_id: int, acting_user, on=None) -> Milestone:
    """The milestone is reached, on the given day (today when not given)."""
    milestone = _milestone_for_edit(milestone_id, acting_user)
    case = milestone.case
    if milestone.done_on is not None:
        raise ValidationError({"on": f"该节点已于 {milestone.done_on:%Y-%m-%d} 完成。"})
    on = _day(on, case, "on", "完成日期")
    milestone.done_on = on
    milestone.save(update_fields=["done_on"])
    late = (on - milestone.due_on).days
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.MILESTONE_DONE,
        text=f"{milestone.title}，{on:%Y-%m-%d} 完成" + (f"（超期 {late} 天）" if late > 0 else ""),
        target=milestone,
        event=AuditEventType.UPDATE,
        old={"done_on": None},
        new={"done_on": on},
        milestone=milestone.pk,
    )
    return milestone


@transaction.atomic
def milestone_progress_add(*, milestone_id: int, acting_user, text: str, on=None) -> MilestoneProgress:
    """What was done towards a milestone, on a day (today when not given)."""
    milestone = _milestone_for_edit(milestone_id, acting_user)
    case = milestone.case
    errors = {}
    try:
        text = _text(text, "text", "请填写该节点的进展情况。", TEXT_MAX)
    except ValidationError as exc:
        errors["text"] = exc.message_dict["text"][0]
    try:
        on = _day(on, case, "on", "进展日期")
    except ValidationError as exc:
        errors["on"] = exc.message_dict["on"][0]
    if errors:
        raise ValidationError(errors)
    entry = MilestoneProgress.objects.create(milestone=milestone, on=on, text=text, by=acting_user)
    # The case's 最新进展 (the ledger's column) is the latest progress, whichever form it came by; an
    # entry for an earlier day does not push a later one aside. While 报送化解 waits for 对账销号 the
    # 最新进展 is the 化解情况 the office checks, and stays so.
    waiting = case.resolution == Resolution.SUBMITTED
    if not waiting and (case.last_progress_on is None or on >= case.last_progress_on):
        latest = f"{milestone.title}：{text}"[: Case._meta.get_field("last_progress").max_length]
        Case.objects.filter(pk=case.pk).update(last_progress=latest, last_progress_on=on)
        case.last_progress, case.last_progress_on = latest, on
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.MILESTONE_PROGRESS,
        text=f"{milestone.title}：{text}",
        target=entry,
        event=AuditEventType.CREATE,
        new={"milestone": milestone.pk, "on": on, "text": text},
        milestone=milestone.pk,
        on=on.isoformat(),
    )
    return entry
