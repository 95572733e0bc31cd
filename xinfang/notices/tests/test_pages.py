"""The inbox, the case page's card, the navigation and the counts on the home pages."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinfang.notices.services import notice_acknowledge

from .conftest import SENT, assign, at, notices_of, register

pytestmark = pytest.mark.django_db
LATER = SENT + dt.timedelta(hours=5)


def test_the_inbox_lists_pending_notices_first_with_the_button(client_as, cast):
    first = assign(cast, register(cast, title="第一件"))
    second = assign(cast, register(cast, title="第二件"), moment=SENT + dt.timedelta(hours=1))
    with at(LATER):
        notice_acknowledge(notice_id=notices_of(first)["village"].pk, acting_user=cast["village1"])
        page = client_as("village1").get("/notices/").content.decode()
    assert page.index("第二件") < page.index("第一件")  # the pending one first
    assert page.count(">签收</button>") == 1
    assert "剩 20 小时" in page and "发出后 5 小时 签收" in page
    assert "镇建设和生态环境局" not in page.split("<tbody>")[1]  # the line's notices are not the village's
    assert second.number in page


def test_the_office_sees_every_notice_without_the_button(client_as, cast, assigned):
    with at(LATER):
        page = client_as("office").get("/notices/").content.decode()
    assert "镇建设和生态环境局" in page and cast["village1"].village.name in page
    assert page.count("待签收</span>") == 2 and ">签收</button>" not in page


def test_the_inbox_is_for_the_units_the_office_and_the_supervisors(client_as):
    for username in ("office", "village1", "dept1", "supervisor"):
        assert client_as(username).get("/notices/").status_code == 200
        assert 'href="/notices/"' in client_as(username).get("/").content.decode()
    for username in ("leader1", "grid1", "county"):
        assert client_as(username).get("/notices/").status_code == 403


def test_the_supervisor_reads_every_notice_and_the_late_ones_but_signs_none(client_as, cast):
    case = assign(cast, register(cast, title="督查要看的事项"))
    with at(SENT + dt.timedelta(hours=30)):
        page = client_as("supervisor").get("/notices/").content.decode()
        late = client_as("supervisor").get("/notices/?overdue=1").content.decode()
        refused = client_as("supervisor").post(f"/notices/{notices_of(case)['village'].pk}/acknowledge/")
    assert case.number in page and "督查只读" in page
    assert "镇建设和生态环境局" in page and cast["village1"].village.name in page  # units, as the office
    assert "超时未签收（2 件）" in page and case.number in late
    assert ">签收</button>" not in page and ">签收</button>" not in late
    assert refused.status_code == 403
    assert notices_of(case)["village"].acknowledged_at is None


def test_the_case_page_shows_the_notices_with_their_status(
    client_as, cast, assigned, village_notice, line_notice
):
    with at(SENT + dt.timedelta(hours=1)):
        notice_acknowledge(notice_id=village_notice.pk, acting_user=cast["village1"])
    with at(SENT + dt.timedelta(hours=30)):
        page = client_as("office").get(f"/cases/{assigned.pk}/").content.decode()
        own = client_as("dept1").get(f"/cases/{assigned.pk}/").content.decode()
    card = page.split('id="notices"')[1].split('id="opinion"')[0]
    assert "已签收</span>" in card and "2026-08-04 11:00 村干部示例一 签收" in card
    assert "超时未签收</span>" in card and "超时 6 小时" in card
    assert f"/notices/{village_notice.pk}/document.docx" in card
    assert f"/notices/{line_notice.pk}/document.docx" in card
    assert ">签收</button>" not in card
    assert f'action="/notices/{line_notice.pk}/acknowledge/"' in own  # dept1 signs the line notice there
    assert "发送交办单" in page and "签收交办单" in page  # the timeline


def _home_queries(client) -> int:
    # The office's desk keeps its case counts until something changes (reports.selectors.desk): each
    # measure starts without them, so that it is the same work whatever happened before.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_home_pages_count_the_notices_at_a_constant_cost(client_as, cast):
    clients = {u: client_as(u) for u in ("office", "village1", "dept1")}
    assign(cast, register(cast, title="第一件"))  # every list on the home page has a row: the baseline
    for client in clients.values():
        client.get("/")  # the session and the first-visit work out of the way
    before = {u: _home_queries(c) for u, c in clients.items()}
    for n in range(3):
        assign(cast, register(cast, title=f"事项{n}"))
    with at(SENT + dt.timedelta(hours=25)):
        after = {u: _home_queries(c) for u, c in clients.items()}
        office = clients["office"].get("/").content.decode()
        village = clients["village1"].get("/").content.decode()
        department = clients["dept1"].get("/").content.decode()
    assert after == before
    assert "待签收交办单 <strong>8</strong> 件" in office and "超时未签收 <strong>8</strong> 件" in office
    assert (
        "待签收交办单 <strong>4</strong> 件" in village and "其中超时未签收 <strong>4</strong> 件" in village
    )
    assert "待签收交办单 <strong>4</strong> 件" in department
