"""The five haves (五有): each one missing keeps a prominent case from being resolved, naming it."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from xinfang.attachments.services import attachment_add
from xinfang.attachments.tests.files import docx_bytes, upload
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.transitions import TransitionInvalid, case_resolve
from xinfang.plans import rules
from xinfang.plans.models import CasePlan, TaskForceMember
from xinfang.plans.services import plan_save, task_force_set

from .conftest import SHANGHAI, assigned

pytestmark = pytest.mark.django_db


def evidence(cast, case):
    attachment_add(
        case_id=case.pk,
        acting_user=cast["office"],
        file=upload("调解协议书.docx", docx_bytes()),
        kind="mediation_agreement",
    )


def all_five(cast, case):
    village = cast["village1"].village
    task_force_set(
        case_id=case.pk,
        acting_user=cast["office"],
        members=[(village.contact_leader, "组长", True), (village.party_head, "成员", False)],
    )
    plan_save(
        case_id=case.pk,
        acting_user=cast["office"],
        judgement="hardship",
        measures="落实专项救助，协调流转方分期支付",
        rebound_measures="每月回访一次，节日前走访",
    )


REMOVE = {
    "包案领导": lambda case: Case.objects.filter(pk=case.pk).update(lead_leader=None),
    "工作专班": lambda case: TaskForceMember.objects.filter(case=case).delete(),
    "化稳方案": lambda case: CasePlan.objects.filter(case=case).update(measures=""),
    "解决时限": lambda case: Case.objects.filter(pk=case.pk).update(resolve_by=None),
    "防反弹措施": lambda case: CasePlan.objects.filter(case=case).update(rebound_measures=""),
}


@pytest.mark.parametrize("missing", list(REMOVE))
def test_each_missing_element_blocks_resolution_naming_it(cast, prominent_case, missing):
    case = prominent_case
    all_five(cast, case)
    evidence(cast, case)
    REMOVE[missing](case)
    with pytest.raises(TransitionInvalid) as refused:
        case_resolve(
            case_id=case.pk,
            acting_user=cast["village1"],
            text="双方签订调解协议",
            signed_on=timezone.localdate(),
        )
    assert refused.value.errors == {
        "five_haves": f"该事项为突出问题，“五有”尚缺：{missing}，补齐后才能报送化解。"
    }
    case.refresh_from_db()
    assert case.resolution == "open"
    assert not CaseEvent.objects.filter(case=case, kind="resolve_submitted").exists()


def test_a_plan_without_its_judgement_is_no_plan(cast, prominent_case):
    all_five(cast, prominent_case)
    CasePlan.objects.filter(case=prominent_case).update(judgements=[])
    assert rules.five_haves_missing(Case.objects.get(pk=prominent_case.pk)) == ["化稳方案"]


def test_all_five_in_place_and_evidence_resolve_the_case(cast, prominent_case):
    all_five(cast, prominent_case)
    evidence(cast, prominent_case)
    assert rules.five_haves(prominent_case) == {
        "lead_leader": True,
        "task_force": True,
        "plan": True,
        "deadline": True,
        "rebound_measures": True,
    }
    case = case_resolve(
        case_id=prominent_case.pk,
        acting_user=cast["village1"],
        text="双方签订调解协议",
        signed_on=timezone.localdate(),
    )
    assert case.resolution == "submitted"


def test_several_missing_are_named_in_the_order_of_the_five(cast, prominent_case, client_as):
    evidence(cast, prominent_case)
    plan_save(case_id=prominent_case.pk, acting_user=cast["office"], judgement="reasonable", measures="解决")
    response = client_as("village1").post(
        f"/api/v1/cases/{prominent_case.pk}/actions/resolve",
        {"text": "已达成和解"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "five_haves",
            "message": "该事项为突出问题，“五有”尚缺：工作专班、防反弹措施，补齐后才能报送化解。",
        }
    ]


def test_the_five_haves_come_before_the_evidence(cast, prominent_case):
    with pytest.raises(TransitionInvalid) as refused:
        case_resolve(
            case_id=prominent_case.pk,
            acting_user=cast["village1"],
            text="已达成和解",
            signed_on=timezone.localdate(),
        )
    assert "工作专班、化稳方案、防反弹措施" in refused.value.errors["five_haves"]


def test_a_case_that_is_not_prominent_is_not_blocked(cast, plain_case):
    assert not rules.is_prominent(plain_case)
    evidence(cast, plain_case)
    case = case_resolve(
        case_id=plain_case.pk, acting_user=cast["village1"], text="已达成和解", signed_on=timezone.localdate()
    )
    assert case.resolution == "submitted"


def test_a_backlog_becomes_prominent_and_then_needs_the_five(cast):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        case = assigned(cast, prominent=False)
        evidence(cast, case)
    assert case.ledger_from == case.handling_due + dt.timedelta(days=1)
    later = dt.datetime.combine(case.ledger_from, dt.time(10), tzinfo=SHANGHAI)
    with time_machine.travel(later, tick=False), pytest.raises(TransitionInvalid) as refused:
        case_resolve(
            case_id=case.pk, acting_user=cast["village1"], text="已达成和解", signed_on=timezone.localdate()
        )
    assert "工作专班" in refused.value.errors["five_haves"]


def test_the_incomplete_list_reads_the_five_in_one_query(cast, prominent_case, django_assert_num_queries):
    done = assigned(cast, prominent=True)
    all_five(cast, done)
    other = assigned(cast, prominent=True, village_of="village2")
    Case.objects.filter(pk=other.pk).update(resolve_by=None)
    with django_assert_num_queries(1):
        rows = list(rules.five_haves_incomplete(Case.objects.all(), timezone.localdate()))
        missing = {c.pk: rules.five_haves_missing(c) for c in rows}
    assert done.pk not in missing
    assert missing[prominent_case.pk] == ["工作专班", "化稳方案", "防反弹措施"]
    assert missing[other.pk] == ["工作专班", "化稳方案", "解决时限", "防反弹措施"]
