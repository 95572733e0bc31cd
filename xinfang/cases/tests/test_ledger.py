"""The ledger (台账): which cases are prominent, the filters, the Excel export of exactly the rows
shown, and a page cost that does not grow with the rows."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xinfang.audit.models import AuditEvent
from xinfang.cases.models import Case
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.testing import accept_and_assign
from xinfang.cases.transitions import case_accept, case_mark_prominent

pytestmark = pytest.mark.django_db


def register(cast, title, *, village="village1", channel="visit", persons=1, threat=False, case_id=None):
    return petition_register(
        data=PetitionIn(
            channel=channel,
            received_at=timezone.now(),
            petitioner=PetitionerIn(name=f"{title}人", village=cast[village].village),
            title=title,
            content="内容",
            persons_count=persons,
            has_threat=threat,
            case_id=case_id,
        ),
        acting_user=cast["office"],
    ).case


def numbers(response) -> set[str]:
    return {c["number"] for c in response.json()["items"]}


@pytest.fixture
def town_cases(cast):
    plain = register(cast, "普通事项")
    repeat = register(cast, "重复事项")
    register(cast, "重复事项", case_id=repeat.pk)
    group = register(cast, "集体事项", persons=6, village="village2", channel="letter")
    threat = register(cast, "扬言事项", threat=True)
    old = register(cast, "积案事项")
    case_accept(case_id=old.pk, acting_user=cast["office"])
    past = timezone.localdate() - dt.timedelta(days=1)
    # as if accepted 61 days ago: on the ledger as a backlog from the day after its limit
    Case.objects.filter(pk=old.pk).update(handling_due=past, due_on=past, ledger_from=timezone.localdate())
    marked = register(cast, "联席办列入事项")
    case_mark_prominent(case_id=marked.pk, acting_user=cast["office"], reason="涉及面广")
    done = register(cast, "已化解事项", persons=8)
    Case.objects.filter(pk=done.pk).update(state="closed", resolution="resolved")
    return {c.title: Case.objects.get(pk=c.pk) for c in (plain, repeat, group, threat, old, marked, done)}


def test_the_prominent_ledger_holds_what_the_rules_and_the_office_put_there(client_as, town_cases):
    got = numbers(client_as("office").get("/api/v1/cases?view=prominent"))
    want = {town_cases[t].number for t in ("重复事项", "集体事项", "扬言事项", "积案事项", "联席办列入事项")}
    assert got == want  # not the plain case, and the resolved one has left the ledger
    resolved = numbers(client_as("office").get("/api/v1/cases?view=resolved"))
    assert resolved == {town_cases["已化解事项"].number}
    page = client_as("office").get(f"/cases/{town_cases['积案事项'].pk}/").content.decode()
    assert "积案（超过办理期限）" in page


def test_the_filters_narrow_the_ledger(client_as, cast, town_cases):
    office = client_as("office")
    n = {t: c.number for t, c in town_cases.items()}
    assert numbers(office.get("/api/v1/cases?flag=repeat")) == {n["重复事项"]}
    assert numbers(office.get("/api/v1/cases?flag=backlog")) == {n["积案事项"]}
    assert numbers(office.get("/api/v1/cases?channel=letter")) == {n["集体事项"]}
    village2 = cast["village2"].village_id
    assert numbers(office.get(f"/api/v1/cases?village={village2}")) == {n["集体事项"]}
    assert n["已化解事项"] not in numbers(office.get("/api/v1/cases?state=open"))
    assert numbers(office.get("/api/v1/cases?overdue=true")) == {n["积案事项"]}
    assert numbers(office.get("/api/v1/cases?q=扬言")) == {n["扬言事项"]}
    by_due = [c["number"] for c in office.get("/api/v1/cases?sort=due").json()["items"]]
    assert by_due[0] == n["积案事项"]  # the earliest deadline first
    page = office.get("/cases/?view=prominent&flag=threat").content.decode()
    assert n["扬言事项"] in page and n["重复事项"] not in page


def test_the_owner_filter_follows_the_assignment(client_as, cast, town_cases):
    case = town_cases["扬言事项"]
    village = cast["village1"].village
    accept_and_assign(cast, case, plan="上门稳控", override_reason="扬言事项，经 11 月联席会议确定包案领导")
    got = client_as("office").get(f"/api/v1/cases?owner={village.contact_leader_id}").json()
    assert [c["number"] for c in got["items"]] == [case.number]
    assert (
        got["items"][0]["lead_leader"] == village.contact_leader.name
        and got["items"][0]["plan"] == "上门稳控"
    )


def _sheet(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    return rows[2], rows[3:]


def test_the_export_holds_exactly_the_filtered_rows(client_as, cast, town_cases):
    header, rows = _sheet(client_as("office").get("/cases/export.xlsx?view=prominent"))
    assert header[:6] == ("序号", "编号", "信访人", "村（居）", "类别", "信访事项")
    assert "包案领导" in header and "化稳方案" in header and "最新进展" in header
    exported = {r[1] for r in rows}
    api = numbers(client_as("office").get("/api/v1/cases?view=prominent"))
    assert exported == api and len(rows) == 5
    reasons = {r[1]: r[-1] for r in rows}
    assert "集体访" in reasons[town_cases["集体事项"].number]
    assert AuditEvent.objects.filter(event="export", detail__startswith="导出突出问题台账 5 件").exists()


def test_a_village_exports_only_its_own_cases(client_as, cast, town_cases):
    _, rows = _sheet(client_as("village2").get("/cases/export.xlsx"))
    assert {r[1] for r in rows} == {town_cases["集体事项"].number}
    _, rows = _sheet(client_as("h_office").get("/cases/export.xlsx"))
    assert rows == []


def test_ledger_page_and_api_cost_the_same_queries_for_few_or_many_rows(client_as, cast):
    office = client_as("office")
    for i in range(3):
        register(cast, f"事项{i}")
    with CaptureQueriesContext(connection) as few_page:
        assert office.get("/cases/?view=all&sort=due").status_code == 200
    with CaptureQueriesContext(connection) as few_api:
        assert office.get("/api/v1/cases?limit=50").status_code == 200
    for i in range(30):
        register(cast, f"更多事项{i}", channel="letter", persons=6)
    with CaptureQueriesContext(connection) as many_page:
        page = office.get("/cases/?view=all&sort=due").content.decode()
    with CaptureQueriesContext(connection) as many_api:
        assert len(office.get("/api/v1/cases?limit=50").json()["items"]) == 33
    assert page.count("更多事项") >= 27
    assert len(many_page) == len(few_page) <= 14, [q["sql"][:100] for q in many_page.captured_queries]
    assert len(many_api) == len(few_api) <= 10, [q["sql"][:100] for q in many_api.captured_queries]
