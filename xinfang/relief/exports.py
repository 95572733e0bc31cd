"""The reliefs of a period as an Excel sheet: the rows, then the totals by kind and by village."""

import tempfile

from xinfang.accounts.choices import Role
from xinfang.core import excel

COLUMNS = [
    ("序号", 6),
    ("救助日期", 12),
    ("信访事项编号", 20),
    ("信访事项", 30),
    ("救助对象", 14),
    ("村（居）", 16),
    ("救助类型", 12),
    ("金额（元）", 14),
    ("批准人", 14),
    ("批准文号", 18),
    ("说明", 30),
    ("录入人", 12),
]


def _village(relief, across_towns: bool) -> str:
    name = relief.case.village.name if relief.case.village_id else "未定村（居）"
    return f"{relief.case.town.name} · {name}" if across_towns else name


def relief_xlsx(reliefs, *, period, summary: dict, user, today) -> tuple:
    """The open file, at its start, and the number of rows written."""
    across_towns = user.role == Role.COUNTY
    handle = tempfile.TemporaryFile()
    book = excel.workbook(handle, {"in_memory": False})
    cells = excel.Cells(book)
    head = book.add_format(
        {"bold": True, "align": "center", "valign": "vcenter", "border": 1, "bg_color": "#DDEBF7"}
    )
    cell = cells.style(text_wrap=True, valign="top", border=1)
    money = cells.style(num_format="#,##0.00", valign="top", border=1)
    bold_money = book.add_format({"num_format": "#,##0.00", "bold": True, "border": 1})
    bold = book.add_format({"bold": True, "border": 1})
    big = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    unit = "全县" if across_towns or user.town is None else user.town.name

    sheet = book.add_worksheet("救助明细")
    sheet.merge_range(0, 0, 0, len(COLUMNS) - 1, f"{unit}专项救助、社会救济明细（{period.label}）", big)
    sheet.write(
        1, 0, f"统计期间：{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}　导出日期：{today:%Y-%m-%d}"
    )
    for col, (_, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
    sheet.write_row(2, 0, [name for name, _ in COLUMNS], head)
    sheet.freeze_panes(3, 0)
    row = 2
    for row, r in enumerate(reliefs, start=3):
        cells.write(sheet, row, 0, row - 2, cell)
        cells.row(
            sheet,
            row,
            1,
            [
                f"{r.given_on:%Y-%m-%d}",
                r.case.number,
                r.case.title,
                r.petitioner.name if r.petitioner_id else r.case.petitioner_label,
                _village(r, across_towns),
                r.get_kind_display(),
            ],
            cell,
        )
        cells.write(sheet, row, 7, r.amount, money)
        cells.row(sheet, row, 8, [r.approved_by, r.approval_number, r.note, r.recorded_by.display_name], cell)
    count = row - 2
    sheet.write(row + 1, 6, "合计", bold)
    sheet.write_number(row + 1, 7, float(summary["amount"]), bold_money)

    totals = book.add_worksheet("汇总")
    totals.set_column(0, 0, 24)
    totals.set_column(1, 2, 14)
    totals.merge_range(0, 0, 0, 2, f"{unit}专项救助汇总（{period.label}）", big)
    at = 2
    for title, rows in (("救助类型", summary["by_kind"]), ("村（居）", summary["by_village"])):
        totals.write_row(at, 0, [title, "笔数", "金额（元）"], head)
        at += 1
        for item in rows:
            cells.row(totals, at, 0, [item["label"], item["count"]], cell)
            cells.write(totals, at, 2, item["amount"], money)
            at += 1
        totals.write(at, 0, "合计", bold)
        totals.write_number(at, 1, summary["count"], bold)
        totals.write_number(at, 2, float(summary["amount"]), bold_money)
        at += 2
    book.close()
    handle.seek(0)
    return handle, count
