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


def test_an_overdue_milestone_and_five_haves_gaps_show_on_the_ledger_the_desk_and_the_api(client_as, cast):
    import datetime as dt

    import time_machine

    from xinfang.cases.transitions import case_mark_prominent
    from xinfang.plans.services import milestone_add

    case = _assigned(cast, "节点测试事项")
    case_mark_prominent(case_id=case.pk, acting_user=cast["office"], reason="涉及多户")
    milestone_add(
        case_id=case.pk, acting_user=cast["office"], title="完成现场测绘", due_on=timezone.localdate()
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        ledger = client_as("office").get("/cases/?view=prominent").content.decode()
        desk = client_as("leader1").get("/").content.decode()
        detail = client_as("office").get(f"/api/v1/cases/{case.pk}").json()
    assert "节点超期" in ledger and "节点超期" in desk
    assert "工作专班" in desk  # the five haves it still lacks
    assert detail["five_haves"] == {
        "lead_leader": True,
        "task_force": False,
        "plan": False,
        "deadline": True,
        "rebound_measures": False,
    }
