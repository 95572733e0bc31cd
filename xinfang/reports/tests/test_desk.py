"""The office's desk: every number opens a list, and that list holds exactly that many."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine

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
        if item.key == "missing_reports":
            continue
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


def test_the_desk_s_missing_reports_equal_the_rounds_list(cast, client_as):
    """A round due yesterday in which one village reported: every other unit is on the desk, and the
    rounds list says the same number for that round."""
    import datetime as dt

    from django.utils import timezone

    from xinfang.screening.models import UnitReport
    from xinfang.screening.services import report_submit, round_create

    today = timezone.localdate()
    rnd = round_create(
        acting_user=cast["office"],
        name="上周集中排查",
        start=today - dt.timedelta(days=7),
        end=today - dt.timedelta(days=1),
        due=today - dt.timedelta(days=1),
    )
    village1 = cast["village1"]
    own = UnitReport.objects.get(round=rnd, unit_kind="village", village_id=village1.village_id)
    with time_machine.travel(today - dt.timedelta(days=2), tick=False):
        report_submit(acting_user=village1, report_id=own.pk, zero=True)
    desk = {i.key: i for i in selectors.desk(user=cast["office"], today=today)}
    expected = UnitReport.objects.filter(round=rnd).count() - 1
    assert desk["missing_reports"].count == expected
    page = client_as("office").get(desk["missing_reports"].url)
    [shown] = [r for r in page.context["rounds"] if r.pk == rnd.pk]
    assert shown.counts["missing"] == expected
