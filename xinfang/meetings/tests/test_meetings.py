import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from docx import Document

from xinfang.audit.models import AuditEvent
from xinfang.cases.choices import CaseEventType, CaseState
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.ownership import JOINT_DECIDED, ownership_propose
from xinfang.cases.transitions import case_accept, case_assign
from xinfang.meetings.choices import MeetingKind
from xinfang.meetings.models import FollowUpTask, Meeting
from xinfang.meetings.services import MeetingIn, OwnerIn, TaskIn, meeting_create, task_done
from xinfang.org.models import Person

from .factories import register


def _leaders(town):
    return list(Person.objects.filter(town=town, is_leader=True).order_by("id"))


def _joint(cast, case, leader, **extra) -> Meeting:
    office = cast["office"]
    return meeting_create(
        acting_user=office,
        data=MeetingIn(
            kind=MeetingKind.JOINT,
            held_on=timezone.localdate(),
            place="镇三楼会议室",
            host_id=_leaders(office.town)[2].pk,
            case_ids=[case.pk],
            decisions="集体访事项由联席会议确定包案领导。",
            owners=[OwnerIn(case_id=case.pk, lead_leader_id=leader.pk, **extra)],
        ),
    )


def test_a_joint_meeting_names_the_owner_and_the_case_goes_on_to_assignment(cast):
    office = cast["office"]
    case = register(cast, threat=True)
    case_accept(case_id=case.pk, acting_user=office)
    assert ownership_propose(Case.objects.get(pk=case.pk)).waits_for_joint_meeting
    leader = _leaders(office.town)[1]
    head = cast["village1"].village.party_head
    meeting = _joint(cast, case, leader, responsible_ids=[head.pk])

    case.refresh_from_db()
    today = timezone.localdate()
    assert case.lead_leader == leader
    assert case.owner_rule == JOINT_DECIDED
    assert case.owner_explanation.startswith(f"由{today.month}月{today.day}日联席会议确定")
    assert list(case.responsible_persons.all()) == [head]
    event = CaseEvent.objects.get(case=case, kind=CaseEventType.JOINT_OWNER)
    assert event.data["meeting_id"] == meeting.pk and event.data["lead_leader"] == leader.name
    assert meeting.owner_decisions.get().case == case
    assert AuditEvent.objects.filter(target_type="会议", target_id=str(meeting.pk)).exists()

    proposal = ownership_propose(case)
    assert not proposal.waits_for_joint_meeting and proposal.lead_leader == leader
    assigned = case_assign(case_id=case.pk, acting_user=office)
    assert assigned.state == CaseState.ASSIGNED and assigned.lead_leader == leader
    assert assigned.owner_rule == JOINT_DECIDED


def test_a_case_that_does_not_wait_is_refused_and_nothing_is_stored(cast):
    office = cast["office"]
    case = register(cast)  # an ordinary case: the rules name its owner
    before = Meeting.objects.count()
    with pytest.raises(ValidationError) as refused:
        _joint(cast, case, _leaders(office.town)[1])
    assert "不属于待联席会议确定" in str(refused.value)
    assert Meeting.objects.count() == before
    assert Case.objects.get(pk=case.pk).owner_rule == ""


def test_only_a_joint_meeting_names_owners_and_only_leaders_own(cast):
    office = cast["office"]
    case = register(cast, threat=True)
    village_head = cast["village1"].village.party_head
    with pytest.raises(ValidationError) as refused:
        _joint(cast, case, village_head)
    assert "不是镇党政负责人" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        meeting_create(
            acting_user=office,
            data=MeetingIn(
                kind=MeetingKind.OTHER,
                held_on=timezone.localdate(),
                place="会议室",
                owners=[OwnerIn(case_id=case.pk, lead_leader_id=_leaders(office.town)[0].pk)],
            ),
        )
    assert "只有联席会议" in refused.value.message_dict["owners"][0]
    assert Case.objects.get(pk=case.pk).lead_leader is None


@pytest.mark.parametrize("who", ["dept1", "village1", "grid1", "supervisor", "county", "sysadmin"])
def test_roles_that_do_not_record_meetings(cast, who):
    with pytest.raises(PermissionDenied):
        meeting_create(
            acting_user=cast[who],
            data=MeetingIn(kind=MeetingKind.OTHER, held_on=timezone.localdate(), place="会议室"),
        )


