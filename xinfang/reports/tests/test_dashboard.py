"""The dashboard: every number on it is a link, and the list it opens holds exactly that many."""

import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="([^"]+)"[^>]*?data-count="(\d+)"')


def links(page: str) -> list[tuple[str, int]]:
    return [(html.unescape(url), int(n)) for url, n in LINK.findall(page)]


def opened_count(client, url: str) -> int:
    """The count of the list behind a link: the page's paginator (every page of it), and for a ledger
    link the cases API with the same filters, for a metric page its drill API."""
    response = client.get(url)
    assert response.status_code == 200, url
    count = response.context["page"].paginator.count
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if parts.path == "/cases/":
        api = client.get("/api/v1/cases", query | {"limit": 1})
        assert api.json()["count"] == count, url
    if parts.path.startswith("/metrics/"):
        key = parts.path.strip("/").split("/")[1]
        api = client.get(f"/api/v1/metrics/{key}/items", query)
        assert api.status_code == 200, (url, api.content[:300])
        assert api.json()["count"] == count, url
    return count


def check_every_number(client, url: str) -> int:
    page = client.get(url)
    assert page.status_code == 200
    found = links(page.content.decode())
    for target, number in found:
        assert opened_count(client, target) == number, (target, number)
    return len(found)


@pytest.mark.parametrize(
    "query",
    ["", "?period=year", "?period=quarter", "?period=range&from=2025-11-01&to=2026-02-28"],
)
def test_every_number_on_the_office_s_dashboard_opens_a_list_of_that_many(history, client_as, query):
    client = client_as("office")
    assert check_every_number(client, f"/reports/dashboard/{query}") > 20


def test_a_unit_narrows_every_number_and_its_list(history, client_as):
    village = history["village1"].village
    client = client_as("office")
    assert check_every_number(client, f"/reports/dashboard/?period=year&village={village.pk}") > 10
    line = history["dept1"].department
    assert check_every_number(client, f"/reports/dashboard/?period=year&line={line.pk}") > 10


def test_a_village_sees_its_own_and_nothing_of_another(history, client_as):
    client = client_as("village1")
    assert check_every_number(client, "/reports/dashboard/?period=year") > 10
    other = history["village2"].village
    assert client.get(f"/reports/dashboard/?village={other.pk}").status_code == 404
    hetang = history["h_village"].village
    assert client_as("office").get(f"/reports/dashboard/?village={hetang.pk}").status_code == 404


def test_the_county_sees_its_towns_side_by_side(history, client_as):
    client = client_as("county")
    page = client.get("/reports/dashboard/?period=year").content.decode()
    assert 'id="dashboard-towns"' in page and 'id="dashboard-town-metrics"' in page
    assert history["office"].town.name in page and history["h_office"].town.name in page
    assert check_every_number(client, "/reports/dashboard/?period=year") > 10
    town = history["h_office"].town
    assert check_every_number(client, f"/reports/dashboard/?period=year&town={town.pk}") > 10


def test_the_grid_worker_and_the_administrators_have_no_dashboard(cast, client_as):
    for who in ("grid1", "sysadmin", "secadmin", "auditadmin"):
        assert client_as(who).get("/reports/dashboard/").status_code == 403


def test_a_bad_period_is_explained_in_chinese_and_the_month_shown(cast, client_as):
    page = client_as("office").get("/reports/dashboard/?period=range&from=2026-05-01&to=2026-04-01")
    assert page.status_code == 200
    assert "截止日期不能早于起始日期" in page.content.decode()
    for bad in ("?period=month&month=13", "?period=week", "?period=range&from=x&to=y"):
        assert client_as("office").get(f"/reports/dashboard/{bad}").status_code == 200
    assert client_as("office").get("/reports/dashboard/?village=abc").status_code == 404


def test_the_chart_data_comes_as_json_and_no_inline_script(history, client_as):
    page = client_as("office").get("/reports/dashboard/?period=year").content.decode()
    assert '<script id="dashboard-data" type="application/json">' in page
    assert re.findall(r"<script(?![^>]*(src=|type=\"application/json\"))", page) == []
    assert "vendor/echarts/echarts.min.js" in page


def test_the_numbers_kept_for_a_minute_are_counted_again_as_soon_as_anything_happens(history, client_as):
    from xinfang.demo.history import history_generate

    client = client_as("office")
    before = dict((u, n) for u, n in links(client.get("/reports/dashboard/").content.decode()))
    office = history["office"]
    history_generate(town=office.town, clerk=office, cases=7, days=1, seed=99, workers=1)
    page = client.get("/reports/dashboard/").content.decode()
    after = dict(links(page))
    received = next(u for u in after if "received_from" in u and "category" not in u and "village" not in u)
    assert after[received] >= before[received] + 7 - 1  # a case received just before midnight is yesterday's
    assert opened_count(client, received) == after[received]


@pytest.mark.parametrize("who", ["leader1", "dept1", "supervisor"])
def test_every_number_opens_its_list_for_the_other_readers_too(history, client_as, who):
    assert check_every_number(client_as(who), "/reports/dashboard/?period=year") > 10


def test_the_monthly_line_is_the_ledger_s_count_of_each_month(history, today):
    import calendar
    import datetime as dt

    from xinfang.reports import selectors

    office = history["office"]
    trend = selectors.monthly_intake(office, selectors.Unit(), today.year)
    for year, values in ((today.year, trend["this_year"]), (today.year - 1, trend["last_year"])):
        for m, value in enumerate(values, start=1):
            start, end = dt.date(year, m, 1), dt.date(year, m, calendar.monthrange(year, m)[1])
            assert value == selectors.ledger_count(
                office, {"received_from": start, "received_to": end}, today
            )
    assert sum(trend["this_year"]) > 50
