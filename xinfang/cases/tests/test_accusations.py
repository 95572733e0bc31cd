"""Accusations (检举控告类, issue 8 items 5 and 6): whom they accuse is recorded at registration (office
only); they go to the discipline route the town configures; the accused are never proposed as owner
or responsible, get no assignment notice, and see neither the case nor the accuser
(《信访工作条例》第三十条)."""

import pytest
from django.utils import timezone

from xinfang.cases.models import Case, Petitioner
from xinfang.cases.ownership import accused_conflicts, ownership_propose
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.testing import accept_and_assign
from xinfang.cases.transitions import case_accept, case_assign
from xinfang.notices.models import AssignmentNotice
from xinfang.org.models import Category, Department, Person

pytestmark = pytest.mark.django_db


def accuse(cast, *, name="举报人甲", village_of="village1", category="chengxiang", clerk="office", **accused):
    clerk = cast[clerk]
    village = cast[village_of].village if village_of else None
    return petition_register(
        data=PetitionIn(
            channel="letter",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name=name, village=village),
            title="反映有关人员问题",
            content="检举内容。",
            kind="accusation",
            category=Category.objects.filter(town=clerk.town, code=category).first(),
            **accused,
        ),
        acting_user=clerk,
    ).case


def claim(cast, *, name, village_of="village1", category="chengxiang"):
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name=name, village=cast[village_of].village),
            title="村道维修",
            content="请求维修村道。",
            category=Category.objects.get(town=cast["office"].town, code=category),
        ),
        acting_user=cast["office"],
    ).case


def accuser_of(case) -> Petitioner:
    return Petitioner.objects.get(petitions__case=case)


def jiwei(cast) -> Department:
    return Department.objects.get(town=cast["office"].town, code="jiwei")


# --- registration ---------------------------------------------------------------------------------


