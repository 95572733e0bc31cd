"""The county bureau reads the ledgers of several towns: a 镇 column and a town filter, on the page,
in the API; nobody else gets the filter."""

import pytest
from django.utils import timezone

from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

pytestmark = pytest.mark.django_db


def _case(cast, clerk: str, title: str):
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="孙某某"),
            title=title,
            content="请求解决。",
        ),
        acting_user=cast[clerk],
    ).case


def test_the_county_ledger_names_the_town_and_filters_by_it(client_as, cast, fenjie, hetang):
    ours, theirs = _case(cast, "office", "分界的事项"), _case(cast, "h_office", "荷塘的事项")
    county = client_as("county")
    html = county.get("/cases/").content.decode()
    assert "<th>镇</th>" in html and 'name="town"' in html
    assert ours.number in html and theirs.number in html
    row = html.split(f">{ours.number}</a>")[1].split("</tr>")[0]
    assert f'<td class="text-nowrap">{fenjie.name}</td>' in row
    only = county.get(f"/cases/?town={hetang.pk}").content.decode()
    assert theirs.number in only and ours.number not in only
    api = county.get(f"/api/v1/cases?town={hetang.pk}").json()
    assert {c["number"] for c in api["items"]} == {theirs.number}


def test_a_town_ledger_has_no_town_column_nor_filter(client_as, cast, hetang):
    ours = _case(cast, "office", "分界的事项")
    html = client_as("office").get("/cases/").content.decode()
    assert "<th>镇</th>" not in html and 'name="town"' not in html
    # the parameter does not lift the scope: another town's id shows nothing of it
    assert ours.number in client_as("office").get(f"/cases/?town={hetang.pk}").content.decode()
    assert hetang.name not in client_as("office").get(f"/cases/?town={hetang.pk}").content.decode()
