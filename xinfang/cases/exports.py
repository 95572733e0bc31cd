"""The ledger as the Excel sheet a town hands in (台账), written row by row to a temporary file so that
100,000 rows cost no more memory than ten.

Dates are Excel dates (sortable, filterable, with their year); the sheet prints on landscape A4 with
the title rows on every page, and every cell is in 宋体 so that Chinese prints alike on every PC."""

import tempfile

from django.utils import timezone

from xinfang.core import excel

from . import rules
from .choices import CaseState, Channel, Resolution
from .selectors import ledger_for_export

FONT = "宋体"
COLUMNS = [
    ("序号", 6),
    ("编号", 20),
    ("信访人", 14),
    ("村（居）", 12),
    ("类别", 12),
    ("信访事项", 36),
    ("具体事项", 14),
    ("信访日期", 11),
    ("渠道", 8),
    ("人数", 6),
    ("牵头部门", 16),
    ("包案领导", 10),
    ("责任人", 20),
    ("工作专班", 24),
    ("化稳方案", 36),
    ("防反弹措施", 30),
    ("解决时限", 11),
    ("当前期限", 11),
    ("是否超期", 8),
    ("进展日期", 11),
    ("最新进展", 36),
    ("办理状态", 12),
    ("化解状态", 14),
    ("化解日期", 11),
    ("销号日期", 11),
    ("“五有”缺项", 20),
    ("突出问题情形", 24),
]
HEADER_ROW = 2  # the title, the export date, then the header


def ledger_rows(cases, *, town, today):
    """One list of cell values per case, in the order of COLUMNS (without the running number):
    dates as dates, the persons count as a number, everything else as text."""
    states = dict(CaseState.choices)
    resolutions = dict(Resolution.choices)
    channels = dict(Channel.choices)
    for c in ledger_for_export(cases, today):
        overdue = bool(c.due_on and c.due_on < today and rules.in_hand(c, today))
        yield [
            c.number,
            c.petitioner_label,
            c.village.name if c.village_id else "",
            c.category.name if c.category_id else "未分类",
            c.title,
            c.matter,
            timezone.localtime(c.received_at).date(),
            channels.get(c.first_channel, ""),
            c.first_persons,
            c.lead_department.name if c.lead_department_id else "",
            c.lead_leader.name if c.lead_leader_id else "",
            c.responsible_label,
            c.task_force_text,
            c.plan,
            c.rebound_text or "",
            c.resolve_by,
            c.due_on,
            "已超期" if overdue else "",
            c.last_progress_on,
            c.last_progress,
            states[c.state],
            resolutions[c.resolution]
            + ("（已办结未化解）" if rules.concluded_unresolved(c) and c.ledger_from else ""),
            # 化解日期: the day the agreement was signed, or else the day the resolution was reported.
            c.resolution_signed_on or c.resolution_submitted_on,
            c.resolved_on,
            "、".join(c.five_haves_gaps),
            "、".join(rules.prominent_reasons(c, town, today)) if town else "",
        ]


def ledger_xlsx(cases, *, title: str, town, today) -> tuple:
    """The open file, at its start, and the number of cases written."""
    handle = tempfile.TemporaryFile()
    book = excel.workbook(
        handle,
        {
            "constant_memory": True,
            "in_memory": False,
            "default_format_properties": {"font_name": FONT, "font_size": 10},
        },
    )
    cells = excel.Cells(book)
    sheet = book.add_worksheet(title[:31])
    head = book.add_format(
        {
            "bold": True,
            "align": "center",
            "valign": "vcenter",
            "border": 1,
            "bg_color": "#DDEBF7",
            "text_wrap": True,
            "font_name": FONT,
        }
    )
    cell = cells.style(text_wrap=True, valign="top", border=1, font_name=FONT, font_size=10)
    big = book.add_format({"bold": True, "font_size": 16, "align": "center", "font_name": FONT})
    unit = town.name if town else "全县"
    last_col = len(COLUMNS) - 1
    sheet.merge_range(0, 0, 0, last_col, f"{unit}信访{title}", big)
    sheet.write_string(1, 0, f"导出日期：{today:%Y-%m-%d}")
    for col, (_, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
    sheet.write_row(HEADER_ROW, 0, [name for name, _ in COLUMNS], head)
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    # Print set-up: landscape A4, as wide as one page, the title rows on every page, page numbers.
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, HEADER_ROW)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    row = HEADER_ROW
    for row, values in enumerate(ledger_rows(cases, town=town, today=today), start=HEADER_ROW + 1):
        cells.write(sheet, row, 0, row - HEADER_ROW, cell)
        cells.row(sheet, row, 1, values, cell)
    sheet.autofilter(HEADER_ROW, 0, max(row, HEADER_ROW), last_col)
    book.close()
    handle.seek(0)
    return handle, row - HEADER_ROW
