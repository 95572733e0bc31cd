import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def letter(cast):
    return petition_register(
        data=PetitionIn(
            channel="letter",
            received_at=timezone.now(),
            petitioner=PetitionerIn(
                name="赵某某",
                id_number="110101199003074514",
                phone="13912345678",
                village=cast["village1"].village,
            ),
            title="宅基地边界纠纷",
            content="与邻居就宅基地边界发生纠纷。",
        ),
        acting_user=cast["office"],
    )


def test_a_petitioner_sees_the_stage_and_dates_and_nothing_personal(letter):
    page = Client().get("/query/", {"code": letter.query_code.lower()}).content.decode()
    assert letter.case.number in page and "已登记" in page
    assert letter.case.notify_due.strftime("%Y-%m-%d") in page
    for private in ("赵某某", "110101199003074514", "13912345678", "宅基地", "青松村"):
        assert private not in page


def test_a_wrong_code_is_explained(letter):
    page = Client().get("/query/", {"code": "ZZZZZZZZ"}).content.decode()
    assert "没有找到这个查询码" in page
    assert "查询码为 8 位" in Client().get("/query/", {"code": "ABC"}).content.decode()


@override_settings(XINFANG_QUERY_LIMIT=3)
def test_guessing_codes_is_slowed_down(letter):
    client = Client()
    for _ in range(3):
        assert client.get("/query/", {"code": "ZZZZZZZZ"}).status_code == 200
    limited = client.get("/query/", {"code": letter.query_code})
    assert limited.status_code == 429
    assert "查询过于频繁" in limited.content.decode() and letter.case.number not in limited.content.decode()
