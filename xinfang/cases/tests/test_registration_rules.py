"""Who may register, and what a registration may do to a petitioner already on file (issue 8, items
1 and 2): only the office registers, whatever the entrance; an existing petitioner is linked but never
revealed out of scope, and never rewritten unless the clerk chose so and may."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.audit.models import AuditEvent
from xinfang.cases import services
from xinfang.cases.models import Case, Petition, Petitioner
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

pytestmark = pytest.mark.django_db

ID_CHU = "110101199003074514"
EVERYONE = [
    "office",
    "leader1",
    "dept1",
    "village1",
    "village2",
    "grid1",
    "supervisor",
    "county",
    "sysadmin",
    "secadmin",
    "auditadmin",
    "h_office",
    "h_village",
    "h_sysadmin",
    "h_secadmin",
    "h_auditadmin",
]
REGISTRARS = {"office", "h_office"}


def body(village=None, **over):
    data = {
        "channel": "visit",
        "received_at": timezone.now().isoformat(),
        "petitioner": {"name": "褚某某", "id_number": ID_CHU, "phone": "13911110000"},
        "title": "宅基地边界纠纷",
        "content": "与邻居就宅基地边界发生纠纷。",
    }
    if village is not None:
        data["petitioner"]["village"] = village.pk
    for key, value in over.items():
        if key.startswith("petitioner__"):
            data["petitioner"][key.removeprefix("petitioner__")] = value
        else:
            data[key] = value
    return data


def post(client, data):
    return client.post("/api/v1/petitions", data, content_type="application/json")


def counts():
    return Case.objects.count(), Petition.objects.count(), Petitioner.objects.count()


@pytest.fixture
def chu(cast):
    """褚某某 of village1, registered by the office with her phone and address."""
    petition = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(
                name="褚某某",
                id_number=ID_CHU,
                phone="13911110000",
                address="青松村三组 8 号",
                village=cast["village1"].village,
            ),
            title="宅基地边界纠纷",
            content="与邻居就宅基地边界发生纠纷。",
        ),
        acting_user=cast["office"],
    )
    return petition.petitioners.get()


def stored(petitioner):
    petitioner.refresh_from_db()
    return petitioner.phone, petitioner.address, petitioner.village_id


# --- item 1: who registers ---------------------------------------------------------------------


@pytest.mark.parametrize("username", EVERYONE)
def test_only_the_office_registers_through_the_api(client_as, cast, username):
    before = counts()
    response = post(client_as(username), body(petitioner__id_number="", petitioner__name="新某某"))
    if username in REGISTRARS:
        assert response.status_code == 201, response.json()
        assert Case.objects.get(pk=response.json()["case"]["id"]).town == cast[username].town
        return
    # the county answered 500 (no town) and every other role 201 before
    assert response.status_code == 403, response.content
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert "只有镇信访联席办可以登记信访" in detail and cast[username].get_role_display() in detail
    assert counts() == before


@pytest.mark.parametrize("username", EVERYONE)
def test_only_the_office_opens_and_posts_the_registration_page(client_as, cast, username):
    client = client_as(username)
    page = client.get("/cases/new/")
    assert page.status_code == (200 if username in REGISTRARS else 403)
    if username not in REGISTRARS:
        assert client.post("/cases/new/", {"name": "新某某"}).status_code == 403


def test_the_service_itself_refuses_any_other_role(cast):
    for username in ("village2", "leader1", "county", "sysadmin"):
        with pytest.raises(PermissionDenied, match="只有镇信访联席办可以登记信访"):
            petition_register(
                data=PetitionIn(
                    channel="visit",
                    received_at=timezone.now(),
                    petitioner=PetitionerIn(name="新某某"),
                    title="t",
                    content="c",
                ),
                acting_user=cast[username],
            )


# --- item 2: the petitioner on file ---------------------------------------------------------------


def test_village2_can_neither_see_nor_rewrite_a_village1_petitioner(client_as, cast, chu):
    """The defect as found: village2 learnt the name from the 422, then rewrote phone, address and
    village with a 201."""
    before, details = counts(), stored(chu)
    client = client_as("village2")
    first = post(client, body(petitioner__name="随便填"))
    assert first.status_code == 403 and "褚某某" not in first.content.decode()
    second = post(
        client,
        body(
            cast["village2"].village,
            petitioner__phone="13800000000",
            petitioner__address="红旗村",
        ),
    )
    assert second.status_code == 403 and "褚某某" not in second.content.decode()
    assert stored(chu) == details and counts() == before


def test_a_registration_by_a_role_that_may_not_see_the_petitioner_names_no_one(
    client_as, cast, chu, monkeypatch
):
    """Should a village ever register (the rule is the service's, a setting away), the lookup by ID
    number still neither names nor rewrites a petitioner of another village."""
    monkeypatch.setattr(services, "REGISTRARS", frozenset({Role.OFFICE, Role.VILLAGE}))
    before, details = counts(), stored(chu)
    client = client_as("village2")
    for data in (
        body(petitioner__name="随便填"),
        body(cast["village2"].village, petitioner__phone="13800000000", petitioner__address="红旗村"),
        body(cast["village2"].village, petitioner__phone="13800000000", update_petitioner=True),
    ):
        response = post(client, data)
        assert response.status_code == 422, response.content
        assert "褚某某" not in response.content.decode()
        assert response.json()["errors"][0] == {
            "field": "petitioner.id_number",
            "message": "该身份证号的信访人不在您的查看范围内，不能由您登记关联，请交由其他登记人员登记。",
        }
    assert stored(chu) == details and counts() == before


def test_the_office_linking_with_other_details_keeps_the_stored_ones_and_says_what_differs(
    client_as, cast, chu
):
    details = stored(chu)
    response = post(
        client_as("office"),
        body(cast["village2"].village, petitioner__phone="13800000000", petitioner__address="红旗村五组"),
    )
    assert response.status_code == 201, response.json()
    assert stored(chu) == details
    petition = Petition.objects.get(pk=response.json()["petition"]["id"])
    assert list(petition.petitioners.all()) == [chu]
    [warning] = response.json()["warnings"]
    assert "信访人褚某某已在本镇登记，本次信访已关联此人" in warning
    assert "手机号已登记为“139****0000”，本次填写“138****0000”" in warning
    assert "住址已登记为“青松村三组 8 号”，本次填写“红旗村五组”" in warning
    village1, village2 = cast["village1"].village.name, cast["village2"].village.name
    assert f"所在村（居）已登记为“{village1}”，本次填写“{village2}”" in warning
    assert "已保留原登记信息，未作修改" in warning
    assert "13800000000" not in warning  # phones masked, like everywhere on screen


def test_the_office_may_update_the_stored_details_by_choice_and_it_is_audited(client_as, cast, chu):
    response = post(
        client_as("office"),
        body(petitioner__phone="13800000000", petitioner__address="青松村四组 2 号", update_petitioner=True),
    )
    assert response.status_code == 201, response.json()
    assert stored(chu) == ("13800000000", "青松村四组 2 号", cast["village1"].village.pk)
    assert "已按本次填写更新信访人褚某某的登记信息" in response.json()["warnings"][0]
    row = AuditEvent.objects.get(detail="登记时按联席办选择更新信访人登记信息")
    assert row.old_values == {"phone": "139****0000", "address": "青松村三组 8 号"}
    assert row.new_values == {"phone": "138****0000", "address": "青松村四组 2 号"}


def test_same_details_or_empty_fields_change_nothing_and_warn_of_nothing(client_as, cast, chu):
    response = post(client_as("office"), body(petitioner__phone=""))
    assert response.status_code == 201 and response.json()["warnings"] == []
    assert stored(chu)[0] == "13911110000"


def test_the_page_shows_the_stored_petitioner_before_and_the_difference_after(client_as, cast, chu):
    client = client_as("office")
    panel = client.get("/cases/new/candidates/", {"id_number": ID_CHU}).content.decode()
    assert "该身份证号已登记为信访人" in panel and "褚某某" in panel and "139****0000" in panel
    assert "13911110000" not in panel
    page = client.post(
        "/cases/new/",
        {
            "channel": "visit",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "name": "褚某某",
            "id_number": ID_CHU,
            "phone": "13800000000",
            "persons_count": 1,
            "kind": "claim",
            "title": "宅基地边界纠纷",
            "content": "再次反映。",
        },
        follow=True,
    )
    text = page.content.decode()
    assert page.status_code == 200 and "已登记为新事项" in text
    assert "已保留原登记信息，未作修改" in text
    assert stored(chu)[0] == "13911110000"


def test_an_office_clerk_whose_unit_is_accused_cannot_see_nor_link_the_accuser(client_as, cast):
    """The office is a unit like any other: accused, it does not see its accuser (第三十条)."""
    accuser = petition_register(
        data=PetitionIn(
            channel="letter",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="秦某某", id_number=ID_CHU, village=cast["village1"].village),
            title="反映联席办工作人员问题",
            content="内容",
            kind="accusation",
            accused_departments=[cast["office"].department],
        ),
        acting_user=cast["office"],
    )
    person = accuser.petitioners.get()
    client = client_as("office")
    assert client.get(f"/cases/petitioners/{person.pk}/").status_code == 404
    panel = client.get("/cases/new/candidates/", {"id_number": ID_CHU}).content.decode()
    assert "秦某某" not in panel
    response = post(client, body(petitioner__name="秦某某"))
    assert response.status_code == 422 and "秦某某" not in response.content.decode()
