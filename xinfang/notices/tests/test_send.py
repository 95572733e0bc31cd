"""双向交办: assigning a case sends one notice to its village (属地) and one to its lead department (条线)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from xinfang.audit.models import AuditEvent
from xinfang.cases.choices import CaseEventType
from xinfang.cases.models import CaseEvent
from xinfang.notices.choices import NoticeTarget
from xinfang.notices.models import AssignmentNotice
from xinfang.notices.services import notices_send

from .conftest import SENT, assign, notices_of, register

pytestmark = pytest.mark.django_db


def test_assignment_sends_a_notice_to_the_village_and_one_to_the_line(cast, assigned):
    notices = notices_of(assigned)
    assert set(notices) == {NoticeTarget.VILLAGE, NoticeTarget.DEPARTMENT}
    village, line = notices[NoticeTarget.VILLAGE], notices[NoticeTarget.DEPARTMENT]
    assert village.village == cast["village1"].village and village.department is None
    assert line.department == cast["dept1"].department and line.village is None
    for notice in (village, line):
        assert notice.sent_at == SENT
        assert notice.ack_due_at == SENT + dt.timedelta(hours=24)
        assert notice.acknowledged_at is None and notice.acknowledged_by is None
        assert notice.sent_by == cast["office"]
    assert village.requirements.startswith("属地稳控：") and "稳控" in village.requirements
    assert line.requirements.startswith("条线办理：") and "交办异议" in line.requirements
    events = CaseEvent.objects.filter(case=assigned, kind=CaseEventType.NOTICE_SENT)
    assert sorted(e.data["target"] for e in events) == ["department", "village"]
    assert any(cast["village1"].village.name in e.summary() for e in events)
    assert AuditEvent.objects.filter(detail="发送交办单（属地（村居））").count() == 1
    assert AuditEvent.objects.filter(detail="发送交办单（条线（部门））").count() == 1


def test_the_acknowledgement_time_is_the_towns_setting(cast):
    town = cast["office"].town
    town.notice_ack_hours = 48
    town.save(update_fields=["notice_ack_hours"])
    case = assign(cast, register(cast))
    assert {n.ack_due_at for n in notices_of(case).values()} == {SENT + dt.timedelta(hours=48)}


def test_a_case_without_a_village_gets_only_the_line_notice(cast):
    case = assign(cast, register(cast, village_of=None))
    assert set(notices_of(case)) == {NoticeTarget.DEPARTMENT}


def test_a_failed_assignment_sends_nothing(cast):
    from xinfang.cases.transitions import TransitionInvalid, case_accept, case_assign

    case = register(cast)
    case_accept(case_id=case.pk, acting_user=cast["office"])
    with pytest.raises(TransitionInvalid):
        case_assign(
            case_id=case.pk,
            acting_user=cast["office"],
            lead_department=cast["dept1"].department,
            lead_leader=case.village.contact_leader,
            responsible_persons=[],
        )
    assert not AssignmentNotice.objects.filter(case=case).exists()


def test_only_the_office_sends_notices(cast, assigned):
    with pytest.raises(PermissionDenied):
        notices_send(case=assigned, acting_user=cast["dept1"])
    assert AssignmentNotice.objects.filter(case=assigned).count() == 2
