"""Sending the assignment notices (交办单) and acknowledging them (签收).

Each write is one transaction with its case event and its audit row, like the case transitions.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.cases.choices import CaseEventType, PetitionKind
from xinfang.cases.documents import document_date
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.ownership import accused_of
from xinfang.core.scoping import get_scoped_or_404

from .choices import NoticeTarget
from .documents import case_items
from .models import AssignmentNotice
from .timing import local_text


class NoticeAlreadyAcknowledged(Exception):
    """The notice was acknowledged or withdrawn before (409); str() is the Chinese message."""


def requirements_for(case: Case, target: str, *, supporting: bool = False) -> str:
    """What the receiving unit is asked to do: the village keeps the petitioner stable on the ground
    (属地稳控), the line handles the matter (条线办理), a supporting department helps it (配合办理)."""
    report = f"办理进展及时报{case.town.name}信访工作联席会议办公室。"
    if supporting:
        lead = case.lead_department.name if case.lead_department_id else "牵头部门"
        return (
            f"配合办理：请你单位作为配合部门，按照职责配合牵头部门{lead}做好调查核实、政策解释和"
            "化解稳控工作，及时提供有关情况和意见，" + report
        )
    if target == NoticeTarget.VILLAGE:
        return (
            "属地稳控：请你村（居）落实属地管理责任，配合牵头部门调查核实，做好信访人的思想疏导和"
            "稳控工作，发现越级上访、集体上访苗头或扬言等情况立即报告，在解决时限内配合做好化解工作，"
            + report
        )
    objection = ""
    if case.objection_due:
        objection = f"如认为该事项不属于你单位职责，请于{document_date(case.objection_due)}前提出交办异议。"
    return (
        "条线办理：请你单位作为牵头部门，按照“属地管理、谁主管谁负责”的原则依法依规办理，"
        "落实化稳方案，在解决时限内作出处理意见并书面答复信访人，" + report + objection
    )


def _receivers(case: Case) -> list[tuple[str, dict, bool]]:
    """(target, unit, supporting) of each notice an assignment sends. Never a unit the case accuses;
    an accusation goes only to its handling departments, not to the village (属地), whose people
    the discipline body decides whether to involve."""
    accused = accused_of(case)
    receivers = []
    if (
        case.village_id
        and case.kind != PetitionKind.ACCUSATION
        and not accused.includes_village(case.village)
    ):
        receivers.append((NoticeTarget.VILLAGE, {"village": case.village}, False))
    if case.lead_department_id and not accused.includes_department(case.lead_department):
        receivers.append((NoticeTarget.DEPARTMENT, {"department": case.lead_department}, False))
    for department in case.supporting_departments.order_by("order", "id"):
        if department.pk != case.lead_department_id and not accused.includes_department(department):
            receivers.append((NoticeTarget.DEPARTMENT, {"department": department}, True))
    return receivers


@transaction.atomic
def notices_send(*, case: Case, acting_user) -> list[AssignmentNotice]:
    """双向交办: one notice to the case's village (属地, when it has one), one to its lead department
    (条线) and one to each supporting department (配合). Called inside the assignment's
    transaction, with the case as just assigned; each notice is due for acknowledgement the town's
    notice_ack_hours after sending."""
    if acting_user.role != Role.OFFICE:
        raise PermissionDenied("交办单由信访联席办随交办发送，您的角色不能发送交办单。")
    now = timezone.now()
    due = now + dt.timedelta(hours=case.town.notice_ack_hours)
    items = case_items(case)
    notices = []
    for target, unit, supporting in _receivers(case):
        notice = AssignmentNotice.objects.create(
            case=case,
            target=target,
            supporting=supporting,
            snapshot={"items": items},
            requirements=requirements_for(case, target, supporting=supporting),
            sent_at=now,
            sent_by=acting_user,
            ack_due_at=due,
            **unit,
        )
        label = notice.target_label
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventType.NOTICE_SENT,
            at=now,
            user=acting_user,
            data={
                "text": f"发往{notice.unit_name}（{label}），请于 {local_text(due)} 前签收",
                "notice": notice.pk,
                "target": target,
                "supporting": supporting,
                "ack_due_at": due.isoformat(),
            },
        )
        audit_record(
            event=AuditEventType.CREATE,
            user=acting_user,
            target=notice,
            town=case.town,
            new={"target": target, "supporting": supporting, "unit": notice.unit_name, "ack_due_at": due},
            detail=f"发送交办单（{label}）",
        )
        notices.append(notice)
    return notices


@transaction.atomic
def notices_withdraw(*, case: Case, acting_user, reason: str) -> list[AssignmentNotice]:
    """The case's notices not yet acknowledged are withdrawn (撤回), each with an audit row: called
    inside the objection's transaction, so that no unit is chased to sign for a case that has gone
    back to the office; the next assignment sends new ones."""
    now = timezone.now()
    notices = list(
        AssignmentNotice.objects.select_for_update(of=("self",))
        .filter(case=case, acknowledged_at__isnull=True, withdrawn_at__isnull=True)
        .select_related("village", "department")
    )
    for notice in notices:
        notice.withdrawn_at, notice.withdrawn_reason = now, reason[:300]
        notice.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        audit_record(
            event=AuditEventType.UPDATE,
            user=acting_user,
            target=notice,
            town=case.town,
            old={"withdrawn_at": None},
            new={"withdrawn_at": now, "withdrawn_reason": notice.withdrawn_reason},
            detail="撤回交办单",
        )
    return notices


@transaction.atomic
def notice_acknowledge(*, notice_id: int, acting_user) -> AssignmentNotice:
    """签收: once, by the receiving unit (the village's clerk, or a user of the department); the time
    and the user are kept.

    Raises Http404 out of scope, PermissionDenied for anybody but the receiving unit and
    NoticeAlreadyAcknowledged the second time."""
    queryset = AssignmentNotice.objects.select_for_update(of=("self",)).select_related(
        "case__town", "village", "department", "acknowledged_by"
    )
    notice = get_scoped_or_404(queryset, acting_user, pk=notice_id)
    if not notice.is_receiver(acting_user):
        whom = "该村（居）的村干部" if notice.target == NoticeTarget.VILLAGE else "该部门的工作人员"
        raise PermissionDenied(f"该交办单发往{notice.unit_name}，只能由{whom}签收。")
    if notice.withdrawn_at is not None:
        raise NoticeAlreadyAcknowledged(
            f"该交办单已于 {local_text(notice.withdrawn_at)} 撤回（{notice.withdrawn_reason}），无需签收。"
        )
    if notice.acknowledged_at is not None:
        raise NoticeAlreadyAcknowledged(
            f"该交办单已于 {local_text(notice.acknowledged_at)} 由{notice.acknowledged_by.display_name}签收，"
            "无需重复签收。"
        )
    now = timezone.now()
    notice.acknowledged_at, notice.acknowledged_by = now, acting_user
    notice.save(update_fields=["acknowledged_at", "acknowledged_by"])
    late = now > notice.ack_due_at
    text = f"{notice.unit_name}签收" + ("（超过签收时限）" if late else "")
    CaseEvent.objects.create(
        case=notice.case,
        kind=CaseEventType.NOTICE_ACKNOWLEDGED,
        at=now,
        user=acting_user,
        data={"text": text, "notice": notice.pk, "target": notice.target, "late": late},
    )
    audit_record(
        event=AuditEventType.UPDATE,
        user=acting_user,
        target=notice,
        town=notice.case.town,
        old={"acknowledged_at": None},
        new={"acknowledged_at": now, "late": late},
        detail="签收交办单",
    )
    return notice
