"""A relief is seen exactly when its case is: by every member of the cast, page and API."""

import pytest
from django.db.models import Sum

from xinfang.org.models import Category
from xinfang.relief.models import Relief

from .conftest import record, register_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def given(cast):
    """One relief on a case of each of two villages of 分界镇 (one in a department's line) and one in
    荷塘镇, each with its own amount and approver to look for."""
    dept_line = Category.objects.filter(lead=cast["dept1"].department).first()
    cases = [
        register_case(cast, village_of="village1", category=dept_line),
        register_case(cast, village_of="village2"),
        register_case(cast, user="h_office", village_of="h_village"),
    ]
    users = ["office", "office", "h_office"]
    return [
        record(cast, c, user=u, amount=f"{1111 * (i + 1)}", approved_by=f"批准人{i}号")
        for i, (c, u) in enumerate(zip(cases, users, strict=True))
    ]


def test_every_user_sees_a_relief_exactly_when_they_see_its_case(cast, client_as, given):
    problems = []
    for username in sorted(cast):
        client = client_as(username)
        for relief in given:
            case_api = client.get(f"/api/v1/cases/{relief.case_id}").status_code
            listing = client.get(f"/api/v1/cases/{relief.case_id}/reliefs")
            if listing.status_code != case_api:
                problems.append(f"{username}: case {case_api}, reliefs {listing.status_code}")
            elif listing.status_code == 200 and listing.json()["count"] != 1:
                problems.append(f"{username}: case {relief.case_id} lists {listing.json()['count']}")
            page = client.get(f"/cases/{relief.case_id}/")
            if page.status_code == 200:
                html = page.content.decode()
                others = [r for r in given if r.case_id != relief.case_id]
                if relief.approved_by not in html or any(o.approved_by in html for o in others):
                    problems.append(f"{username}: case page {relief.case_id} shows the wrong reliefs")
    assert not problems, "\n".join(problems)


def test_the_totals_count_only_what_the_user_may_see(cast, client_as, given):
    for username in ("office", "leader1", "supervisor", "county", "h_office"):
        user = cast[username]
        visible = [r for r in given if username == "county" or r.case.town_id == user.town_id]
        expected = Relief.objects.filter(pk__in=[r.pk for r in visible]).aggregate(s=Sum("amount"))["s"]
        body = client_as(username).get("/api/v1/reliefs/totals?period=year&year=2026").json()
        assert (body["count"], body["amount"]) == (len(visible), f"{expected:.2f}"), username
        page = client_as(username).get("/relief/?period=year&year=2026").content.decode()
        for relief in given:
            assert (relief.approved_by in page) == (relief in visible), (username, relief.approved_by)