def test_a_leader_records_only_their_own_task_force_meetings(cast):
    leader = cast["leader1"]
    other = next(p for p in _leaders(leader.town) if p.pk != leader.person_id)
    with pytest.raises(PermissionDenied):
        meeting_create(
            acting_user=leader,
            data=MeetingIn(kind=MeetingKind.JOINT, held_on=timezone.localdate(), place="会议室"),
        )
    with pytest.raises(ValidationError) as refused:
        meeting_create(
            acting_user=leader,
            data=MeetingIn(
                kind=MeetingKind.TASK_FORCE, held_on=timezone.localdate(), place="会议室", host_id=other.pk
            ),
        )
    assert "本人召集" in refused.value.message_dict["host"][0]
    meeting = meeting_create(
        acting_user=leader,
        data=MeetingIn(kind=MeetingKind.TASK_FORCE, held_on=timezone.localdate(), place="村部"),
    )
    assert meeting.host_id == leader.person_id


def test_bad_input_is_refused_in_chinese(cast, hetang):
    office = cast["office"]
    stranger = Person.objects.filter(town=hetang).first()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        meeting_create(
            acting_user=office,
            data=MeetingIn(
                kind=MeetingKind.TASK_FORCE,
                held_on=tomorrow,
                place="  ",
                title="题" * 101,
                attendee_ids=[stranger.pk],
                tasks=[TaskIn(what="", owner_id=None, due_on=dt.date(2000, 1, 1))],
            ),
        )
    errors = refused.value.message_dict
    assert "不能晚于今天" in errors["held_on"][0]
    assert errors["place"] == ["请填写会议地点。"]
    assert "101 字" in errors["title"][0]
    assert "不属于本镇" in errors["attendees"][0]
    assert "召集的包案领导" in errors["host"][0]
    assert "任务内容" in errors["tasks.0.what"][0]
    assert "责任人" in errors["tasks.0.owner"][0]
    with pytest.raises(ValidationError) as refused:
        meeting_create(acting_user=office, data=MeetingIn(kind="party", held_on=tomorrow, place="x"))
    assert refused.value.message_dict == {"kind": ["请选择会议类型。"]}


def test_follow_up_tasks_are_done_by_their_owner_or_the_office(cast):
    office = cast["office"]
    owner = cast["grid1"].person
    meeting = meeting_create(
        acting_user=office,
        data=MeetingIn(
            kind=MeetingKind.OTHER,
            held_on=timezone.localdate(),
            place="会议室",
            tasks=[TaskIn(what="走访信访人", owner_id=owner.pk, due_on=timezone.localdate())],
        ),
    )
    task = FollowUpTask.objects.get(meeting=meeting)
    with pytest.raises(PermissionDenied):
        task_done(acting_user=cast["village2"], task_id=task.pk)
    assert task_done(acting_user=cast["grid1"], task_id=task.pk).done_on == timezone.localdate()
    with pytest.raises(ValidationError):
        task_done(acting_user=office, task_id=task.pk)


def test_the_minutes_are_a_word_document(cast, client_as):
    office = cast["office"]
    case = register(cast, threat=True, title="征地补偿集体访")
    leader = _leaders(office.town)[1]
    meeting = _joint(cast, case, leader)
    FollowUpTask.objects.create(
        meeting=meeting, what="三日内入户走访", owner=leader, due_on=timezone.localdate()
    )
    response = client_as("office").get(f"/meetings/{meeting.pk}/minutes.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == "信访工作联席会议纪要"
    today = timezone.localdate()
    assert f"会议时间：{today.year}年{today.month}月{today.day}日" in text
    assert f"确定{case.number}的包案领导：{leader.name}包案" in text
    assert f"三日内入户走访，责任人{leader.name}" in text
    assert "集体访事项由联席会议确定包案领导" in text
    assert doc.sections[0].page_width.cm == pytest.approx(21.0, abs=0.01)
    assert AuditEvent.objects.filter(
        event="export", target_id=str(meeting.pk), detail="下载会议纪要"
    ).exists()
