"""What becomes of an item: a case, a key person or closed, in one step each (the office only)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from xinfang.cases.models import Case, Petitioner
from xinfang.core.errors import EditConflict
from xinfang.screening import services
from xinfang.screening.models import ScreeningItem
from xinfang.stability.models import KeyPerson

from .conftest import ID_A, ID_B, item, report_of

OTHERS = ["leader1", "dept1", "village1", "grid1", "supervisor", "county"]


@pytest.fixture
def found(cast, rnd):
    rep = report_of(rnd, cast["village1"])
    services.report_submit(
        acting_user=cast["village1"],
        report_id=rep.pk,
        items=[
            item(person_name="钱某某", person_id_number=ID_A, persons_count=3),
            item(
                kind="movement",
                title="重点人员近期外出",
                person_name="孙某某",
                person_id_number=ID_B,
                risk_level="high",
            ),
            item(kind="hazard", title="危房安置矛盾", person_name=""),
        ],
    )
    return list(ScreeningItem.objects.filter(report=rep).order_by("id"))


def test_item_becomes_a_case_through_registration(cast, found):
    dispute = found[0]
    case = services.item_to_case(acting_user=cast["office"], item_id=dispute.pk, version=dispute.version)
    dispute.refresh_from_db()
    assert dispute.outcome == "case" and dispute.case == case and dispute.outcome_by == cast["office"]
    assert case.title == dispute.title and case.village_id == dispute.village_id
    petition = case.petitions.get()
    assert petition.persons_count == 3
    assert list(petition.petitioners.values_list("id_number", flat=True)) == [ID_A]
    # One step only: a second conversion is refused.
    with pytest.raises(ValidationError) as exc:
        services.item_to_case(acting_user=cast["office"], item_id=dispute.pk)
    assert "已处理" in exc.value.message_dict["outcome"][0]
    assert Case.objects.count() == 1


def test_item_becomes_a_key_person_creating_the_petitioner(cast, found):
    movement = found[1]
    assert not Petitioner.objects.filter(id_number=ID_B).exists()
    kp = services.item_to_key_person(acting_user=cast["office"], item_id=movement.pk)
    movement.refresh_from_db()
    assert movement.outcome == "key_person" and movement.key_person == kp
    assert kp.level == "high" and kp.petitioner.id_number == ID_B and kp.village_id == movement.village_id
    assert "排查发现" in kp.reasons


def test_case_then_key_person_reuses_the_petitioner(cast, found):
    dispute = found[0]
    services.item_to_case(acting_user=cast["office"], item_id=dispute.pk)
    # Another item naming the same person becomes a key person on the registered petitioner.
    rep = dispute.report
    services.report_submit(
        acting_user=cast["village1"],
        report_id=rep.pk,
        items=[item(person_name="钱某某", person_id_number=ID_A)],
    )
    again = ScreeningItem.objects.filter(report=rep, outcome="open", person_id_number=ID_A).get()
    kp = services.item_to_key_person(
        acting_user=cast["office"], item_id=again.pk, level="medium", reasons="多次扬言"
    )
    assert Petitioner.objects.filter(id_number=ID_A).count() == 1
    assert kp.petitioner.id_number == ID_A and kp.reasons == "多次扬言"


def test_key_person_needs_an_id_number_and_case_needs_a_person(cast, found):
    hazard = found[2]
    with pytest.raises(ValidationError) as exc:
        services.item_to_key_person(acting_user=cast["office"], item_id=hazard.pk)
    assert "身份证号" in exc.value.message_dict["person_id_number"][0]
    with pytest.raises(ValidationError) as exc:
        services.item_to_case(acting_user=cast["office"], item_id=hazard.pk)
    assert "涉及人员" in exc.value.message_dict["person_name"][0]
    hazard.refresh_from_db()
    assert hazard.outcome == "open"
    assert not KeyPerson.objects.exists()


def test_item_closed_with_a_reason(cast, found):
    hazard = found[2]
    with pytest.raises(ValidationError) as exc:
        services.item_close(acting_user=cast["office"], item_id=hazard.pk, reason="  ")
    assert "销号理由" in exc.value.message_dict["reason"][0]
    services.item_close(acting_user=cast["office"], item_id=hazard.pk, reason="已当场调解化解")
    hazard.refresh_from_db()
    assert hazard.outcome == "closed" and hazard.closed_reason == "已当场调解化解"


@pytest.mark.parametrize("username", OTHERS)
def test_only_the_office_converts(cast, found, username):
    target = found[1]
    for step, kwargs in [
        (services.item_to_case, {}),
        (services.item_to_key_person, {}),
        (services.item_close, {"reason": "不属于信访事项"}),
    ]:
        with pytest.raises(PermissionDenied):
            step(acting_user=cast[username], item_id=target.pk, **kwargs)
    target.refresh_from_db()
    assert target.outcome == "open"
    assert not Case.objects.exists() and not KeyPerson.objects.exists()


def test_another_towns_office_cannot_see_the_item(cast, found):
    with pytest.raises(Http404):
        services.item_close(acting_user=cast["h_office"], item_id=found[0].pk, reason="无")


def test_stale_version_is_refused(cast, found):
    dispute = found[0]
    with pytest.raises(EditConflict) as exc:
        services.item_close(
            acting_user=cast["office"], item_id=dispute.pk, reason="无", version=dispute.version + 1
        )
    assert "刷新" in str(exc.value)
    dispute.refresh_from_db()
    assert dispute.outcome == "open"
