"""The owner's desk: each leader's home lists the cases they own, each village and department theirs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.transitions import case_accept, case_assign
from xinfang.org.models import Person

pytestmark = pytest.mark.django_db


def _assigned(cast, title, *, village="village1", owner=None):
    case = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="桌面测试人", village=cast[village].village),
            title=title,
            content="内容",
        ),
        acting_user=cast["office"],
    ).case
    case_accept(case_id=case.pk, acting_user=cast["office"])
    village_obj = cast[village].village
    owner = owner or village_obj.contact_leader
    return case_assign(
        case_id=case.pk,
        acting_user=cast["office"],
        lead_department=cast["dept1"].department,
        lead_leader=owner,
        responsible_persons=[village_obj.party_head],
        override_reason="" if owner == village_obj.contact_leader else "联席会议确定",
    )


def test_each_home_lists_the_cases_of_its_owner_village_and_department(client_as, cast):
    mine = _assigned(cast, "书记包案的事项")
    other_leader = Person.objects.filter(town=cast["office"].town, is_leader=True).exclude(
        pk=mine.lead_leader_id
    )[0]
    theirs = _assigned(cast, "别人包案的事项", village="village2", owner=other_leader)
    assert mine.lead_leader == cast["leader1"].person
    leader = client_as("leader1").get("/").content.decode()
    assert "我包案的信访事项" in leader and "书记包案的事项" in leader and "别人包案的事项" not in leader
    village = client_as("village2").get("/").content.decode()
    assert "别人包案的事项" in village and "书记包案的事项" not in village
    department = client_as("dept1").get("/").content.decode()
    assert "书记包案的事项" in department and "别人包案的事项" in department
    assert theirs.number in department


def test_the_desk_costs_the_same_queries_for_one_or_many_cases(client_as, cast):
    _assigned(cast, "第一件")
    client = client_as("leader1")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for i in range(8):
        _assigned(cast, f"更多事项{i}")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/").content.decode()
    assert page.count("更多事项") == 8
    assert len(many) == len(few), [q["sql"][:100] for q in many.captured_queries]
