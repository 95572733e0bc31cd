"""The relief card on the case page: the list with its total, the form, Chinese messages."""

import pytest

from xinfang.audit.models import AuditEvent
from xinfang.relief.models import Relief

from .conftest import record

pytestmark = pytest.mark.django_db

GOOD = {
    "kind": "medical",
    "amount": "3000",
    "given_on": "2026-11-05",
    "approved_by": "分管副镇长",
    "approval_number": "",
    "note": "住院费用",
    "petitioner": "",
}


def post(client, case, **over):
    return client.post(f"/cases/{case.pk}/reliefs/new/", {**GOOD, **over}, follow=True)


def test_the_case_page_lists_reliefs_with_their_total(client_as, cast, case):
    record(cast, case, amount="2000", given_on="2026-10-31")
    record(
        cast, case, user="village1", kind="education", amount="1500.50", given_on="2026-11-01", note="学费"
    )
    page = client_as("office").get(f"/cases/{case.pk}/").content.decode()
    assert "专项救助、社会救济（2 笔，合计 3,500.50 元）" in page
    for column in ("类型", "金额（元）", "日期", "批准", "录入人"):
        assert f"<th>{column}</th>" in page
    assert "临时救助" in page and "教育救助" in page and "2026-10-31" in page and "学费" in page
    assert "分民〔2026〕12号" in page and "联席办示例" in page and "村干部示例一" in page
    assert f'action="/cases/{case.pk}/reliefs/new/"' in page and "录入救助" in page


@pytest.mark.parametrize("user", ["grid1", "supervisor", "county"])
def test_read_only_roles_see_the_list_but_no_form(client_as, cast, case, user):
    record(cast, case)
    page = client_as(user).get(f"/cases/{case.pk}/").content.decode()
    assert "专项救助、社会救济（1 笔，合计 2,000.00 元）" in page
    assert "录入救助" not in page and "reliefs/new/" not in page


def test_a_case_without_relief_says_so(client_as, case):
    page = client_as("leader1").get(f"/cases/{case.pk}/").content.decode()
    assert "专项救助、社会救济（0 笔）" in page and "尚无救助记录。" in page and "录入救助" in page


def test_a_relief_from_the_page_is_stored_and_confirmed(client_as, cast, case):
    person = case.petitions.get().petitioners.get()
    response = post(client_as("village1"), case, petitioner=str(person.pk))
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/#reliefs"
    page = response.content.decode()
    assert "已录入医疗救助 3,000.00 元（2026-11-05）。" in page
    relief = Relief.objects.get(case=case)
    assert (
        relief.petitioner == person and relief.recorded_by == cast["village1"] and relief.note == "住院费用"
    )
    assert "医疗救助 3,000.00 元（2026-11-05）" in page  # the case timeline


@pytest.mark.parametrize(
    "over, message",
    [
        ({"amount": "-200"}, "救助未录入：救助金额必须大于 0 元。"),
        ({"given_on": "2026-12-01"}, "救助未录入：救助日期不能晚于今天（2026-11-20）。"),
        ({"approved_by": ""}, "救助未录入：请填写批准人（谁批准的这笔救助）。"),
        ({"petitioner": "999999"}, "救助未录入：所选救助对象不是本事项的信访人"),
    ],
)
def test_a_refused_entry_explains_and_keeps_what_was_typed(client_as, case, over, message):
    client = client_as("office")
    page = post(client, case, **over, note="我填的说明").content.decode()
    assert message in page
    assert not Relief.objects.exists()
    assert 'value="我填的说明"' in page and '<option value="medical" selected>' in page
    if "amount" in over:
        assert 'value="-200"' in page
    assert "is-invalid" in page
    # The typed values are shown once: the next visit starts with an empty form.
    again = client.get(f"/cases/{case.pk}/").content.decode()
    assert "我填的说明" not in again and "is-invalid" not in again


@pytest.mark.parametrize("user", ["grid1", "county", "supervisor", "dept1"])
def test_read_only_roles_get_403_from_the_form(client_as, case, user):
    response = client_as(user).post(f"/cases/{case.pk}/reliefs/new/", GOOD)
    assert response.status_code == 403
    assert not Relief.objects.exists()


@pytest.mark.parametrize("user", ["h_office", "h_village", "village2"])
def test_another_town_or_village_gets_404_from_the_form(client_as, case, user):
    response = client_as(user).post(f"/cases/{case.pk}/reliefs/new/", GOOD)
    assert response.status_code == 404
    assert not Relief.objects.exists()


def test_the_form_takes_only_posts(client_as, case):
    assert client_as("office").get(f"/cases/{case.pk}/reliefs/new/").status_code == 405


def test_the_navigation_offers_the_totals_to_the_roles_that_read_them(client_as):
    for user in ("office", "leader1", "supervisor", "county"):
        assert 'href="/relief/"' in client_as(user).get("/").content.decode(), user
    for user in ("village1", "grid1", "dept1", "sysadmin"):
        assert 'href="/relief/"' not in client_as(user).get("/").content.decode(), user
        assert client_as(user).get("/relief/").status_code == 403, user
    assert AuditEvent.objects.filter(event="denied", detail__contains="/relief/").count() == 4
