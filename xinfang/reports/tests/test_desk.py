"""The office's desk: every number opens a list, and that list holds exactly that many."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from xinfang.reports import selectors

pytestmark = pytest.mark.django_db


def list_count(client, url: str) -> int:
    """How many rows the page a number links to lists (its paginator's count, all pages); a ledger
    link is also asked of the cases API with the same filters."""
    response = client.get(url)
    assert response.status_code == 200, url
    count = response.context["page"].paginator.count
    parts = urlsplit(url)
    if parts.path == "/cases/":
        api = client.get("/api/v1/cases", dict(parse_qsl(parts.query)) | {"limit": 1})
        assert api.status_code == 200, api.content
        assert api.json()["count"] == count, url
    return count


def test_each_desk_number_equals_the_list_it_opens(history, client_as, today):
    office = history["office"]
    client = client_as("office")
    items = selectors.desk(user=office, today=today)
    assert {i.key for i in items} >= {
        "intake",
        "overdue",
        "due_week",
        "submitted",
        "alerts_unread",
    }
    assert any(i.count for i in items if i.url.startswith("/cases/")), "the history gives the desk something"
    for item in items:
        assert list_count(client, item.url) == item.count, item
    page = client.get("/").content.decode()
    for item in items:
        assert f'id="desk-{item.key}" data-count="{item.count}"' in page
    # The notices' card on the desk: each number opens the inbox filtered to exactly those.
    notices = re.findall(r'href="(/notices/\?(?:pending|overdue)=1)">[^<]*<strong>(\d+)</strong>', page)
    assert len(notices) == 2
    for url, n in notices:
        assert list_count(client, url) == int(n), url


def test_the_desk_counts_only_the_office_s_own_town(history, client_as, today):
    fenjie = selectors.desk(user=history["office"], today=today)
    hetang = selectors.desk(user=history["h_office"], today=today)
    overdue = {i.key: i.count for i in fenjie}["overdue"]
    from xinfang.cases.models import Case
    from xinfang.cases.rules import in_hand_q

    expected = Case.objects.filter(in_hand_q(today), town=history["office"].town, due_on__lt=today).count()
    assert overdue == expected
    assert {i.key: i.count for i in hetang}["overdue"] == Case.objects.filter(
        in_hand_q(today), town=history["h_office"].town, due_on__lt=today
    ).count()


def test_other_roles_keep_their_home_pages(history, client_as):
    assert "我包案的信访事项" in client_as("leader1").get("/").content.decode()
    assert 'id="office-desk"' not in client_as("village1").get("/").content.decode()
