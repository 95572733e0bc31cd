"""The ledger's search box finds a case by its petitioners' ID number or phone (whole, or the last
digits), as far as the reader may see, and each such look-up is audited as a read of personal data."""

import pytest
from django.utils import timezone

from xinfang.audit.models import AuditEvent
from xinfang.cases.forms import SEARCH_PLACEHOLDER
from xinfang.cases.models import Petitioner
from xinfang.cases.selectors import search_kind
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

pytestmark = pytest.mark.django_db

ZHAO_ID = "32128319800101007X"
QIAN_ID = "321283199002020012"


def register(cast, title, *, village="village1", petitioner=None, representatives=()):
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=petitioner or PetitionerIn(name=f"{title}人", village=cast[village].village),
            title=title,
            content="内容",
            representatives=list(representatives),
            persons_count=1 + len(representatives),
        ),
        acting_user=cast["office"],
    ).case


@pytest.fixture
def cases(cast):
    zhao = PetitionerIn(name="赵某", id_number=ZHAO_ID, phone="13912345678", village=cast["village1"].village)
    qian = PetitionerIn(name="钱某", id_number=QIAN_ID, phone="0523-87654321")
    return {
        "road": register(cast, "道路积水", petitioner=zhao),
        "group": register(
            cast,
            "征地补偿",
            village="village2",
            representatives=[qian],
        ),
        "other": register(cast, "噪声扰民"),
    }


def found(client, q: str) -> set[str]:
    response = client.get("/api/v1/cases", {"q": q})
    assert response.status_code == 200, response.content
    return {c["title"] for c in response.json()["items"]}


def test_the_database_keeps_the_last_four_characters_of_id_number_and_phone(cases):
    zhao = Petitioner.objects.get(id_number=ZHAO_ID)
    assert (zhao.id_last4, zhao.phone_last4) == ("007X", "5678")


@pytest.mark.parametrize(
    "q,titles",
    [
        (ZHAO_ID, {"道路积水"}),
        (ZHAO_ID.lower(), {"道路积水"}),  # a lower-case x is the same number
        ("01007x", {"道路积水"}),  # the last six
        ("1007X", {"道路积水"}),  # the last five
        ("007X", {"道路积水"}),  # the last four
        ("13912345678", {"道路积水"}),
        ("139 1234 5678", {"道路积水"}),
        ("5678", {"道路积水"}),  # a phone's last four
        ("4321", {"征地补偿"}),  # a representative's landline, last four
        (QIAN_ID, {"征地补偿"}),  # a representative is a petitioner of the case too
        ("0012", {"征地补偿"}),
        ("9999", set()),
    ],
)
def test_the_search_box_finds_cases_by_id_number_and_phone(client_as, cases, q, titles):
    assert found(client_as("office"), q) == titles


def test_names_titles_and_numbers_are_still_found(client_as, cases):
    office = client_as("office")
    assert found(office, "赵某") == {"道路积水"}
    assert found(office, "噪声") == {"噪声扰民"}
    assert found(office, cases["group"].number) == {"征地补偿"}


def test_a_search_by_id_number_finds_only_what_the_reader_may_see(client_as, cases):
    assert found(client_as("village1"), QIAN_ID) == set()  # the case is village2's
    assert found(client_as("village2"), QIAN_ID) == {"征地补偿"}
    assert found(client_as("h_office"), ZHAO_ID) == set()  # another town


def test_a_search_by_id_number_or_phone_is_audited_with_the_number_masked(client_as, cast, cases):
    before = AuditEvent.objects.filter(event="view_personal_data").count()
    client_as("office").get("/cases/", {"q": ZHAO_ID})
    client_as("office").get("/api/v1/cases", {"q": "13912345678"})
    client_as("office").get("/cases/export.xlsx", {"q": "007X"})
    client_as("office").get("/cases/", {"q": "道路"})  # not personal data: no row
    rows = list(AuditEvent.objects.filter(event="view_personal_data").order_by("id"))[before:]
    assert [r.detail for r in rows] == [
        "按身份证号查找信访事项：321283********007X",
        "按电话号码查找信访事项：139****5678",
        "按身份证号或手机号后几位查找信访事项：007X",
    ]
    assert all(r.user_id == cast["office"].pk for r in rows)
    assert not any(ZHAO_ID in (r.detail or "") for r in AuditEvent.objects.all())


def test_the_search_box_says_what_it_searches(client_as, cases):
    page = client_as("office").get("/cases/").content.decode()
    assert f'placeholder="{SEARCH_PLACEHOLDER}"' in page
    assert SEARCH_PLACEHOLDER == "编号、事项、姓名、身份证号或手机号后四位"


@pytest.mark.parametrize(
    "q,kind",
    [
        (ZHAO_ID, "id_number"),
        ("321283800101001", "id_number"),  # the old 15-digit number
        ("13912345678", "phone"),
        ("0523-87654321", "phone"),
        ("1234", "id_tail"),
        ("01007X", "id_tail"),
        ("123", ""),
        ("1234567", ""),  # too long for a tail, too short for a number
        ("分信〔2026〕0012号", ""),
        ("宅基地", ""),
    ],
)
def test_what_a_search_term_looks_up(q, kind):
    assert search_kind(q) == kind
