"""The registration page as the office uses it at the desk (issue 10, item 2): the channel it used
last, the chosen category's matters, a group's representatives, phones checked, the query code in
the acceptance notice and a receipt to hand the visitor."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.utils import timezone
from docx import Document

from xinfang.audit.models import AuditEvent
from xinfang.cases.models import Petition
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.transitions import case_accept
from xinfang.core.inputs import PHONE_MESSAGE

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
ZHAO_ID = "32128319800101007X"
REP_ID = "321283199002020012"


def form(cast, **over):
    category = cast["office"].town.categories.order_by("order", "id").first()
    data = {
        "channel": "visit",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "name": "赵某",
        "id_number": ZHAO_ID,
        "phone": "13912345678",
        "village": cast["village1"].village.pk,
        "persons_count": 1,
        "kind": "claim",
        "category": category.pk,
        "matter": category.matters[0],
        "title": "宅基地边界纠纷",
        "content": "请求调解。",
    }
    data.update(over)
    return data


def selected_channel(page: str) -> str:
    return re.search(r'<select name="channel"[^>]*>.*?<option value="(\w+)" selected', page, re.S).group(1)


def test_a_new_clerk_starts_from_a_visit_and_then_from_the_channel_used_last(client_as, cast):
    office = client_as("office")
    assert selected_channel(office.get("/cases/new/").content.decode()) == "visit"
    assert office.post("/cases/new/", form(cast, channel="phone")).status_code == 302
    assert selected_channel(office.get("/cases/new/").content.decode()) == "phone"
    # another clerk keeps their own
    assert selected_channel(client_as("h_office").get("/cases/new/").content.decode()) == "visit"


def test_the_matters_are_grouped_by_category_for_the_page_to_show_the_chosen_ones(client_as, cast):
    page = client_as("office").get("/cases/new/").content.decode()
    assert 'data-matters-for="id_matter"' in page and "js/registration.js" in page
    categories = list(cast["office"].town.categories.order_by("order", "id"))
    for category in categories:
        assert f'<optgroup label="{category.name}">' in page
    # the server still checks the pair, whatever a page without the script sends
    other = categories[1].matters[0]
    page = client_as("office").post("/cases/new/", form(cast, matter=other))
    assert page.status_code == 200
    assert f"“{other}”不是{categories[0].name}的事项" in page.content.decode()
    assert not Petition.objects.exists()


@pytest.mark.parametrize("phone", ["1234567", "139123456", "23912345678", "0523-123"])
def test_a_phone_that_is_no_mobile_nor_landline_is_refused_with_the_forms_explained(client_as, cast, phone):
    page = client_as("office").post("/cases/new/", form(cast, phone=phone))
    assert page.status_code == 200
    assert page.context["form"].errors["phone"] == [f"{PHONE_MESSAGE}。"]
    assert not Petition.objects.exists()


def test_a_representatives_seven_digit_phone_is_refused_next_to_its_row(client_as, cast):
    rows = {"rep_name_0": "钱某", "rep_id_number_0": REP_ID, "rep_phone_0": "8765432"}
    page = client_as("office").post("/cases/new/", form(cast, persons_count=6, **rows))
    assert page.status_code == 200
    assert page.context["form"].errors["rep_phone_0"] == [f"第 1 位代表：{PHONE_MESSAGE}。"]
    assert not Petition.objects.exists()


def test_the_service_refuses_a_bad_phone_whatever_the_entrance(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        petition_register(
            data=PetitionIn(
                channel="visit",
                received_at=timezone.now(),
                petitioner=PetitionerIn(name="赵某", phone="1234567"),
                representatives=[PetitionerIn(name="钱某", phone="7654321")],
                persons_count=2,
                title="事项",
                content="内容",
            ),
            acting_user=cast["office"],
        )
    assert refused.value.message_dict == {
        "petitioner.phone": [f"{PHONE_MESSAGE}。"],
        "representatives.0.phone": [f"第 1 位代表：{PHONE_MESSAGE}。"],
    }


def test_a_collective_visit_opens_the_representatives_rows_and_records_them(client_as, cast):
    office = client_as("office")
    page = office.get("/cases/new/").content.decode()
    assert 'data-opens="representatives"' in page
    assert 'placeholder="身份证号"' in page and 'placeholder="手机号"' in page
    rows = {"rep_name_0": "钱某", "rep_id_number_0": REP_ID, "rep_phone_0": "13800001111"}
    again = office.post("/cases/new/", form(cast, persons_count=6, **rows, title=""))  # refused: kept
    assert '<details class="mb-3" id="representatives" open>' in again.content.decode()
    assert office.post("/cases/new/", form(cast, persons_count=6, **rows)).status_code == 302
    petition = Petition.objects.get()
    assert sorted((p.name, p.phone) for p in petition.petitioners.all()) == [
        ("赵某", "13912345678"),
        ("钱某", "13800001111"),
    ]


@pytest.fixture
def visit(cast):
    cast["office"].town.__class__.objects.filter(pk=cast["office"].town_id).update(
        office_phone="0523-87000000", office_address="分界镇人民政府信访接待室"
    )
    with time_machine.travel(dt.datetime(2026, 8, 3, 10, tzinfo=SHANGHAI), tick=False):
        return petition_register(
            data=PetitionIn(
                channel="visit",
                received_at=dt.datetime(2026, 8, 3, 9, 30, tzinfo=SHANGHAI),
                petitioner=PetitionerIn(
                    name="赵某", id_number=ZHAO_ID, phone="13912345678", village=cast["village1"].village
                ),
                representatives=[PetitionerIn(name="钱某", id_number=REP_ID)],
                persons_count=6,
                title="宅基地边界纠纷",
                content="请求调解。",
            ),
            acting_user=cast["office"],
        )


def test_the_success_message_links_to_the_receipt(client_as, cast):
    page = client_as("office").post("/cases/new/", form(cast), follow=True).content.decode()
    petition = Petition.objects.get()
    link = f'href="/cases/{petition.case_id}/receipt/?petition={petition.pk}"'
    assert "已登记为新事项" in page and link in page and "打印登记回执" in page


def test_the_receipt_gives_the_number_the_query_code_and_how_to_use_it(client_as, cast, visit):
    office = client_as("office")
    case_page = office.get(f"/cases/{visit.case_id}/").content.decode()
    assert f'href="/cases/{visit.case_id}/receipt/"' in case_page
    response = office.get(f"/cases/{visit.case_id}/receipt/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    for text in (
        "信访事项登记回执",
        visit.case.number,
        "2026年8月3日 09:30",
        "来访（6 人）",
        "宅基地边界纠纷",
        visit.query_code,
        "http://testserver/query/",
        "联系电话：0523-87000000",
        "分界镇人民政府信访接待室",
        "赵某",
        "钱某",
        "321283********007X",  # masked: the paper leaves the office
        "139****5678",
    ):
        assert text in page, text
    assert ZHAO_ID not in page and "13912345678" not in page
    printed = AuditEvent.objects.filter(event="export", target_id=str(visit.case_id), detail="打印登记回执")
    assert printed.exists()


def test_the_receipt_is_the_offices_and_in_scope(client_as, cast, visit):
    assert client_as("village1").get(f"/cases/{visit.case_id}/receipt/").status_code == 403
    assert client_as("h_office").get(f"/cases/{visit.case_id}/receipt/").status_code == 404
    assert client_as("office").get(f"/cases/{visit.case_id}/receipt/?petition=999999").status_code == 404


def test_the_acceptance_notice_gives_the_query_code_and_the_public_page(client_as, cast, visit):
    with time_machine.travel(dt.datetime(2026, 8, 4, 10, tzinfo=SHANGHAI), tick=False):
        case_accept(case_id=visit.case_id, acting_user=cast["office"])
        response = client_as("office").get(f"/cases/{visit.case_id}/documents/acceptance.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert f"查询码 {visit.query_code}" in text
    assert "http://testserver/query/" in text and "0523-87000000" in text


def test_the_public_address_can_be_set_for_petitioners_outside_the_intranet(client_as, cast, visit, settings):
    settings.XINFANG_PUBLIC_QUERY_URL = "https://xf.example.gov.cn/query/"
    page = client_as("office").get(f"/cases/{visit.case_id}/receipt/").content.decode()
    assert "https://xf.example.gov.cn/query/" in page and "testserver" not in page


def test_the_persons_are_linked_in_the_order_they_came_even_when_a_representative_is_known(client_as, cast):
    """The receipt, the notices and the 交办单 name the petitioner first, then the representatives;
    a representative registered before (a lower id) once came first."""
    from xinfang.cases.documents import petitioners_in_order

    def visit(petitioner, representatives=()):
        return petition_register(
            data=PetitionIn(
                channel="visit",
                received_at=timezone.now(),
                petitioner=petitioner,
                representatives=list(representatives),
                persons_count=1 + len(representatives),
                title="村道改线补偿",
                content="请求补偿。",
            ),
            acting_user=cast["office"],
        )

    visit(PetitionerIn(name="钱某", id_number=REP_ID))
    group = visit(
        PetitionerIn(name="赵某", id_number=ZHAO_ID),
        [PetitionerIn(name="钱某", id_number=REP_ID), PetitionerIn(name="孙某")],
    )
    assert [p.name for p in petitioners_in_order(group)] == ["赵某", "钱某", "孙某"]
    page = client_as("office").get(f"/cases/{group.case_id}/receipt/?petition={group.pk}").content.decode()
    assert page.index("赵某") < page.index("钱某") < page.index("孙某")
