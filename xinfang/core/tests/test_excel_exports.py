"""Every Excel file the system hands out keeps what users typed as text: opened in Excel, a title like
=HYPERLINK(...) is shown, never evaluated. Numbers stay numbers. Exports and documents are never cached."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.test import Client

from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.transitions import case_accept
from xinfang.core import excel
from xinfang.relief.services import relief_record

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
LINK = '=HYPERLINK("http://evil.example/","点我")'
# Excel knows no time zones: an export writes local (Beijing) time without its offset.
LOCAL_MOMENT = dt.datetime(2026, 11, 20, 9, 30, tzinfo=SHANGHAI).replace(tzinfo=None)
INJECTIONS = [LINK, "=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1+2", "\r=1+2"]


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=SHANGHAI), tick=False):
        yield


def book_of(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(content))


def assert_text_cell(cell, text: str):
    assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
    # A carriage return is stored as Excel's escape _x000D_, which openpyxl leaves as it is.
    assert cell.data_type == "s" and cell.value.replace("_x000D_", "\r") == text
    assert cell.quotePrefix, f"{cell.coordinate} would turn into a formula when edited"


@pytest.fixture
def hostile_case(cast):
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=dt.datetime(2026, 11, 2, 9, tzinfo=SHANGHAI),
            petitioner=PetitionerIn(name="=1+2", village=cast["village1"].village),
            title=LINK,
            content="@SUM(A1:A2)",
        ),
        acting_user=cast["office"],
    ).case


def test_the_ledger_export_writes_a_formula_like_title_and_name_as_text(client_as, hostile_case):
    response = client_as("office").get("/cases/export.xlsx")
    sheet = book_of(response).active
    row = next(r for r in sheet.iter_rows(min_row=4) if r[1].value == hostile_case.number)
    assert_text_cell(row[5], LINK)  # 信访事项
    assert_text_cell(row[2], "=1+2")  # 信访人
    assert row[0].data_type == "n" and row[0].value == 1  # 序号 stays a number
    assert not any(c.data_type == "f" for r in sheet.iter_rows() for c in r)
    assert response["Cache-Control"] == "private, no-store"


def test_the_relief_export_writes_user_text_as_text_and_amounts_as_numbers(client_as, cast, hostile_case):
    relief_record(
        case_id=hostile_case.pk,
        acting_user=cast["office"],
        kind="temporary",
        amount="1500.50",
        given_on="2026-11-10",
        approved_by="=1+2",
        approval_number="-2+3",
        note="@SUM(A1:A2)",
    )
    response = client_as("office").get("/relief/export.xlsx?period=year&year=2026")
    book = book_of(response)
    row = next(r for r in book["救助明细"].iter_rows(min_row=4) if r[2].value == hostile_case.number)
    assert_text_cell(row[3], LINK)
    assert_text_cell(row[4], "=1+2")  # the petitioner helped
    assert_text_cell(row[8], "=1+2")
    assert_text_cell(row[9], "-2+3")
    assert_text_cell(row[10], "@SUM(A1:A2)")
    assert row[7].data_type == "n" and row[7].value == 1500.5
    assert not any(c.data_type == "f" for sheet in book for r in sheet.iter_rows() for c in r)
    assert response["Cache-Control"] == "private, no-store"


def test_the_audit_export_writes_a_username_typed_at_sign_in_as_text(client_as):
    Client().post("/login/", {"username": LINK, "password": "Wrong-pass-1"})  # needs no account
    response = client_as("auditadmin").get("/audit/export/?event=login_failure")
    sheet = book_of(response).active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == LINK)
    assert_text_cell(row[1], LINK)
    assert not any(c.data_type == "f" for r in sheet.iter_rows() for c in r)
    assert response["Cache-Control"] == "private, no-store"


def test_the_import_template_and_the_word_notices_are_not_cached(client_as, cast, hostile_case):
    template = client_as("office").get("/cases/import/template.xlsx")
    assert template.status_code == 200 and template["Cache-Control"] == "private, no-store"
    case_accept(case_id=hostile_case.pk, acting_user=cast["office"])
    notice = client_as("office").get(f"/cases/{hostile_case.pk}/documents/acceptance.docx")
    assert notice.status_code == 200 and notice["Cache-Control"] == "private, no-store"


def test_the_helper_neutralises_every_trigger_and_keeps_types(tmp_path):
    path = tmp_path / "t.xlsx"
    book = excel.workbook(str(path))
    cells = excel.Cells(book)
    sheet = book.add_worksheet()
    cells.row(sheet, 0, 0, INJECTIONS)
    cells.row(sheet, 1, 0, [42, Decimal("1500.50"), 2.5, dt.date(2026, 11, 20), LOCAL_MOMENT])
    cells.row(sheet, 2, 0, ["宅基地纠纷", "", None, True, "a=b"])
    sheet.write(3, 0, "=1+2")  # even xlsxwriter's own write() keeps text as text in this workbook
    book.close()
    sheet = openpyxl.load_workbook(path).active
    for cell, text in zip(sheet[1], INJECTIONS, strict=True):
        assert_text_cell(cell, text)
    numbers = [c.value for c in sheet[2]]
    assert numbers[:3] == [42, 1500.5, 2.5] and all(c.data_type == "n" for c in sheet[2][:3])
    assert numbers[3] == LOCAL_MOMENT.replace(hour=0, minute=0) and numbers[4] == LOCAL_MOMENT
    plain = sheet[3]
    assert plain[0].value == "宅基地纠纷" and not plain[0].quotePrefix and plain[4].value == "a=b"
    assert plain[3].value is True
    assert sheet["A4"].data_type == "s" and sheet["A4"].value == "=1+2"
