"""The pages: each role's view, writes refused to the wrong roles, scope leaks as 404, bad input
kept in the form with a Chinese message."""

import pytest

from xinfang.screening import services
from xinfang.screening.models import Assessment, ScreeningItem, ScreeningRound, UnitReport

from .conftest import ID_A, at, item, report_of

READERS = ["office", "leader1", "dept1", "village1", "grid1", "supervisor", "county"]


@pytest.fixture
def found(cast, rnd):
    with at("2026-05-06 09:00"):
        services.report_submit(
            acting_user=cast["village1"],
            report_id=report_of(rnd, cast["village1"]).pk,
            items=[item(person_name="钱某某", person_id_number=ID_A)],
        )
        services.report_submit(
            acting_user=cast["grid1"], report_id=report_of(rnd, cast["grid1"]).pk, zero=True
        )
    return ScreeningItem.objects.get()


@pytest.mark.parametrize("username", READERS)
def test_every_work_role_reads_the_pages(client_as, rnd, found, username):
    c = client_as(username)
    for url in (
        "/screening/rounds/",
        f"/screening/rounds/{rnd.pk}/",
        f"/screening/rounds/{rnd.pk}/cross/",
        "/screening/assessments/",
        "/screening/assessments/missing/",
    ):
        response = c.get(url)
        assert response.status_code == 200, (url, response.status_code)
    assert "排查" in c.get("/").content.decode()


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_have_no_screening_pages(client_as, rnd, username):
    assert client_as(username).get("/screening/rounds/").status_code == 403
    assert client_as(username).get(f"/screening/rounds/{rnd.pk}/").status_code == 403


def test_round_page_marks_missing_units_after_the_due_day(client_as, cast, rnd, found):
    with at("2026-05-11 09:00"):
        html = client_as("office").get(f"/screening/rounds/{rnd.pk}/").content.decode()
    assert "漏报单位" in html and cast["village2"].village.name in html
    assert "零报告" in html and found.title in html
    with at("2026-05-09 09:00"):
        html = client_as("office").get(f"/screening/rounds/{rnd.pk}/").content.decode()
    assert "漏报单位" not in html


def test_office_opens_a_round_on_the_page_and_bad_input_is_kept(client_as, cast):
    c = client_as("office")
    bad = c.post(
        "/screening/rounds/",
        {
            "name": "五月集中排查",
            "kind": "campaign",
            "start": "2026-05-04",
            "end": "2026-05-01",
            "due": "2026-05-10",
            "units": ["village"],
        },
    )
    html = bad.content.decode()
    assert bad.status_code == 200 and "早于开始日期" in html and 'value="五月集中排查"' in html
    assert not ScreeningRound.objects.exists()
    ok = c.post(
        "/screening/rounds/",
        {
            "name": "五月集中排查",
            "kind": "campaign",
            "start": "2026-05-04",
            "end": "2026-05-10",
            "due": "2026-05-10",
            "units": ["village"],
        },
    )
    rnd = ScreeningRound.objects.get()
    assert ok.status_code == 302 and ok["Location"].endswith(f"/screening/rounds/{rnd.pk}/")
    # Only the villages were asked, as chosen.
    assert set(UnitReport.objects.filter(round=rnd).values_list("unit_kind", flat=True)) == {"village"}


@pytest.mark.parametrize("username", ["leader1", "dept1", "village1", "grid1", "supervisor", "county"])
def test_only_the_office_opens_rounds_on_the_page(client_as, username):
    r = client_as(username).post(
        "/screening/rounds/",
        {"name": "x", "start": "2026-05-04", "end": "2026-05-10", "due": "2026-05-10", "kind": "campaign"},
    )
    assert r.status_code == 403
    assert not ScreeningRound.objects.exists()


def test_grid_worker_reports_zero_in_one_tap(client_as, cast, rnd):
    c = client_as("grid1")
    form = c.get(f"/screening/rounds/{rnd.pk}/report/").content.decode()
    assert "一键报送零报告" in form
    r = c.post(f"/screening/rounds/{rnd.pk}/report/", {"action": "zero"})
    assert r.status_code == 302
    rep = report_of(rnd, cast["grid1"])
    assert rep.is_zero and rep.reporter == cast["grid1"]


