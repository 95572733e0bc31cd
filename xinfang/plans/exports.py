"""The "五有"未齐全 list as an Excel sheet: what a town hands to its leaders to close the gaps."""

import tempfile

from xinfang.core import excel

COLUMNS = [
    ("序号", 6),
    ("编号", 20),
    ("信访事项", 32),
    ("村（居）", 14),
    ("包案领导", 12),
    ("办理状态", 12),
    ("化解状态", 14),
    ("解决时限", 12),
    ("尚缺", 30),
    ("节点超期", 10),
]


def incomplete_xlsx(cases, *, unit: str, across_towns: bool, today) -> tuple:
    """The open file, at its start, and the number of rows written. `cases` come from
    selectors.five_haves_incomplete (each with `missing` and `has_overdue_milestone`)."""
    columns = COLUMNS[:1] + ([("镇", 10)] if across_towns else []) + COLUMNS[1:]
    handle = tempfile.TemporaryFile()
    book = excel.workbook(handle, {"in_memory": False})
    cells = excel.Cells(book)
    head = book.add_format(
        {"bold": True, "align": "center", "valign": "vcenter", "border": 1, "bg_color": "#DDEBF7"}
    )
    cell = cells.style(text_wrap=True, valign="top", border=1)
    big = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    sheet = book.add_worksheet("五有未齐全")
    sheet.merge_range(0, 0, 0, len(columns) - 1, f"{unit}“五有”未齐全的突出问题", big)
    sheet.write(1, 0, f"导出日期：{today:%Y-%m-%d}　共 {len(cases)} 件")
    for col, (_, width) in enumerate(columns):
        sheet.set_column(col, col, width)
    sheet.write_row(2, 0, [name for name, _ in columns], head)
    sheet.freeze_panes(3, 0)
    for n, c in enumerate(cases, start=1):
        values = [n] + ([c.town.name] if across_towns else [])
        values += [
            c.number,
            c.title,
            c.village.name if c.village_id else "",
            c.lead_leader.name if c.lead_leader_id else "尚未确定",
            c.get_state_display(),
            c.get_resolution_display(),
            c.resolve_by,
            "、".join(c.missing),
            "是" if c.has_overdue_milestone else "",
        ]
        cells.row(sheet, n + 2, 0, values, cell)
    book.close()
    handle.seek(0)
    return handle, len(cases)
