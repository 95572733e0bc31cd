"""The registration page refuses what the API refuses, with the same Chinese reasons, instead of failing
with a server error: an absurd number of persons, a year outside the system's range, a phone that is no
phone number, control characters, content beyond 20,000 characters."""

import pytest

from xinfang.cases.models import Case, Petition

from .test_case_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "over, message",
    [
        ({"persons_count": "1" + "0" * 30}, "人数最多为 10000，请核对。"),
        ({"persons_count": "0"}, "人数至少为 1。"),
        ({"received_at": "0001-01-01T00:00"}, "日期不能早于 2000-01-01，请核对年份。"),
        ({"received_at": "1900-01-01T08:00"}, "日期不能早于 2000-01-01，请核对年份。"),
        ({"received_at": "9999-12-31T23:59"}, "收到时间不能晚于现在，请核对日期和时间。"),
        ({"phone": "abc<>\"'"}, "电话号码格式不正确"),
        ({"phone": "0523-123"}, "电话号码格式不正确"),
        ({"title": "宅基地\x1b纠纷"}, "含有不可见的控制字符"),
        ({"address": "三组\x7f"}, "含有不可见的控制字符"),
        ({"content": "字" * 20001}, "诉求内容最多 20000 字（现有 20001 字）"),
    ],
)
def test_it_explains_out_of_range_input_and_stores_nothing(client_as, cast, over, message):
    client = client_as("office")
    client.raise_request_exception = False
    response = client.post("/cases/new/", form_data(cast, **over))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Case.objects.exists() and not Petition.objects.exists()


@pytest.mark.parametrize("phone", ["13912345678", "0523-12345678", "052312345678", ""])
def test_it_registers_with_a_mobile_or_a_landline(client_as, cast, phone):
    response = client_as("office").post("/cases/new/", form_data(cast, phone=phone))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Case.objects.count() == 1


def test_the_excel_import_checks_phones_years_and_content_length(cast):
    from xinfang.cases.imports import petitions_import

    from .test_import import row, xlsx

    rows = [
        row(),
        row(**{"手机号": "abc<>"}),
        row(**{"收到时间": "0001-01-01 09:00"}),
        row(**{"诉求内容": "字" * 20001}),
    ]
    result = petitions_import(xlsx(rows), cast["office"], dry_run=True)
    found = {(e.row, e.column): e.message for e in result.errors}
    assert "电话号码格式不正确" in found[(3, "手机号")]
    assert "不能早于 2000-01-01" in found[(4, "收到时间")]
    assert found[(5, "诉求内容")] == "最多 20000 字，现有 20001 字。"
    assert {e.row for e in result.errors} == {3, 4, 5}
