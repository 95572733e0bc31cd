"""The ranking as an Excel file (through core.excel: nothing typed can run as a formula)."""

import io

from xinfang.core.excel import Cells, workbook

from .choices import UnitKind


def ranking_workbook(r) -> bytes:
    out = io.BytesIO()
    book = workbook(out, {"in_memory": True})
    cells = Cells(book)
    head = cells.style(bold=True, bg_color="#DDEBF7", border=1, text_wrap=True, valign="vcenter")
    body = cells.style(border=1)
    sheet = book.add_worksheet("考核排名")
    title = f"{r.town.name}{UnitKind(r.kind).label}信访工作考核排名（{r.period.label}）"
    cells.write(sheet, 0, 0, title, cells.style(bold=True, font_size=14))
    cells.write(sheet, 1, 0, f"基础分 {r.base:g}；比率项得分 = 分值 × 比率，扣分项按件（次）扣分")
    columns = ["排名", "单位", "总分"]
    for _, name in r.columns:
        columns += [f"{name}（件/次）", f"{name}（得分）"]
    cells.row(sheet, 3, 0, columns, head)
    for i, s in enumerate(r.scores):
        values = [s.rank, s.unit_name, s.total]
        for key, _ in r.columns:
            item = s.by_key[key]
            values += [f"{item.count}/{item.total}" if item.rate else item.count, item.points]
        cells.row(sheet, 4 + i, 0, values, body)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2 + 2 * len(r.columns), 11)
    # A second sheet with each unit's explanation, so the file stands on its own.
    notes = book.add_worksheet("计分说明")
    cells.row(notes, 0, 0, ["单位", "考核项目", "得分", "计算"], head)
    row = 1
    for s in r.scores:
        for item in s.items:
            cells.row(notes, row, 0, [s.unit_name, item.name, item.points, item.explain], body)
            row += 1
    notes.set_column(0, 1, 16)
    notes.set_column(3, 3, 60)
    book.close()
    return out.getvalue()
