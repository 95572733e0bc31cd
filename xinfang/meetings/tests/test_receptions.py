import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xinfang.cases.models import Petition
from xinfang.cases.tests.test_registration_page import form
from xinfang.meetings.models import Reception, ReceptionPetition
from xinfang.meetings.services import reception_create, reception_link
from xinfang.org.models import Person

from .factories import register


def _reception(cast, town=None, user=None) -> Reception:
    user = user or cast["office"]
    leader = Person.objects.filter(town=town or user.town, is_leader=True).order_by("id").first()
    return reception_create(
        acting_user=user,
        held_on=timezone.localdate(),
        place="镇信访接待室",
        leader_id=leader.pk,
        notes="每月15日",
    )


def test_a_petition_registered_from_the_reception_page_is_linked(cast, client_as):
    reception = _reception(cast)
    office = client_as("office")
    page = office.get(f"/meetings/receptions/{reception.pk}/").content.decode()
    assert f"/cases/new/?origin=reception:{reception.pk}" in page
    opened = office.get(f"/cases/new/?origin=reception:{reception.pk}").content.decode()
    assert "本次登记来自领导接访日" in opened and f'value="reception:{reception.pk}"' in opened
    response = office.post("/cases/new/", form(cast, origin=f"reception:{reception.pk}"))
    assert response.status_code == 302
    petition = Petition.objects.latest("id")
    assert ReceptionPetition.objects.get(petition=petition).reception == reception
    listing = office.get(f"/meetings/receptions/{reception.pk}/").content.decode()
    assert petition.case.number in listing


def test_a_foreign_or_bogus_origin_links_nothing_and_registers_anyway(cast, client_as, hetang):
    theirs = _reception(cast, user=cast["h_office"])
    office = client_as("office")
    assert office.post("/cases/new/", form(cast, origin=f"reception:{theirs.pk}")).status_code == 302
    assert (
        office.post(
            "/cases/new/", form(cast, origin="reception:99999999", name="钱某", id_number="")
        ).status_code
        == 302
    )
    assert not ReceptionPetition.objects.exists()
    # A malformed origin is not carried into the form.
    assert 'value="reception:x' not in office.get("/cases/new/?origin=reception:x1").content.decode()


def test_linking_an_existing_petition_and_the_roles(cast, client_as):
    reception = _reception(cast)
    case = register(cast)
    petition = case.petitions.get()
    for who in ["leader1", "dept1", "village1", "supervisor"]:
        with pytest.raises(PermissionDenied):
            reception_link(acting_user=cast[who], reception_id=reception.pk, petition_id=petition.pk)
        with pytest.raises(PermissionDenied):
            reception_create(acting_user=cast[who], held_on=timezone.localdate(), place="x", leader_id=1)
    response = client_as("office").post(
        f"/api/v1/receptions/{reception.pk}/petitions",
        {"petition": petition.pk},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["petitions"] == [case.number]
    with pytest.raises(ValidationError):
        reception_link(acting_user=cast["office"], reception_id=reception.pk, petition_id=petition.pk)
    page = client_as("office").post(f"/meetings/receptions/{reception.pk}/", {"case": "分信〔1999〕9999号"})
    assert "找不到事项" in page.content.decode()


def test_reception_bad_input_and_scope(cast, client_as, hetang):
    with pytest.raises(ValidationError) as refused:
        reception_create(
            acting_user=cast["office"], held_on=None, place="", leader_id=cast["grid1"].person_id, notes=""
        )
    assert set(refused.value.message_dict) == {"held_on", "place", "leader"}
    theirs = _reception(cast, user=cast["h_office"])
    assert client_as("office").get(f"/meetings/receptions/{theirs.pk}/").status_code == 404
    assert (
        client_as("office")
        .post(f"/api/v1/receptions/{theirs.pk}/petitions", {"petition": 1}, content_type="application/json")
        .status_code
        == 404
    )
    r = client_as("office").post(
        "/api/v1/receptions",
        {"held_on": "2026-05-15", "place": "接待室", "leader": cast["leader1"].person_id},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["leader"] == cast["leader1"].person.name
    assert client_as("village1").get("/api/v1/receptions").json()["count"] >= 1
    assert (
        client_as("leader1")
        .post(
            "/api/v1/receptions",
            {"held_on": "2026-05-15", "place": "x", "leader": 1},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    page = client_as("office").post("/meetings/receptions/", {"held_on": "2026-05-40", "place": "保留地点"})
    assert "接待日期格式不正确" in page.content.decode() and "保留地点" in page.content.decode()
    assert not Reception.objects.filter(place="保留地点").exists()