def test_report_form_keeps_what_was_typed(client_as, cast, rnd):
    c = client_as("village1")
    r = c.post(
        f"/screening/rounds/{rnd.pk}/report/",
        {
            "action": "item",
            "kind": "dispute",
            "title": "灌溉用水纠纷",
            "description": "两组争水",
            "risk_level": "",
            "person_name": "钱某某",
            "person_id_number": "123",
            "persons_count": "2",
        },
    )
    html = r.content.decode()
    assert (
        r.status_code == 200 and "风险等级" in html and 'value="灌溉用水纠纷"' in html and "两组争水" in html
    )
    assert not ScreeningItem.objects.exists()
    r = c.post(
        f"/screening/rounds/{rnd.pk}/report/",
        {
            "action": "item",
            "kind": "dispute",
            "title": "灌溉用水纠纷",
            "description": "两组争水",
            "risk_level": "low",
            "person_name": "",
            "persons_count": "2",
        },
    )
    assert r.status_code == 302 and ScreeningItem.objects.get().persons_count == 2


@pytest.mark.parametrize("username", ["office", "leader1", "supervisor", "county"])
def test_readers_have_no_report_form(client_as, rnd, username):
    assert client_as(username).get(f"/screening/rounds/{rnd.pk}/report/").status_code == 403
    assert (
        client_as(username).post(f"/screening/rounds/{rnd.pk}/report/", {"action": "zero"}).status_code == 403
    )
    assert not UnitReport.objects.exclude(submitted_at=None).exists()


def test_scope_leaks_are_404(client_as, rnd, found):
    assert client_as("village2").get(f"/screening/items/{found.pk}/").status_code == 404
    assert client_as("h_office").get(f"/screening/rounds/{rnd.pk}/").status_code == 404
    assert client_as("h_office").get(f"/screening/items/{found.pk}/").status_code == 404
    assert (
        client_as("h_office")
        .post(f"/screening/items/{found.pk}/outcome/", {"action": "close", "reason": "无"})
        .status_code
        == 404
    )
    assert client_as("village1").get(f"/screening/items/{found.pk}/").status_code == 200
    # A village's round page lists no other village's units nor items.
    html = client_as("village2").get(f"/screening/rounds/{rnd.pk}/").content.decode()
    assert found.title not in html


def test_item_page_converts_in_one_step_and_masks(client_as, cast, found):
    html = client_as("leader1").get(f"/screening/items/{found.pk}/").content.decode()
    assert ID_A not in html and ID_A[-4:] in html and "转为信访事项" not in html
    for username in ("leader1", "village1", "grid1", "dept1", "supervisor"):
        r = client_as(username).post(
            f"/screening/items/{found.pk}/outcome/", {"action": "close", "reason": "无"}
        )
        assert r.status_code == 403
    c = client_as("office")
    assert ID_A in c.get(f"/screening/items/{found.pk}/").content.decode()
    bad = c.post(f"/screening/items/{found.pk}/outcome/", {"action": "close", "reason": ""})
    assert bad.status_code == 422 and "销号理由" in bad.content.decode()
    r = c.post(
        f"/screening/items/{found.pk}/outcome/",
        {"action": "key_person", "level": "high", "reasons": "扬言上访"},
    )
    assert r.status_code == 302
    found.refresh_from_db()
    assert found.outcome == "key_person" and found.key_person.level == "high"


def test_assessment_pages_record_and_escalate(client_as, cast, found):
    c = client_as("village1")
    bad = c.post(
        f"/screening/assessments/new/?item={found.pk}",
        {
            "item": found.pk,
            "risk_level": "medium",
            "conclusion": "",
            "next_step": "入户调解",
            "participants": "村两委",
        },
    )
    assert bad.status_code == 422 and "入户调解" in bad.content.decode()
    r = c.post(
        "/screening/assessments/new/",
        {
            "item": found.pk,
            "risk_level": "medium",
            "conclusion": "可控",
            "next_step": "入户调解",
            "participants": "村两委",
        },
    )
    a = Assessment.objects.get()
    assert r.status_code == 302 and a.level == "village"
    assert client_as("village2").get(f"/screening/assessments/{a.pk}/").status_code == 404
    # The grid worker does not see the village's own assessment; a leader sees it but does not hold it.
    assert (
        client_as("grid1")
        .post(f"/screening/assessments/{a.pk}/", {"action": "escalate", "reason": "x"})
        .status_code
        == 404
    )
    assert (
        client_as("leader1")
        .post(f"/screening/assessments/{a.pk}/", {"action": "escalate", "reason": "x"})
        .status_code
        == 403
    )
    assert not Assessment.objects.filter(escalated_from=a).exists()
    r = c.post(
        f"/screening/assessments/{a.pk}/",
        {"action": "escalate", "reason": "需条线研判", "department": cast["dept1"].department_id},
    )
    assert r.status_code == 302
    line = Assessment.objects.get(escalated_from=a)
    assert line.status == "pending" and line.department_id == cast["dept1"].department_id
    html = client_as("dept1").get("/screening/assessments/").content.decode()
    assert "待本单位研判" in html
    for username in ("leader1", "supervisor", "county"):
        assert client_as(username).get("/screening/assessments/new/").status_code == 403
