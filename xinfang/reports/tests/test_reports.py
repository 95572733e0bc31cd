"""The reports: asked for, made in the background (huey immediate in tests), listed and downloaded by
their owner only; the files opened and their tables checked against the dashboard's numbers."""

import io
import json

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from xinfang.cases.exports import COLUMNS, HEADER_ROW
from xinfang.cases.selectors import ledger
from xinfang.reports import metrics_cards, selectors
from xinfang.reports.models import ReportJob
from xinfang.reports.periods import month, quarter, year

pytestmark = pytest.mark.django_db


def ask(client, **body):
    return client.post("/api/v1/reports", body, content_type="application/json")


def download(client, job_id) -> bytes:
    response = client.get(f"/api/v1/reports/{job_id}/file")
    assert response.status_code == 200, response.content[:200]
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content)


def tables(doc) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def test_the_excel_ledger_has_the_town_s_columns_and_every_case_of_the_scope(history, client_as, report_dir):
    client = client_as("office")
    response = ask(client, kind="ledger", view="prominent")
    assert response.status_code == 201, response.content
    job = response.json()
    assert job["status"] == "done" and job["progress"] == 100 and job["download"]
    book = load_workbook(io.BytesIO(download(client, job["id"])), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert [c for c in rows[HEADER_ROW][1:]] == [name for name, _ in COLUMNS[1:]]
    numbers = {r[1] for r in rows[HEADER_ROW + 1 :] if r[1]}
    expected = set(
        ledger(user=history["office"], filters={"view": "prominent"}, today=timezone.localdate()).values_list(
            "number", flat=True
        )
    )
    assert numbers == expected and len(expected) > 10


def test_a_village_s_ledger_holds_only_its_own_cases(history, client_as, report_dir):
    client = client_as("village1")
    job = ask(client, kind="ledger").json()
    book = load_workbook(io.BytesIO(download(client, job["id"])), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))[HEADER_ROW + 1 :]
    village = history["village1"].village.name
    assert rows and {r[3] for r in rows} == {village}


@pytest.mark.parametrize(
    ("kind", "params", "period"),
    [
        ("bulletin", {"year": 2026, "month": 11}, month(2026, 11)),
        ("quarterly", {"year": 2026, "quarter": 3}, quarter(2026, 3)),
        ("annual", {"year": 2026}, year(2026)),
    ],
)
def test_the_word_reports_tables_are_the_metrics_and_the_ledger_s_numbers(
    history, client_as, report_dir, kind, params, period, time_machine
):
    time_machine.move_to("2026-12-03 10:00:00+08:00", tick=False)
    office = history["office"]
    client = client_as("office")
    job = ask(client, kind=kind, **params).json()
    assert job["status"] == "done", job
    doc = Document(io.BytesIO(download(client, job["id"])))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert period.label in text
    found = tables(doc)
    # The targets' table: one row per metric, its value, target, last year's and status as the engine says.
    targets = next(t for t in found if t[0] == ["类别", "指标", "本期", "目标", "去年同期", "状态"])
    cards = [c for _, group in metrics_cards.grouped(office, period, selectors.Unit()) for c in group]
    assert [r[1:] for r in targets[1:]] == [[c.name, c.value, c.target, c.last_year, c.status] for c in cards]
    assert len(cards) >= 20
    # The categories' table: each count is the ledger's for that category and period.
    cats = next(t for t in found if t[0][:3] == ["类别", "本期（件）", "去年同期（件）"])
    expected = selectors.categories(office, period, selectors.Unit(), timezone.localdate())
    assert [(r[0], int(r[1])) for r in cats[1:]] == [(c.label, c.count) for c in expected]
    for c in expected:
        assert client.get(c.url).context["page"].paginator.count == c.count
    # The overview's count is the ledger's count of the period.
    received = selectors.ledger_count(
        office, {"received_from": period.start, "received_to": period.end}, timezone.localdate()
    )
    assert f"新收信访事项 {received} 件" in text
    # Charts are pictures in the document.
    assert any(r.reltype.endswith("/image") for r in doc.part.rels.values())
    if kind == "annual":
        for heading in (
            "信访事项的数据统计",
            "信访事项涉及领域",
            "被投诉较多的机关、单位",
            "转送、交办、督办情况",
            "被采纳情况",
        ):
            assert heading in text


