"""Writes of meetings and reception days. Each service checks the role (PermissionDenied, in
Chinese), finds what it names through the user's scope, checks its input (ValidationError({field:
Chinese}), nothing stored) and writes the change and its audit row in one transaction.

Who writes: the petition office records every kind of meeting and the reception days; a town leader
records their own task-force meetings (工作专班会议, hosted by themselves). A joint meeting's ownership
decisions go to each case through cases.transitions.case_owner_from_joint_meeting, in the same
transaction: the meeting is stored with every decision or not at all.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.cases.models import Case, Petition
from xinfang.cases.transitions import (
    TransitionForbidden,
    TransitionInvalid,
    TransitionRefused,
    case_owner_from_joint_meeting,
)
from xinfang.core.inputs import EARLIEST, control_problem
from xinfang.core.scoping import get_scoped_or_404, scope
from xinfang.org.models import Department, Person
from xinfang.stability.models import KeyPerson

from .choices import MeetingKind
from .models import FollowUpTask, Meeting, OwnerDecision, Reception, ReceptionPetition

PLACE_MAX, TITLE_MAX, DECISIONS_MAX, TASK_MAX, NOTES_MAX = 100, 100, 5000, 200, 2000
LIST_MAX = 200  # attendees, cases, key persons of one meeting
TASKS_MAX = 50


@dataclass
class TaskIn:
    what: str
    owner_id: int | None
    due_on: dt.date | None


@dataclass
class OwnerIn:
    """A joint meeting names the owner of a case waiting for it (待联席会议确定)."""

    case_id: int
    lead_leader_id: int | None
    lead_department_id: int | None = None
    responsible_ids: list[int] = field(default_factory=list)


@dataclass
class MeetingIn:
    kind: str
    held_on: dt.date | None
    place: str
    title: str = ""
    host_id: int | None = None
    attendee_ids: list[int] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)
    key_person_ids: list[int] = field(default_factory=list)
    decisions: str = ""
    tasks: list[TaskIn] = field(default_factory=list)
    owners: list[OwnerIn] = field(default_factory=list)


def meeting_can_create(user, kind: str | None = None) -> bool:
    if getattr(user, "role", None) == Role.OFFICE:
        return True
    return (
        getattr(user, "role", None) == Role.LEADER
        and user.person_id is not None
        and kind in (None, MeetingKind.TASK_FORCE)
    )


def _text(value, field_name: str, limit: int, errors: dict, *, required: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field_name] = required
    elif len(value) > limit:
        errors[field_name] = f"内容过长（{len(value)} 字），请控制在 {limit} 字以内。"
    elif problem := control_problem(value):
        errors[field_name] = problem
    return value


def _day(value, field_name: str, errors: dict, *, label: str, not_after: dt.date | None = None):
    if value is None:
        errors[field_name] = f"请填写{label}。"
        return None
    if value < EARLIEST:
        errors[field_name] = f"{label}不能早于 {EARLIEST:%Y-%m-%d}，请核对年份。"
    elif not_after is not None and value > not_after:
        errors[field_name] = f"{label}不能晚于今天（只记录已召开的会议）。"
    return value


def _people(ids, user, town, field_name: str, errors: dict, *, label: str) -> list[Person]:
    ids = list(dict.fromkeys(ids or []))
    if len(ids) > LIST_MAX:
        errors[field_name] = f"{label}最多 {LIST_MAX} 人。"
        return []
    found = {p.pk: p for p in scope(Person.objects.filter(town=town), user).filter(pk__in=ids)}
    if missing := [i for i in ids if i not in found]:
        errors[field_name] = f"{label}中有 {len(missing)} 人不属于本镇或不存在，请重新选择。"
    return [found[i] for i in ids if i in found]


def _scoped(model, ids, user, town_path: str, town, field_name: str, errors: dict, *, label: str) -> list:
    ids = list(dict.fromkeys(ids or []))
    if len(ids) > LIST_MAX:
        errors[field_name] = f"{label}最多 {LIST_MAX} 件。"
        return []
    found = {o.pk: o for o in scope(model.objects.filter(**{town_path: town}), user).filter(pk__in=ids)}
    if missing := [i for i in ids if i not in found]:
        errors[field_name] = f"{label}中有 {len(missing)} 项不存在或无权查看，请重新选择。"
    return [found[i] for i in ids if i in found]


@transaction.atomic
def meeting_create(*, acting_user, data: MeetingIn) -> Meeting:
    if not meeting_can_create(acting_user):
        raise PermissionDenied(
            "会议由信访联席办记录，镇领导可记录本人召集的工作专班会议；您的角色不能记录会议。"
        )
    if data.kind not in MeetingKind.values:
        raise ValidationError({"kind": "请选择会议类型。"})
    if not meeting_can_create(acting_user, data.kind):
        raise PermissionDenied(
            "镇领导只能记录本人召集的工作专班会议；联席会议、向党委会报告由信访联席办记录。"
        )
    town = acting_user.town
    today = timezone.localdate()
    errors: dict[str, str] = {}
    held_on = _day(data.held_on, "held_on", errors, label="会议日期", not_after=today)
    place = _text(data.place, "place", PLACE_MAX, errors, required="请填写会议地点。")
    title = _text(data.title, "title", TITLE_MAX, errors)
    decisions = _text(data.decisions, "decisions", DECISIONS_MAX, errors)

    host = None
    if acting_user.role == Role.LEADER:
        # A leader records the task-force meetings they convened, never someone else's.
        if data.host_id not in (None, acting_user.person_id):
            errors["host"] = "镇领导只能记录本人召集的工作专班会议。"
        host = acting_user.person
    elif data.host_id is not None:
        host = scope(Person.objects.filter(town=town), acting_user).filter(pk=data.host_id).first()
        if host is None:
            errors["host"] = "主持人不属于本镇或不存在，请重新选择。"
    if data.kind == MeetingKind.TASK_FORCE and "host" not in errors:
        if host is None:
            errors["host"] = "工作专班会议请选择召集的包案领导。"
        elif not host.is_leader:
            errors["host"] = f"{host.name}不是镇党政负责人，工作专班会议由包案领导召集。"

    attendees = _people(data.attendee_ids, acting_user, town, "attendees", errors, label="参会人员")
    cases = _scoped(Case, data.case_ids, acting_user, "town", town, "cases", errors, label="信访事项")
    key_persons = _scoped(
        KeyPerson, data.key_person_ids, acting_user, "town", town, "key_persons", errors, label="重点人员"
    )

    tasks = []
    if len(data.tasks) > TASKS_MAX:
        errors["tasks"] = f"交办任务最多 {TASKS_MAX} 项。"
    for i, t in enumerate(data.tasks[:TASKS_MAX]):
        what = _text(
            t.what, f"tasks.{i}.what", TASK_MAX, errors, required=f"第 {i + 1} 项任务：请填写任务内容。"
        )
        owner = (
            scope(Person.objects.filter(town=town), acting_user).filter(pk=t.owner_id).first()
            if t.owner_id
            else None
        )
        if owner is None:
            errors.setdefault(f"tasks.{i}.owner", f"第 {i + 1} 项任务：请选择本镇的责任人。")
        due_on = _day(t.due_on, f"tasks.{i}.due_on", errors, label=f"第 {i + 1} 项任务的完成时限")
        if due_on and held_on and due_on < held_on:
            errors.setdefault(f"tasks.{i}.due_on", f"第 {i + 1} 项任务：完成时限不能早于会议日期。")
        tasks.append((what, owner, due_on))

    owners = []
    if data.owners and data.kind != MeetingKind.JOINT:
        errors["owners"] = "只有联席会议可以确定包案领导。"
    elif data.owners:
        seen = set()
        for i, o in enumerate(data.owners[:LIST_MAX]):
            if o.case_id in seen:
                errors["owners"] = "同一事项只能确定一次包案领导。"
                continue
            seen.add(o.case_id)
            case = scope(Case.objects.filter(town=town), acting_user).filter(pk=o.case_id).first()
            if case is None:
                errors[f"owners.{i}.case"] = "信访事项不存在或无权查看。"
                continue
            people = scope(Person.objects.filter(town=town), acting_user)
            leader = people.filter(pk=o.lead_leader_id).first() if o.lead_leader_id else None
            if leader is None:
                errors[f"owners.{i}.lead_leader"] = f"{case.number}：请选择本镇的包案领导。"
            department = None
            if o.lead_department_id:
                department = Department.objects.filter(town=town, pk=o.lead_department_id).first()
                if department is None:
                    errors[f"owners.{i}.lead_department"] = f"{case.number}：牵头部门不属于本镇。"
            responsible = _people(
                o.responsible_ids,
                acting_user,
                town,
                f"owners.{i}.responsible",
                errors,
                label=f"{case.number}的责任人",
            )
            owners.append((i, case, leader, department, responsible))
    if errors:
        raise ValidationError(errors)

    meeting = Meeting.objects.create(
        town=town,
        kind=data.kind,
        held_on=held_on,
        place=place,
        title=title,
        host=host,
        decisions=decisions,
        created_by=acting_user,
    )
    meeting.attendees.set(attendees)
    decided_cases = [case for _, case, *_ in owners]
    meeting.cases.set(list(dict.fromkeys([*cases, *decided_cases])))
    meeting.key_persons.set(key_persons)
    FollowUpTask.objects.bulk_create(
        [FollowUpTask(meeting=meeting, what=w, owner=o, due_on=d) for w, o, d in tasks]
    )
    for i, case, leader, department, responsible in owners:
        try:
            case_owner_from_joint_meeting(
                case_id=case.pk,
                acting_user=acting_user,
                lead_leader=leader,
                lead_department=department,
                responsible_persons=responsible,
                meeting_on=held_on,
                meeting_id=meeting.pk,
            )
        except TransitionInvalid as exc:
            raise ValidationError({f"owners.{i}.lead_leader": f"{case.number}：{exc}"}) from None
        except TransitionRefused as exc:
            raise ValidationError({f"owners.{i}.case": str(exc)}) from None
        except TransitionForbidden as exc:
            raise PermissionDenied(str(exc)) from None
        decision = OwnerDecision.objects.create(
            meeting=meeting, case=case, lead_leader=leader, lead_department=department
        )
        decision.responsible_persons.set(responsible)
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=meeting,
        new={
            "kind": meeting.kind,
            "held_on": held_on.isoformat(),
            "host": host.name if host else "",
            "cases": [c.number for c in cases],
            "tasks": len(tasks),
            "owners": {case.number: leader.name for _, case, leader, *_ in owners},
        },
        detail=f"记录{meeting.get_kind_display()}",
    )
    return meeting


@transaction.atomic
def task_done(*, acting_user, task_id: int, done_on: dt.date | None = None) -> FollowUpTask:
    """A follow-up task is done: the office, the task's owner or the meeting's host says so."""
    task = get_scoped_or_404(
        FollowUpTask.objects.select_for_update(of=("self",)).select_related("meeting"),
        acting_user,
        pk=task_id,
    )
    person = getattr(acting_user, "person_id", None)
    if acting_user.role != Role.OFFICE and (
        person is None or person not in (task.owner_id, task.meeting.host_id)
    ):
        raise PermissionDenied("会议交办任务由信访联席办、任务责任人或会议召集人标记完成。")
    if task.done_on:
        raise ValidationError({"done_on": f"该任务已于 {task.done_on:%Y-%m-%d} 标记完成。"})
    errors: dict[str, str] = {}
    done_on = _day(
        done_on or timezone.localdate(), "done_on", errors, label="完成日期", not_after=timezone.localdate()
    )
    if not errors and done_on < task.meeting.held_on:
        errors["done_on"] = "完成日期不能早于会议日期。"
    if errors:
        raise ValidationError(errors)
    task.done_on = done_on
    task.save(update_fields=["done_on"])
    audit_record(
        event=AuditEventType.UPDATE,
        user=acting_user,
        target=task.meeting,
        new={"task": task.what, "done_on": done_on.isoformat()},
        detail="会议交办任务完成",
    )
    return task


# --- reception days ----------------------------------------------------------------------------


@transaction.atomic
def reception_create(
    *, acting_user, held_on: dt.date | None, place: str, leader_id: int | None, notes: str = ""
) -> Reception:
    if getattr(acting_user, "role", None) != Role.OFFICE:
        raise PermissionDenied("领导接访日由信访联席办安排和记录，您的角色不能进行此操作。")
    town = acting_user.town
    errors: dict[str, str] = {}
    held_on = _day(held_on, "held_on", errors, label="接待日期")
    place = _text(place, "place", PLACE_MAX, errors, required="请填写接待地点。")
    notes = _text(notes, "notes", NOTES_MAX, errors)
    leader = Person.objects.filter(town=town, pk=leader_id).first() if leader_id else None
    if leader is None:
        errors["leader"] = "请选择接访的镇领导。"
    elif not leader.is_leader:
        errors["leader"] = f"{leader.name}不是镇党政负责人。"
    if errors:
        raise ValidationError(errors)
    reception = Reception.objects.create(
        town=town, held_on=held_on, place=place, leader=leader, notes=notes, created_by=acting_user
    )
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=reception,
        new={"held_on": held_on.isoformat(), "place": place, "leader": leader.name},
        detail="安排领导接访",
    )
    return reception


def _link(reception: Reception, petition: Petition, user) -> ReceptionPetition:
    link = ReceptionPetition.objects.create(reception=reception, petition=petition)
    audit_record(
        event=AuditEventType.UPDATE,
        user=user,
        target=reception,
        new={"petition": petition.pk, "case": petition.case.number},
        detail="接访登记关联",
    )
    return link


@transaction.atomic
def reception_link(*, acting_user, reception_id: int, petition_id: int) -> ReceptionPetition:
    """A petition already registered is recorded as received at the reception day."""
    if getattr(acting_user, "role", None) != Role.OFFICE:
        raise PermissionDenied("接访登记由信访联席办关联，您的角色不能进行此操作。")
    reception = get_scoped_or_404(Reception, acting_user, pk=reception_id)
    petition = get_scoped_or_404(Petition.objects.select_related("case"), acting_user, pk=petition_id)
    if petition.case.town_id != reception.town_id:
        raise ValidationError({"petition": "该信访记录不属于本镇。"})
    if ReceptionPetition.objects.filter(petition=petition).exists():
        raise ValidationError({"petition": "该信访记录已关联到领导接访日。"})
    return _link(reception, petition, acting_user)


def reception_registered(*, petition: Petition, origin: str, acting_user) -> ReceptionPetition | None:
    """A petition registered from a reception page ("reception:12") is linked to that day; called
    from the registration's signal, inside its transaction. A stale or foreign origin links nothing."""
    kind, _, pk = (origin or "").partition(":")
    if kind != "reception" or not pk.isdigit() or acting_user is None:
        return None
    reception = scope(Reception.objects.filter(pk=int(pk)), acting_user).first()
    if reception is None or reception.town_id != petition.case.town_id:
        return None
    if ReceptionPetition.objects.filter(petition=petition).exists():
        return None
    return _link(reception, petition, acting_user)
