"""An attachment is seen exactly when its case is: by every member of the cast, page and API."""

import pytest

from xinfang.attachments.services import attachment_add
from xinfang.org.models import Category

from .files import pdf_bytes, register_case, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def attached(cast):
    """One file on a case of each of two villages of 分界镇 (one in a department's line) and one in 荷塘镇."""
    dept_line = Category.objects.filter(lead=cast["dept1"].department).first()
    cases = [
        register_case(cast, village_of="village1", category=dept_line),
        register_case(cast, village_of="village2"),
    ]
    from django.utils import timezone

    from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

    cases.append(
        petition_register(
            data=PetitionIn(
                channel="visit",
                received_at=timezone.now(),
                petitioner=PetitionerIn(name="荷塘信访人", village=cast["h_village"].village),
                title="荷塘镇道路积水（附件测试）",
                content="请求修路。",
            ),
            acting_user=cast["h_office"],
        ).case
    )
    uploaders = ["office", "office", "h_office"]
    return [
        attachment_add(
            case_id=c.pk,
            acting_user=cast[u],
            file=upload(f"证据材料-{c.pk}.pdf", pdf_bytes(f"case {c.pk}")),
            kind="material",
        )
        for c, u in zip(cases, uploaders, strict=True)
    ]


def test_another_town_and_another_village_get_404(client_as, attached):
    first = attached[0]
    url = f"/cases/{first.case_id}/attachments/{first.pk}/"
    for user in ("h_office", "h_village", "village2"):
        assert client_as(user).get(url).status_code == 404, user
        assert client_as(user).get(f"/api/v1/attachments/{first.pk}/content").status_code == 404, user
        assert client_as(user).get(f"/api/v1/cases/{first.case_id}/attachments").status_code == 404, user
    assert client_as("village1").get(url).status_code == 200


def test_every_user_sees_an_attachment_exactly_when_they_see_its_case(cast, client_as, attached):
    problems = []
    for username in sorted(cast):
        client = client_as(username)
        for a in attached:
            case_page = client.get(f"/cases/{a.case_id}/").status_code
            download = client.get(f"/cases/{a.case_id}/attachments/{a.pk}/").status_code
            if download != case_page:
                problems.append(f"{username} page: case {case_page}, attachment {download}")
            case_api = client.get(f"/api/v1/cases/{a.case_id}").status_code
            content = client.get(f"/api/v1/attachments/{a.pk}/content").status_code
            listing = client.get(f"/api/v1/cases/{a.case_id}/attachments")
            if not (content == listing.status_code == case_api):
                problems.append(
                    f"{username} api: case {case_api}, list {listing.status_code}, file {content}"
                )
            if listing.status_code == 200 and listing.json()["count"] != 1:
                problems.append(f"{username} api: list of case {a.case_id} has {listing.json()['count']}")
        # What the user can open, the case page lists; nothing else is named anywhere.
        for a in attached:
            page = client.get(f"/cases/{attached[0].case_id}/").content.decode()
            if a.case_id != attached[0].case_id and a.name in page:
                problems.append(f"{username} sees {a.name} on another case's page")
    assert not problems, "\n".join(problems)
    # The expectation is not vacuous: each kind of answer occurs.
    assert client_as("county").get(f"/api/v1/attachments/{attached[2].pk}/content").status_code == 200
    assert client_as("dept1").get(f"/api/v1/attachments/{attached[0].pk}/content").status_code == 200
    assert client_as("dept1").get(f"/api/v1/attachments/{attached[1].pk}/content").status_code == 404
    assert (
        client_as("auditadmin").get(f"/cases/{attached[0].case_id}/attachments/{attached[0].pk}/").status_code
        == 403
    )
