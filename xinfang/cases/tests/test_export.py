"""The ledger's Excel sheet as a town hands it in: the columns the campaign asks for, dates as Excel
dates with their year, numbers as numbers, the print set-up, exactly the filtered rows, and the same
queries for 10 rows as for 40."""

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinfang.cases.models import Case
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.testing import accept_and_assign
from xinfang.plans.services import plan_save, task_force_set

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 8, 3, 10, tzinfo=SHANGHAI)

HEADER = (
    "序号",
    "编号",
    "信访人",
    "村（居）",
    "类别",
    "信访事项",
    "具体事项",
    "信访日期",
    "渠道",
    "人数",
    "牵头部门",
    "包案领导",
    "责任人",
    "工作专班",
    "化稳方案",
    "防反弹措施",
    "解决时限",
    "当前期限",
    "是否超期",
    "进展日期",
    "最新进展",
    "办理状态",
    "化解状态",
    "化解日期",
    "销号日期",
    "“五有”缺项",
    "突出问题情形",
)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def register(cast, title, *, persons=1, channel="visit", threat=False, village="village1"):
    category = cast["office"].town.categories.order_by("order", "id").first()
    return petition_register(
        data=PetitionIn(
            channel=channel,
            received_at=NOW - dt.timedelta(days=2),
            petitioner=PetitionerIn(name=f"{title}人", village=cast[village].village),
            title=title,
            content="内容",
            persons_count=persons,
            has_threat=threat,
            category=category,
            matter=category.matters[0],
        ),
        acting_user=cast["office"],
    ).case


def sheet(response):
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return book.active


def excel_day(value) -> dt.date:
    """An Excel date cell, which openpyxl reads as a datetime at midnight (a text cell fails here)."""
    assert isinstance(value, dt.datetime) and value.time() == dt.time(0), value
    return value.date()


def rows_by_header(ws) -> list[dict]:
    header = [c.value for c in ws[3]]
    return [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=4, values_only=True)]


def test_the_sheet_has_the_campaigns_columns_with_dates_and_numbers_typed(client_as, cast):
    case = register(cast, "集体讨薪", persons=6, channel="letter", threat=True)
    accept_and_assign(
        cast, case, plan="逐户核实工资清单", resolve_by=dt.date(2026, 9, 30), override_reason="联席会议确定"
    )
    office = cast["office"]
    task_force_set(
        case_id=case.pk,
        acting_user=office,
        members=[(cast["village1"].village.contact_leader, "组长", True)],
    )
    plan_save(
        case_id=case.pk,
        acting_user=office,
        measures="上门稳控",
        judgements=["reasonable"],
        rebound_measures="每月回访一次",
    )
    Case.objects.filter(pk=case.pk).update(
        due_on=dt.date(2026, 8, 1),  # passed: the note goes in its own column
        last_progress="已约谈企业负责人",
        last_progress_on=dt.date(2026, 8, 2),
        resolution_signed_on=dt.date(2026, 8, 2),
        resolved_on=dt.date(2026, 8, 3),
    )
    ws = sheet(client_as("office").get("/cases/export.xlsx"))
    assert tuple(c.value for c in ws[3]) == HEADER
    [row] = rows_by_header(ws)
    case.refresh_from_db()
    assert row["编号"] == case.number
    assert row["具体事项"] == case.matter and row["具体事项"]
    assert excel_day(row["信访日期"]) == dt.date(2026, 8, 1)  # a real date, with its year
    assert row["渠道"] == "来信"
    assert row["人数"] == 6 and isinstance(row["人数"], int | float)
    assert row["牵头部门"] == cast["dept1"].department.name
    assert row["工作专班"] == f"{cast['village1'].village.contact_leader.name}（组长）"
    assert row["化稳方案"] == case.plan and "上门稳控" in case.plan
    assert row["防反弹措施"] == "每月回访一次"
    assert excel_day(row["解决时限"]) == dt.date(2026, 9, 30)
    assert excel_day(row["当前期限"]) == dt.date(2026, 8, 1)
    assert row["是否超期"] == "已超期"
    assert excel_day(row["进展日期"]) == dt.date(2026, 8, 2)
    assert row["最新进展"] == "已约谈企业负责人"
    assert excel_day(row["化解日期"]) == dt.date(2026, 8, 2)
    assert excel_day(row["销号日期"]) == dt.date(2026, 8, 3)
    assert row["“五有”缺项"] is None  # all five: leader, task force, plan, deadline, rebound measures
    assert "集体访" in row["突出问题情形"] and "扬言" in row["突出问题情形"]
    for name in ("信访日期", "解决时限", "当前期限", "进展日期", "化解日期", "销号日期"):
        assert ws.cell(row=4, column=HEADER.index(name) + 1).number_format == "yyyy-mm-dd", name


def test_a_prominent_case_lacking_some_of_the_five_haves_says_which(client_as, cast):
    register(cast, "扬言事项", threat=True)
    register(cast, "普通事项")
    rows = {r["信访事项"]: r for r in rows_by_header(sheet(client_as("office").get("/cases/export.xlsx")))}
    assert rows["扬言事项"]["“五有”缺项"] == "包案领导、工作专班、化稳方案、解决时限、防反弹措施"
    assert rows["普通事项"]["“五有”缺项"] is None  # not on the prominent ledger: no gaps to report
    assert rows["普通事项"]["是否超期"] is None and rows["普通事项"]["解决时限"] is None


def test_the_sheet_prints_on_landscape_a4_with_its_title_rows_filter_and_a_chinese_font(client_as, cast):
    register(cast, "事项")
    ws = sheet(client_as("office").get("/cases/export.xlsx"))
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.print_title_rows == "$1:$3"
    assert ws.auto_filter.ref == f"A3:{openpyxl.utils.get_column_letter(len(HEADER))}4"
    assert ws["B4"].font.name == "宋体" and ws["A3"].font.name == "宋体" and ws["A1"].font.name == "宋体"
    assert "&P" in ws.oddFooter.center.text


def test_the_rows_are_the_filtered_ledger(client_as, cast):
    for i in range(3):
        register(cast, f"村一事项{i}")
    register(cast, "村二事项", village="village2")
    office = client_as("office")
    village2 = cast["village2"].village_id
    for query in ("", f"village={village2}", "q=村一事项1", "channel=letter"):
        rows = rows_by_header(sheet(office.get(f"/cases/export.xlsx?{query}")))
        api = office.get(f"/api/v1/cases?{query}").json()["items"]
        assert [r["编号"] for r in rows] == [c["number"] for c in api], query
        assert [r["序号"] for r in rows] == list(range(1, len(api) + 1))


def test_the_export_costs_the_same_queries_for_10_rows_as_for_40(client_as, cast):
    office = client_as("office")

    def export_queries(n):
        while Case.objects.count() < n:
            case = register(cast, f"事项{Case.objects.count()}", threat=True)
            if Case.objects.count() % 3 == 0:
                accept_and_assign(cast, case, plan="方案", override_reason="联席会议确定")
                task_force_set(
                    case_id=case.pk,
                    acting_user=cast["office"],
                    members=[(cast["village1"].village.contact_leader, "组长", True)],
                )
        with CaptureQueriesContext(connection) as queries:
            assert len(rows_by_header(sheet(office.get("/cases/export.xlsx")))) == n
        return len(queries)

    few, many = export_queries(10), export_queries(40)
    assert few == many <= 12, many