def test_the_office_records_whom_an_accusation_accuses_through_the_api(client_as, cast):
    leader, dept, village = cast["leader1"].person, cast["dept1"].department, cast["village1"].village
    response = client_as("office").post(
        "/api/v1/petitions",
        {
            "channel": "letter",
            "received_at": timezone.now().isoformat(),
            "petitioner": {"name": "举报人乙", "village": village.name},
            "title": "反映有关人员问题",
            "content": "检举内容。",
            "kind": "accusation",
            "accused_persons": [leader.pk],
            "accused_departments": [dept.name],
            "accused_villages": [village.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    case = Case.objects.get(pk=response.json()["case"]["id"])
    assert list(case.accused_persons.all()) == [leader]
    assert list(case.accused_departments.all()) == [dept]
    assert list(case.accused_villages.all()) == [village]
    detail = client_as("office").get(f"/api/v1/cases/{case.pk}").json()
    assert detail["kind"] == "accusation" and set(detail["accused"]) == {
        f"{leader.name}（{leader.title}）",
        dept.name,
        village.name,
    }
    for accused in ("leader1", "dept1", "village1", "grid1"):
        assert client_as(accused).get(f"/api/v1/cases/{case.pk}").status_code == 404


def test_only_an_accusation_names_the_accused(client_as, cast):
    response = client_as("office").post(
        "/api/v1/petitions",
        {
            "channel": "letter",
            "received_at": timezone.now().isoformat(),
            "petitioner": {"name": "某某"},
            "title": "t",
            "content": "c",
            "kind": "claim",
            "accused_departments": [cast["dept1"].department.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "只有检举控告类事项才能填写被检举控告对象" in response.json()["errors"][0]["message"]
    assert not Case.objects.exists()


def test_an_accusation_naming_no_one_is_registered_with_a_warning(client_as, cast):
    response = client_as("office").post(
        "/api/v1/petitions",
        {
            "channel": "letter",
            "received_at": timezone.now().isoformat(),
            "petitioner": {"name": "某某"},
            "title": "t",
            "content": "c",
            "kind": "accusation",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert any("没有填写被检举控告对象" in w for w in response.json()["warnings"])


def test_the_registration_page_records_the_accused_and_the_case_page_shows_them(client_as, cast):
    dept = cast["dept1"].department
    client = client_as("office")
    page = client.get("/cases/new/").content.decode()
    assert "被检举控告对象（仅检举控告类）" in page and 'name="accused_departments"' in page
    done = client.post(
        "/cases/new/",
        {
            "channel": "letter",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "name": "举报人丙",
            "persons_count": 1,
            "kind": "accusation",
            "title": "反映有关部门问题",
            "content": "检举内容。",
            "accused_departments": [dept.pk],
        },
        follow=True,
    )
    text = done.content.decode()
    assert "被检举控告对象" in text and dept.name in text and "须回避" in text
    case = Case.objects.get()
    assert list(case.accused_departments.all()) == [dept]
    assert client_as("dept1").get(f"/cases/{case.pk}/").status_code == 404


# --- ownership --------------------------------------------------------------------------------------


def test_an_accusation_goes_to_the_discipline_route_of_the_town(cast):
    case = accuse(cast, accused_departments=[cast["dept1"].department])
    proposal = ownership_propose(case)
    commission = jiwei(cast)
    assert proposal.rule == "accusation" and proposal.rule_label == "检举控告（纪检监察）"
    assert proposal.lead_department == commission
    assert proposal.lead_leader == Person.objects.get(town=case.town, code="jiweishuji")
    assert proposal.responsible_persons == [commission.head]
    assert proposal.supporting_departments == []
    assert "检举控告类事项按本镇配置交镇纪委办理" in proposal.explanation
    assert "被检举控告的人员和单位须回避" in proposal.explanation


def test_the_accused_leader_is_never_the_owner_of_the_accusation(cast):
    """The defect as found: the village rule made the accused contact leader 包案领导."""
    leader = cast["leader1"].person
    case = accuse(cast, category="nongcun", accused_persons=[leader])
    proposal = ownership_propose(case)
    assert proposal.lead_leader != leader and leader not in proposal.responsible_persons


def test_the_route_leader_accused_leaves_the_owner_to_the_office(cast):
    route_leader = Person.objects.get(town=cast["office"].town, code="jiweishuji")
    proposal = ownership_propose(accuse(cast, accused_persons=[route_leader]))
    assert proposal.lead_leader is None and proposal.rule == "none"
    assert f"按规则应由{route_leader.name}包案，但其与被检举控告对象有关，须回避" in proposal.explanation


def test_the_discipline_body_itself_accused_is_not_proposed(cast):
    commission = jiwei(cast)
    proposal = ownership_propose(accuse(cast, accused_departments=[commission]))
    assert proposal.lead_department is None and commission.head not in proposal.responsible_persons
    assert "该单位被检举控告，须回避" in proposal.explanation


def test_a_town_without_a_route_says_so(cast):
    proposal = ownership_propose(accuse(cast, clerk="h_office", village_of=None, category="x"))
    assert proposal.rule == "none" and proposal.lead_leader is None
    assert "ownership.accusation_route" in proposal.explanation


def test_an_accused_village_is_neither_responsible_nor_sent_a_notice(cast):
    village = cast["village1"].village
    case = accuse(cast, category="nongcun", accused_villages=[village])
    proposal = ownership_propose(case)
    assert not {village.party_head, village.cadre} & set(proposal.responsible_persons)
    case_accept(case_id=case.pk, acting_user=cast["office"])
    case_assign(case_id=case.pk, acting_user=cast["office"])
    notices = AssignmentNotice.objects.filter(case=case)
    assert [(n.target, n.department) for n in notices] == [("department", jiwei(cast))]


def test_an_accusation_against_a_department_sends_it_no_notice(cast):
    """The defect as found: the accusation against dept1 went to dept1 with a 交办单."""
    dept = cast["dept1"].department
    case = accuse(cast, accused_departments=[dept])
    case_accept(case_id=case.pk, acting_user=cast["office"])
    assigned = case_assign(case_id=case.pk, acting_user=cast["office"])
    assert assigned.lead_department == jiwei(cast)
    assert not AssignmentNotice.objects.filter(case=case, department=dept).exists()
    assert not AssignmentNotice.objects.filter(case=case, village__isnull=False).exists()


def test_a_notice_never_goes_to_an_accused_unit_even_when_named_by_hand(cast):
    """An office override that names the accused department as supporting is refused, and sends
    it nothing."""
    from xinfang.cases.transitions import TransitionInvalid

    dept = cast["dept1"].department
    case = accuse(cast, accused_departments=[dept])
    with pytest.raises(TransitionInvalid) as refused:
        accept_and_assign(
            cast,
            case,
            department=jiwei(cast),
            responsible=[jiwei(cast).head],
            supporting_departments=[dept],
            override_reason="测试",
        )
    assert "须回避，不能配合办理" in refused.value.errors["supporting_departments"]
    assert not AssignmentNotice.objects.filter(case=case, department=dept).exists()


def test_the_assignment_check_names_what_the_accused_may_not_take(cast):
    leader, dept = cast["leader1"].person, cast["dept1"].department
    case = accuse(cast, accused_persons=[leader], accused_departments=[dept])
    errors = accused_conflicts(
        case,
        lead_leader=leader,
        lead_department=dept,
        responsible_persons=[dept.head],
        supporting_departments=[dept],
    )
    assert set(errors) == {"lead_leader", "lead_department", "responsible_persons", "supporting_departments"}
    assert accused_conflicts(case, lead_leader=Person.objects.get(town=case.town, code="jiweishuji")) == {}


def test_an_override_cannot_give_the_accusation_to_the_accused(client_as, cast):
    leader, dept = cast["leader1"].person, cast["dept1"].department
    case = accuse(cast, accused_persons=[leader])
    case_accept(case_id=case.pk, acting_user=cast["office"])
    office = client_as("office")
    url = f"/api/v1/cases/{case.pk}/actions/assign"
    refused = office.post(
        url,
        {"lead_leader": leader.pk, "lead_department": dept.pk, "override_reason": "领导指定"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "须回避，不能包案" in refused.json()["detail"]
    assert Case.objects.get(pk=case.pk).state == "accepted"


def test_the_town_file_names_the_route_and_a_wrong_code_is_explained(tmp_path, cast):
    from xinfang.core.testing import FENJIE
    from xinfang.org.loader import TownConfigError, read_config

    town = cast["office"].town
    assert town.accusation_department.code == "jiwei" and town.accusation_leader.code == "jiweishuji"
    broken = tmp_path / "broken.yaml"
    broken.write_text(FENJIE.read_text(encoding="utf-8").replace("department: jiwei", "department: nosuch"))
    with pytest.raises(TownConfigError) as error:
        read_config(broken)
    [problem] = error.value.problems
    assert "ownership（包案规则） › accusation_route（检举控告类事项的办理路径） › department" in problem
    assert "部门代码“nosuch”未在 departments 中定义" in problem


# --- the accuser hidden from the accused ---------------------------------------------------------


@pytest.mark.parametrize(
    "accused, reader",
    [
        ({"accused_departments": "dept1"}, "dept1"),
        ({"accused_villages": "village1"}, "village1"),
        ({"accused_villages": "village1"}, "grid1"),
        ({"accused_persons": "leader1"}, "leader1"),
    ],
)
def test_the_accused_cannot_open_their_accusers_page(client_as, cast, accused, reader):
    """The defect as found: dept1 opened the accuser of the case against dept1, village1 the accuser
    of the case against village1 (masked ID and phone, but name and cases)."""
    ((field, who),) = accused.items()
    unit = {"accused_departments": "department", "accused_villages": "village", "accused_persons": "person"}[
        field
    ]
    case = accuse(cast, **{field: [getattr(cast[who], unit)]})
    person = accuser_of(case)
    assert client_as("office").get(f"/cases/petitioners/{person.pk}/").status_code == 200
    assert client_as(reader).get(f"/cases/petitioners/{person.pk}/").status_code == 404
    assert client_as(reader).get("/api/v1/cases", {"q": person.name}).json()["count"] == 0
    assert client_as("office").get("/api/v1/cases", {"q": person.name}).json()["count"] == 1


def test_an_accuser_the_village_knows_from_another_matter_is_not_singled_out(client_as, cast):
    """Hiding the person altogether would tell the village who accused it; the village sees them on
    its own case, and nothing of the accusation."""
    case = accuse(cast, name="钟某某", category="nongcun", accused_villages=[cast["village1"].village])
    person = accuser_of(case)
    road = claim(cast, name="钟某某", category="nongcun")
    # the same person (by name without ID the registration creates another): link them as one
    road.petitions.get().petitioners.set([person])
    page = client_as("village1").get(f"/cases/petitioners/{person.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert road.number in text and case.number not in text and "反映有关人员问题" not in text
    assert "1 件事项、1 次信访" in text


def test_the_department_sees_the_petitioners_of_its_lines_but_not_its_accuser(client_as, cast):
    own = accuser_of(claim(cast, name="普通信访人"))
    accuser = accuser_of(accuse(cast, accused_departments=[cast["dept1"].department]))
    client = client_as("dept1")
    assert client.get(f"/cases/petitioners/{own.pk}/").status_code == 200
    assert client.get(f"/cases/petitioners/{accuser.pk}/").status_code == 404
