"""The assign form's 责任人 (issue 10, item 4): ~100 names grouped by unit, the proposal selected, the
same posted field (`responsible_persons`), so that the page works with the picker script and
without it."""

import re

import pytest
from django.utils import timezone

from xinfang.cases.models import Case
from xinfang.cases.selectors import assignment_choices
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.transitions import case_accept

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(cast):
    case = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="赵某", village=cast["village1"].village),
            title="宅基地边界纠纷",
            content="请求调解。",
            category=cast["office"].town.categories.get(code="nongcun"),
        ),
        acting_user=cast["office"],
    ).case
    return case_accept(case_id=case.pk, acting_user=cast["office"])


def assign_block(html: str) -> str:
    return re.search(r'<details[^>]*id="action-assign".*?</details>', html, re.S).group(0)


def test_the_people_are_grouped_by_unit_each_once(cast):
    groups = assignment_choices(user=cast["office"])["people_groups"]
    labels = [label for label, _ in groups]
    village = cast["village1"].village
    assert labels[0] == "镇党政负责人"
    assert village.name in labels
    ids = [p.pk for _, members in groups for p in members]
    assert len(ids) == len(set(ids))  # a cadre of two villages is listed once
    assert set(ids) == set(cast["office"].town.people.values_list("pk", flat=True))
    members = dict(groups)[village.name]
    assert village.party_head in members
    # a cadre is found by every village they serve, wherever they are listed
    listed = {p.pk: p for _, members in groups for p in members}
    cadre = listed[village.cadre_id]
    assert village.name in cadre.units


def test_the_select_is_grouped_by_unit_with_the_proposal_selected(client_as, cast, accepted):
    html = assign_block(client_as("office").get(f"/cases/{accepted.pk}/").content.decode())
    village = cast["village1"].village
    select = re.search(r'<select[^>]*name="responsible_persons".*?</select>', html, re.S).group(0)
    assert "multiple" in select and "data-picker" in select
    assert '<optgroup label="镇党政负责人">' in select and f'<optgroup label="{village.name}">' in select
    chosen = set(re.findall(r'<option value="(\d+)"[^>]*selected', select))
    from xinfang.cases.ownership import ownership_propose

    assert chosen == {str(p.pk) for p in ownership_propose(accepted).responsible_persons}
    assert "js/picker.js" in html


def test_the_picked_people_are_posted_as_before(client_as, cast, accepted):
    village = cast["village1"].village
    picked = [village.party_head_id, village.cadre_id]
    response = client_as("office").post(
        f"/cases/{accepted.pk}/actions/assign/",
        {
            "version": accepted.version,
            "lead_leader": village.contact_leader_id,
            "lead_department": cast["dept1"].department_id,
            "responsible_persons": picked,
            "on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=accepted.pk)
    assert case.state == "assigned", response.wsgi_request.session.get(f"case-{accepted.pk}-form")
    assert set(case.responsible_persons.values_list("pk", flat=True)) == set(picked)
