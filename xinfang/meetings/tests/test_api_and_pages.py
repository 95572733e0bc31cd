import datetime as dt

import pytest
from django.utils import timezone

from xinfang.cases.models import Case
from xinfang.meetings.choices import MeetingKind
from xinfang.meetings.models import Meeting
from xinfang.org.models import Person

from .factories import meeting, register


def _post(client, body):
    return client.post("/api/v1/meetings", body, content_type="application/json")


def _body(cast, **extra):
    return {"kind": "other", "held_on": timezone.localdate().isoformat(), "place": "镇会议室", **extra}


def test_the_office_records_a_joint_meeting_through_the_api(cast, client_as):
    office = cast["office"]
    case = register(cast, threat=True)
    leader = Person.objects.filter(town=office.town, is_leader=True).order_by("id")[1]
    response = _post(
        client_as("office"),
        _body(
            cast,
            kind="joint",
            cases=[case.pk],
            decisions="确定包案领导",
            tasks=[{"what": "制定化稳方案", "owner": leader.pk, "due_on": timezone.localdate().isoformat()}],
            owners=[{"case": case.pk, "lead_leader": leader.pk}],
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner_decisions"] == [
        {
            "case": case.pk,
            "number": case.number,
            "lead_leader": leader.name,
            "lead_department": None,
            "responsible_persons": [],
        }
    ]
    assert body["tasks"][0]["owner"] == leader.name
    assert Case.objects.get(pk=case.pk).lead_leader == leader
    listing = client_as("supervisor").get("/api/v1/meetings?kind=joint").json()
    assert listing["count"] == Meeting.objects.filter(town=office.town, kind="joint").count()
    assert body["id"] in [m["id"] for m in listing["items"]]
    docx = client_as("county").get(body["minutes_url"])
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


@pytest.mark.parametrize("who", ["dept1", "village1", "grid1", "supervisor", "county"])
def test_roles_that_may_not_record_get_403(cast, client_as, who):
    response = _post(client_as(who), _body(cast))
    assert response.status_code == 403
    assert "不能记录会议" in response.json()["detail"]


def test_a_leader_records_a_task_force_meeting_and_not_a_joint_one(cast, client_as):
    assert _post(client_as("leader1"), _body(cast, kind="joint")).status_code == 403
    response = _post(client_as("leader1"), _body(cast, kind="task_force"))
    assert response.status_code == 201
    assert response.json()["host"] == cast["leader1"].person.name


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"held_on": "2026-13-01"}, "held_on"),
        ({"held_on": 20260101}, "held_on"),
        ({"place": "地" * 101}, "place"),
        ({"kind": "party"}, "kind"),
        ({"attendees": [0]}, "attendees"),
        ({"decisions": "a\x00b"}, "decisions"),
        ({"tasks": [{"what": "x", "owner": 1}]}, "tasks.0.due_on"),
    ],
)
def test_bad_input_gets_a_chinese_422(cast, client_as, extra, field):
    response = _post(client_as("office"), _body(cast, **extra))
    assert response.status_code == 422, response.content
    body = response.json()
    assert [e["field"] for e in body["errors"]] and all(e["field"].startswith(field) for e in body["errors"])
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e["message"]) for e in body["errors"])


def test_another_towns_meeting_is_invisible(cast, client_as, hetang):
    theirs = meeting(cast, MeetingKind.JOINT, timezone.localdate(), town=hetang)
    ours = client_as("office")
    assert ours.get(f"/api/v1/meetings/{theirs.pk}").status_code == 404
    assert ours.get(f"/meetings/{theirs.pk}/").status_code == 404
    assert ours.get(f"/meetings/{theirs.pk}/minutes.docx").status_code == 404
    assert theirs.pk not in [m["id"] for m in ours.get("/api/v1/meetings?limit=200").json()["items"]]
    assert client_as("h_office").get(f"/api/v1/meetings/{theirs.pk}").status_code == 200


def test_a_village_reads_the_meeting_but_only_its_own_cases(cast, client_as):
    own = register(cast, village_of="village1", title="本村事项")
    other = register(cast, village_of="village2", title="他村事项")
    m = meeting(cast, MeetingKind.JOINT, timezone.localdate())
    m.cases.set([own, other])
    seen = client_as("village1").get(f"/api/v1/meetings/{m.pk}").json()["cases"]
    assert seen == [own.number]
    page = client_as("village1").get(f"/meetings/{m.pk}/").content.decode()
    assert own.number in page and other.number not in page
    assert client_as("sysadmin").get(f"/meetings/{m.pk}/").status_code == 403


def test_the_pages_answer_each_role(cast, client_as):
    m = meeting(cast, MeetingKind.JOINT, timezone.localdate())
    for who in ["office", "leader1", "dept1", "village1", "grid1", "supervisor", "county"]:
        c = client_as(who)
        for url in [
            "/meetings/",
            f"/meetings/{m.pk}/",
            "/meetings/cadence/",
            "/meetings/cadence/?view=year",
            "/meetings/receptions/",
        ]:
            assert c.get(url).status_code == 200, (who, url)
    assert client_as("office").get("/meetings/new/").status_code == 200
    assert client_as("leader1").get("/meetings/new/").status_code == 200
    assert client_as("dept1").get("/meetings/new/").status_code == 403
    assert client_as("auditadmin").get("/meetings/cadence/").status_code == 403


def test_the_form_keeps_what_was_typed(cast, client_as):
    response = client_as("office").post(
        "/meetings/new/",
        {
            "kind": "joint",
            "held_on": "2026-02-30",
            "place": "三楼会议室",
            "decisions": "保留这段决定",
            "task_what_0": "走访",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "会议日期格式不正确" in page
    assert "保留这段决定" in page and 'value="三楼会议室"' in page and 'value="走访"' in page


def test_the_page_records_a_meeting(cast, client_as):
    leader = cast["leader1"].person
    response = client_as("leader1").post(
        "/meetings/new/",
        {
            "kind": "task_force",
            "held_on": timezone.localdate().isoformat(),
            "place": "村部",
            "title": "专班例会",
        },
    )
    assert response.status_code == 302
    m = Meeting.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))
    assert (m.host, m.kind, m.title) == (leader, "task_force", "专班例会")


def test_the_cadence_api(cast, client_as):
    town = cast["office"].town
    meeting(cast, MeetingKind.JOINT, dt.date(2026, 1, 10))
    body = client_as("office").get("/api/v1/meeting-cadence?start=2026-01-01&end=2026-01-31").json()
    joint = next(r for r in body["items"] if r["code"] == "joint_meeting")
    expected = Meeting.objects.filter(town=town, kind="joint", held_on__month=1, held_on__year=2026).count()
    assert joint["held"] == expected and joint["required"] == 1
    assert (
        client_as("office").get("/api/v1/meeting-cadence?start=2026-02-01&end=2026-01-01").status_code == 422
    )
    assert client_as("county").get("/api/v1/meeting-cadence").status_code == 422
    assert client_as("county").get(f"/api/v1/meeting-cadence?town={town.pk}").status_code == 200
