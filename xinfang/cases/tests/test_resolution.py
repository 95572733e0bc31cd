"""Resolution is substantive: evidence uploaded, the office's check, then off the ledger; a new
petition after it is a rebound."""

import pytest
from django.utils import timezone

from xinfang.attachments.tests.files import docx_bytes, upload
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.testing import accept_and_assign
from xinfang.cases.transitions import case_mark_prominent
from xinfang.plans.services import plan_save, task_force_set

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage(tmp_path, settings):
    settings.XINFANG_ATTACHMENT_DIR = tmp_path


def _petition(cast, case_id=None):
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="钱某某", village=cast["village1"].village),
            title="土地流转费拖欠",
            content="要求支付拖欠的土地流转费。",
            case_id=case_id,
        ),
        acting_user=cast["office"],
    )


@pytest.fixture
def case(cast):
    case = _petition(cast).case
    village = cast["village1"].village
    accept_and_assign(cast, case)
    case_mark_prominent(case_id=case.pk, acting_user=cast["office"], reason="涉及多户")
    # A prominent case: the five haves (五有) are in place, so only the evidence is in question here.
    task_force_set(
        case_id=case.pk, acting_user=cast["office"], members=[(village.contact_leader, "组长", True)]
    )
    plan_save(
        case_id=case.pk,
        acting_user=cast["office"],
        judgement="reasonable",
        measures="督促流转方支付拖欠费用",
        rebound_measures="每月回访一次",
    )
    return Case.objects.get(pk=case.pk)


def TODAY() -> str:
    return timezone.localdate().isoformat()


def act(client, case, action, **body):
    return client.post(f"/api/v1/cases/{case.pk}/actions/{action}", body, content_type="application/json")


def ledger(client, view):
    return {c["number"] for c in client.get(f"/api/v1/cases?view={view}").json()["items"]}


def test_resolving_without_evidence_is_refused_in_the_api_and_on_the_page(client_as, case):
    response = act(client_as("village1"), case, "resolve", text="已达成和解", signed_on=TODAY())
    assert response.status_code == 422
    assert "请先在“附件”中上传调解协议书或停诉息访承诺书" in response.json()["detail"]
    page = client_as("village1").post(
        f"/cases/{case.pk}/actions/resolve/",
        {"text": "已达成和解", "signed_on": TODAY(), "version": case.version},
        follow=True,
    )
    html = page.content.decode()
    assert "报送化解未完成" in html and "调解协议书或停诉息访承诺书" in html
    assert "已达成和解</textarea>" in html  # the form keeps what was typed
    assert Case.objects.get(pk=case.pk).resolution == "open"


def test_evidence_then_the_office_check_takes_the_case_off_the_ledger(client_as, cast, case):
    office, village = client_as("office"), client_as("village1")
    other = client_as("village1").post(
        f"/api/v1/cases/{case.pk}/attachments",
        {"kind": "material", "file": upload("照片.docx", docx_bytes())},
    )
    assert other.status_code == 201
    assert (
        act(village, case, "resolve", text="已达成和解", signed_on=TODAY()).status_code == 422
    )  # no evidence
    uploaded = village.post(
        f"/api/v1/cases/{case.pk}/attachments",
        {"kind": "mediation_agreement", "file": upload("调解协议书.docx", docx_bytes())},
    )
    assert uploaded.status_code == 201
    no_date = act(village, case, "resolve", text="双方签订调解协议，流转费已付清")
    assert no_date.status_code == 422 and "签订日期" in no_date.json()["detail"]
    out = act(village, case, "resolve", text="双方签订调解协议，流转费已付清", signed_on=TODAY()).json()[
        "case"
    ]
    assert out["resolution"] == "submitted" and out["state"] == "assigned"  # the statutory path untouched
    assert case.number in ledger(office, "prominent")  # still on the ledger until checked
    refused = act(office, case, "verify", approve=False)
    assert refused.status_code == 422 and "退回时请说明" in refused.json()["detail"]
    back = act(office, case, "verify", approve=False, reason="协议缺少村委会盖章").json()["case"]
    assert back["resolution"] == "open" and back["state"] == "assigned"
    act(village, case, "resolve", text="补充盖章后的协议", signed_on=TODAY())
    done = act(office, case, "verify").json()["case"]
    assert done["resolution"] == "resolved" and done["state"] == "assigned"
    assert case.number not in ledger(office, "prominent")
    assert case.number in ledger(office, "resolved")
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[-4:] == ["resolve_submitted", "verify_refused", "resolve_submitted", "verified"]


def test_a_new_petition_after_resolution_is_a_rebound_back_on_the_ledger(client_as, cast, case):
    Case.objects.filter(pk=case.pk).update(resolution="resolved")
    _petition(cast, case_id=case.pk)
    case.refresh_from_db()
    assert case.rebound and case.resolution == "open" and case.state == "assigned" and case.prominent
    assert CaseEvent.objects.filter(case=case, kind="rebound").exists()
    assert case.number in ledger(client_as("office"), "prominent")
    assert (
        case.number in ledger(client_as("office"), "all")
        and "化解后反弹" in client_as("office").get(f"/cases/{case.pk}/").content.decode()
    )
