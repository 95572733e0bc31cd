"""Recording relief: what is stored, and every bad input refused in Chinese with nothing stored."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from xinfang.audit.models import AuditEvent
from xinfang.cases.models import CaseEvent
from xinfang.relief.models import Relief

from .conftest import record, register_case

pytestmark = pytest.mark.django_db


def nothing_stored(case):
    assert not Relief.objects.exists()
    assert not CaseEvent.objects.filter(case=case, kind="relief").exists()
    assert not AuditEvent.objects.filter(target_type="专项救助").exists()


def test_a_relief_is_stored_with_its_case_event_and_audit_row(cast, case):
    person = case.petitions.get().petitioners.get()
    relief = record(cast, case, amount="2,000.50 元", petitioner=str(person.pk), note="  家中重病  ")
    relief.refresh_from_db()
    assert relief.case == case and relief.petitioner == person
    assert relief.amount == Decimal("2000.50") and relief.given_on == dt.date(2026, 11, 3)
    assert relief.kind == "temporary" and relief.get_kind_display() == "临时救助"
    assert relief.approved_by == "镇长（签批）" and relief.approval_number == "分民〔2026〕12号"
    assert relief.note == "家中重病" and relief.recorded_by == cast["office"]

    event = CaseEvent.objects.get(case=case, kind="relief")
    assert event.get_kind_display() == "专项救助" and event.user == cast["office"]
    assert event.data["relief"] == relief.pk and event.data["amount"] == "2000.50"
    assert event.summary() == "临时救助 2,000.50 元（2026-11-03）；批准人：镇长（签批）（分民〔2026〕12号）"

    audit = AuditEvent.objects.get(event="create", target_id=str(relief.pk), target_type="专项救助")
    assert audit.user == cast["office"] and audit.town == case.town and audit.success
    assert audit.new_values["amount"] == "2000.50" and audit.new_values["given_on"] == "2026-11-03"
    assert audit.detail == "录入专项救助（临时救助）"
    assert audit.target_repr == f"{case.number} 救助 {relief.pk}"  # the case number, not the person


@pytest.mark.parametrize(
    "over, field, message",
    [
        ({"amount": "-500"}, "amount", "救助金额必须大于 0 元。"),
        ({"amount": "0"}, "amount", "救助金额必须大于 0 元。"),
        ({"amount": Decimal("-0.01")}, "amount", "救助金额必须大于 0 元。"),
        ({"amount": ""}, "amount", "请填写救助金额（元）。"),
        (
            {"amount": "两千"},
            "amount",
            "救助金额“两千”不是数字，请填写以元为单位的金额，如 2000 或 1500.50。",
        ),
        ({"amount": "NaN"}, "amount", "救助金额应为以元为单位的数字，如 2000 或 1500.50。"),
        ({"amount": "100.005"}, "amount", "救助金额最多精确到分（小数点后两位）。"),
        ({"amount": "10000000000"}, "amount", "救助金额过大，最多 9,999,999,999.99 元，请核对。"),
        ({"given_on": "2026-11-21"}, "given_on", "救助日期不能晚于今天（2026-11-20）。"),
        ({"given_on": dt.date(2027, 1, 1)}, "given_on", "救助日期不能晚于今天（2026-11-20）。"),
        ({"given_on": "2026-08-31"}, "given_on", "救助日期不能早于该事项首次信访的日期（2026-09-01）。"),
        ({"given_on": ""}, "given_on", "请填写救助日期。"),
        (
            {"given_on": "2026/11/3"},
            "given_on",
            "救助日期“2026/11/3”格式不正确，应为 2026-01-31 这样的形式。",
        ),
        ({"approved_by": ""}, "approved_by", "请填写批准人（谁批准的这笔救助）。"),
        ({"approved_by": "   "}, "approved_by", "请填写批准人（谁批准的这笔救助）。"),
        ({"approved_by": "镇" * 61}, "approved_by", "内容过长（61 字），最多 60 字。"),
        ({"approval_number": "号" * 61}, "approval_number", "内容过长（61 字），最多 60 字。"),
        ({"note": "说" * 501}, "note", "内容过长（501 字），最多 500 字。"),
        (
            {"kind": ""},
            "kind",
            "请选择救助类型（临时救助、低保、特困供养、医疗救助、教育救助、住房救助、司法救助、其他社会救济）。",
        ),
        (
            {"kind": "cash"},
            "kind",
            "请选择救助类型（临时救助、低保、特困供养、医疗救助、教育救助、住房救助、司法救助、其他社会救济）。",
        ),
        (
            {"petitioner": "abc"},
            "petitioner",
            "所选救助对象不是本事项的信访人，请从本事项的信访人中选择，或不填。",
        ),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(cast, case, over, field, message):
    with pytest.raises(ValidationError) as refused:
        record(cast, case, **over)
    assert refused.value.message_dict == {field: [message]}
    nothing_stored(case)


def test_a_petitioner_of_another_case_is_refused(cast, case):
    other = register_case(cast, village_of="village2")
    stranger = other.petitions.get().petitioners.get()
    with pytest.raises(ValidationError) as refused:
        record(cast, case, petitioner=stranger.pk)
    assert refused.value.message_dict["petitioner"] == [
        "所选救助对象不是本事项的信访人，请从本事项的信访人中选择，或不填。"
    ]
    nothing_stored(case)


def test_every_problem_is_reported_at_once(cast, case):
    with pytest.raises(ValidationError) as refused:
        record(cast, case, amount="-1", given_on="2030-01-01", approved_by="", kind="x")
    assert set(refused.value.message_dict) == {"amount", "given_on", "approved_by", "kind"}
    nothing_stored(case)


def test_the_first_petition_day_is_the_local_day(cast):
    # 07:30 in Beijing is still the evening before in UTC: the relief may be given that same local day.
    case = register_case(cast, received="2026-09-01 07:30")
    assert record(cast, case, given_on="2026-09-01").given_on == dt.date(2026, 9, 1)
    with pytest.raises(ValidationError):
        record(cast, case, given_on="2026-08-31")


def test_today_and_typed_numbers_are_accepted(cast, case, frozen_day):
    assert record(cast, case, given_on=frozen_day, amount=300).amount == Decimal("300.00")
    assert record(cast, case, amount="0.01").amount == Decimal("0.01")
    assert record(cast, case, amount=" 1，200.5 ", approval_number="").amount == Decimal("1200.50")


@pytest.mark.parametrize("user", ["office", "leader1", "village1"])
def test_the_office_the_leaders_and_the_village_record(cast, case, user):
    assert record(cast, case, user=user).recorded_by == cast[user]


@pytest.mark.parametrize("user", ["dept1", "grid1", "supervisor", "county"])
def test_read_only_roles_are_refused(cast, case, user):
    from xinfang.org.models import Category

    if user == "dept1":  # a department reads only the cases of its lines
        case.category = Category.objects.filter(lead=cast["dept1"].department).first()
        case.save()
    with pytest.raises(PermissionDenied, match="只能查看救助记录，不能录入"):
        record(cast, case, user=user)
    nothing_stored(case)


@pytest.mark.parametrize("user", ["h_office", "h_village", "village2", "sysadmin", "auditadmin"])
def test_another_town_another_village_and_the_administrators_find_no_case(cast, case, user):
    with pytest.raises(Http404):
        record(cast, case, user=user)
    nothing_stored(case)
