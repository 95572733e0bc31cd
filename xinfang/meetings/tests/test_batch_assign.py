"""集中交办 (cases.batch): the office assigns a selection; each case on its own."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xinfang.cases.batch import batch_assign, batch_candidates
from xinfang.cases.choices import CaseState
from xinfang.cases.models import Case
from xinfang.cases.tests.test_accusations import accuse
from xinfang.cases.transitions import case_accept
from xinfang.notices.models import AssignmentNotice

from .factories import register


def _accepted(cast, **kw) -> Case:
    case = register(cast, **kw)
    return case_accept(case_id=case.pk, acting_user=cast["office"])


def _mixed(cast, hetang_case):
    office = cast["office"]
    fine = _accepted(cast, title="可以交办")
    waiting = _accepted(cast, threat=True, title="待联席会议")
    stale = _accepted(cast, title="他人刚修改")
    registered = register(cast, title="尚未受理")
    accused_leader = office.town.accusation_leader
    accusation = accuse(cast, accused_persons=[accused_leader])
    case_accept(case_id=accusation.pk, acting_user=office)
    accusation.refresh_from_db()
    return fine, waiting, stale, registered, accusation


def test_a_batch_with_mixed_outcomes(cast, hetang):
    office = cast["office"]
    theirs = Case.objects.filter(town=hetang).first()
    fine, waiting, stale, registered, accusation = _mixed(cast, theirs)
    candidates = {c.case.pk: c for c in batch_candidates(user=office)}
    assert candidates[waiting.pk].problem == "待联席会议确定包案领导"
    assert candidates[fine.pk].problem == ""
    assert registered.pk not in candidates
    items = [
        (fine.pk, fine.version),
        (waiting.pk, waiting.version),
        (stale.pk, stale.version - 1 if stale.version > 1 else 99),
        (registered.pk, registered.version),
        (accusation.pk, accusation.version),
        (999999999, None),
    ]
    outcomes = {o.case_id: o for o in batch_assign(acting_user=office, items=items)}
    assert outcomes[fine.pk].assigned and outcomes[fine.pk].lead_leader
    assert Case.objects.get(pk=fine.pk).state == CaseState.ASSIGNED
    assert AssignmentNotice.objects.filter(case=fine).exists()
    assert "联席会议确定" in outcomes[waiting.pk].reason
    assert "已被他人修改" in outcomes[stale.pk].reason
    assert "不能交办" in outcomes[registered.pk].reason
    assert "包案领导" in outcomes[accusation.pk].reason
    assert outcomes[999999999].reason == "事项不存在或无权查看。"
    for case in (waiting, stale, registered, accusation):
        assert Case.objects.get(pk=case.pk).state != CaseState.ASSIGNED
    assert not AssignmentNotice.objects.filter(case__in=[waiting, stale, accusation]).exists()


@pytest.mark.parametrize("who", ["leader1", "dept1", "village1", "supervisor", "county"])
def test_only_the_office_assigns_in_a_batch(cast, client_as, who):
    case = _accepted(cast)
    with pytest.raises(PermissionDenied):
        batch_assign(acting_user=cast[who], items=[(case.pk, None)])
    response = client_as(who).post(
        "/api/v1/cases/batch-assign", {"items": [{"case": case.pk}]}, content_type="application/json"
    )
    assert response.status_code == 403
    assert client_as(who).get("/cases/batch-assign/").status_code == 403
    assert Case.objects.get(pk=case.pk).state == CaseState.ACCEPTED


def test_the_api_and_the_page(cast, client_as):
    fine = _accepted(cast, title="接口交办")
    waiting = _accepted(cast, threat=True)
    response = client_as("office").post(
        "/api/v1/cases/batch-assign",
        {"items": [{"case": fine.pk, "version": fine.version}, {"case": waiting.pk}]},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["assigned"], body["refused"]) == (2, 1, 1)
    assert [i["assigned"] for i in body["items"]] == [True, False]
    assert (
        client_as("office")
        .post("/api/v1/cases/batch-assign", {"items": []}, content_type="application/json")
        .status_code
        == 422
    )
    assert (
        client_as("office")
        .post("/api/v1/cases/batch-assign", {"items": [{"case": 1}] * 201}, content_type="application/json")
        .status_code
        == 422
    )

    another = _accepted(cast, title="页面交办")
    page = client_as("office").get("/cases/batch-assign/").content.decode()
    assert (
        f'value="{another.pk}:{another.version}" id="batch-{another.pk}" '
        f'aria-label="选择{another.number}" checked' in page
    )
    assert "待联席会议确定包案领导" in page
    done = client_as("office").post(
        "/cases/batch-assign/",
        {"case": [f"{another.pk}:{another.version}", f"{waiting.pk}:{waiting.version}", "junk"]},
    )
    text = done.content.decode()
    assert "已交办 1 件" in text and "1 件未能交办" in text
    assert Case.objects.get(pk=another.pk).state == CaseState.ASSIGNED
    empty = client_as("office").post("/cases/batch-assign/", {})
    assert "请至少选择一件事项" in empty.content.decode()


def test_too_many_or_none(cast):
    with pytest.raises(ValidationError):
        batch_assign(acting_user=cast["office"], items=[])
    with pytest.raises(ValidationError):
        batch_assign(acting_user=cast["office"], items=[(i, None) for i in range(1, 300)])