def test_a_job_is_its_owner_s_alone(history, client_as, report_dir):
    mine = ask(client_as("office"), kind="ledger").json()
    other = client_as("leader1")
    assert other.get(f"/api/v1/reports/{mine['id']}").status_code == 404
    assert other.get(f"/api/v1/reports/{mine['id']}/file").status_code == 404
    assert other.get(f"/reports/jobs/{mine['id']}/download/").status_code == 404
    assert other.post(f"/reports/jobs/{mine['id']}/delete/").status_code == 404
    assert other.get("/api/v1/reports").json() == {"items": [], "count": 0}
    hetang = client_as("h_office")
    assert hetang.get(f"/api/v1/reports/{mine['id']}").status_code == 404
    listed = client_as("office").get("/api/v1/reports").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == mine["id"]


@pytest.mark.parametrize(
    ("who", "kind", "allowed"),
    [
        ("office", "annual", True),
        ("leader1", "quarterly", True),
        ("supervisor", "bulletin", True),
        ("county", "annual", True),
        ("village1", "ledger", True),
        ("dept1", "ledger", True),
        ("village1", "bulletin", False),
        ("dept1", "annual", False),
        ("grid1", "quarterly", False),
    ],
)
def test_who_may_make_which_report(cast, client_as, report_dir, who, kind, allowed):
    params = (
        {"year": 2026}
        | ({"month": 1} if kind == "bulletin" else {})
        | ({"quarter": 1} if kind == "quarterly" else {})
    )
    response = ask(client_as(who), kind=kind, **({} if kind == "ledger" else params))
    assert response.status_code == (201 if allowed else 403), response.content
    if not allowed:
        assert "不能生成" in response.json()["detail"]
        assert not ReportJob.objects.exists()


def test_the_administrators_have_no_reports(cast, client_as, report_dir):
    for who in ("sysadmin", "secadmin", "auditadmin"):
        assert ask(client_as(who), kind="ledger").status_code in (401, 403)
        assert client_as(who).get("/reports/").status_code == 403


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"kind": "bulletin", "year": 2026, "month": 13}, "month"),
        ({"kind": "weekly"}, "kind"),
        ({"kind": "bulletin", "year": 1999, "month": 1}, "year"),
        ({"kind": "ledger", "view": "x" * 5000}, "view"),
        ({"kind": "annual", "year": 2099}, "报告期间尚未开始"),
    ],
)
def test_bad_input_is_refused_in_chinese(cast, client_as, report_dir, body, message):
    response = ask(client_as("office"), **body)
    assert response.status_code == 422
    assert message in json.dumps(response.json(), ensure_ascii=False)
    assert "输入有误" in response.json()["detail"]


def test_the_page_shows_progress_until_done_then_the_download(cast, client_as, report_dir):
    client = client_as("office")
    page = client.get("/reports/").content.decode()
    for code in ("ledger", "bulletin", "quarterly", "annual"):
        assert f'id="report-{code}"' in page
    response = client.post("/reports/new/", {"kind": "bulletin", "year": "2026", "month": "1"}, follow=True)
    assert "已申请" in response.content.decode()
    job = ReportJob.objects.get()
    assert job.status == "done" and job.file and job.size > 10000
    row = client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert "hx-trigger" not in row and "下载" in row  # a finished row stops polling
    ReportJob.objects.filter(pk=job.pk).update(status="running", progress=40, step="绘制图表")
    row = client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in row and "40%" in row and "绘制图表" in row
    ReportJob.objects.filter(pk=job.pk).update(status="done")
    assert client.get(f"/reports/jobs/{job.pk}/download/")["Content-Disposition"].startswith("attachment")
    client.post(f"/reports/jobs/{job.pk}/delete/")
    assert not ReportJob.objects.exists()
    bad = client.post("/reports/new/", {"kind": "quarterly", "year": "2026", "quarter": "9"})
    assert bad.status_code == 400 and "季度应为 1–4 的整数" in bad.content.decode()


def test_a_failing_report_says_so(cast, client_as, report_dir, monkeypatch):
    from xinfang.reports import documents

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(documents, "word_report", broken)
    job = ask(client_as("office"), kind="annual", year=2025).json()
    assert job["status"] == "failed" and "生成失败" in job["error"] and job["download"] is None


def test_at_most_three_reports_wait_at_once(cast, client_as, report_dir):
    office = cast["office"]
    for _ in range(3):
        ReportJob.objects.create(
            town=office.town, kind="ledger", title="x", created_by=office, status="running"
        )
    response = ask(client_as("office"), kind="ledger")
    assert response.status_code == 422 and "正在生成" in response.json()["detail"]
