"""The ledger as the Excel sheet a town hands in (台账), written row by row to a temporary file so that
100,000 rows cost no more memory than ten."""

import tempfile

from xinfang.core import excel

from . import rules
from .choices import CaseState, Resolution

COLUMNS = [
    ("序号", 6),
    ("编号", 20),
    ("信访人", 14),
    ("村（居）", 12),
    ("类别", 12),
    ("信访事项", 36),
    ("包案领导", 10),
    ("责任人", 20),
    ("化稳方案", 36),
    ("解决时限", 12),
    ("当前期限", 12),
    ("最新进展", 36),
    ("办理状态", 12),
    ("化解状态", 14),
    ("突出问题情形", 24),
]


def ledger_rows(cases, *, town, today):
    """One list of cell values per case, in the order of COLUMNS (without the running number)."""
    states = dict(CaseState.choices)
    resolutions = dict(Resolution.choices)
    for c in cases.iterator(chunk_size=2000):
        due = c.due_on
        due_text = ""
        if due:
            due_text = f"{due:%Y-%m-%d}" + ("（已超期）" if due < today and rules.in_hand(c, today) else "")
        yield [
            c.number,
            c.petitioner_label,
            c.village.name if c.village_id else "",
            c.category.name if c.category_id else "未分类",
            c.title,
            c.lead_leader.name if c.lead_leader_id else "",
            c.responsible_label,
            c.plan,
            f"{c.resolve_by:%Y-%m-%d}" if c.resolve_by else "",
            due_text,
            (f"{c.last_progress_on:%m-%d} " if c.last_progress_on else "") + c.last_progress,
            states[c.state],
            resolutions[c.resolution]
            + ("（已办结未化解）" if rules.concluded_unresolved(c) and c.ledger_from else ""),
            "、".join(rules.prominent_reasons(c, town, today)) if town else "",
        ]


def ledger_xlsx(cases, *, title: str, town, today) -> tuple:
    """The open file, at its start, and the number of cases written."""
    handle = tempfile.TemporaryFile()
    book = excel.workbook(handle, {"constant_memory": True, "in_memory": False})
    cells = excel.Cells(book)
    sheet = book.add_worksheet(title[:31])
    head = book.add_format(
        {"bold": True, "align": "center", "valign": "vcenter", "border": 1, "bg_color": "#DDEBF7"}
    )
    cell = cells.style(text_wrap=True, valign="top", border=1)
    big = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    unit = town.name if town else "全县"
    sheet.merge_range(0, 0, 0, len(COLUMNS) - 1, f"{unit}信访{title}", big)
    sheet.write(1, 0, f"导出日期：{today:%Y-%m-%d}")
    for col, (_, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
    sheet.write_row(2, 0, [name for name, _ in COLUMNS], head)
    sheet.freeze_panes(3, 2)
    row = 2
    for row, values in enumerate(ledger_rows(cases, town=town, today=today), start=3):
        cells.write(sheet, row, 0, row - 2, cell)
        cells.row(sheet, row, 1, values, cell)
    book.close()
    handle.seek(0)
    return handle, row - 2
