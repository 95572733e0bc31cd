"""The reports a town hands in, as files: the ledger (Excel, the columns of cases.exports) and three Word
reports — the monthly bulletin (通报), the quarterly report to the party committee (党委会) and the
annual work report (《信访工作条例》第四十一条: the statistics, the areas of the matters, the units most
complained about, the transfers, assignments and supervision, the suggestions and whether they were
adopted). Tables carry every number; the charts (PNG, charts.py) show the same numbers.

Each builder takes `progress(percent, step)` so that a background job can show how far it is."""

import datetime as dt
import io

from django.db.models import Count, F, Q
from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from xinfang.cases import exports
from xinfang.cases.documents import _page_number, _run, document_date
from xinfang.cases.models import Case
from xinfang.cases.selectors import day_start, ledger
from xinfang.core.scoping import scope
from xinfang.notices.models import AssignmentNotice
from xinfang.org.models import Department, Village

from . import charts, metrics_cards, selectors
from .periods import Period

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"
TOP_UNITS = 10


def _noop(percent: int, step: str) -> None:
    return None


def unit_name(user) -> str:
    return user.town.name if user.town_id else "县信访局"


# --- Excel -----------------------------------------------------------------------------------------


def ledger_file(user, params: dict, progress=_noop) -> tuple[bytes, str, int]:
    """The ledger sheet a town hands in (cases.exports), for the whole scope or one view of it."""
    view = params.get("view") or "all"
    title = {"all": "台账", "prominent": "突出问题台账", "resolved": "已化解台账"}.get(view, "台账")
    progress(10, "读取台账")
    today = timezone.localdate()
    cases = ledger(user=user, filters={"view": view}, today=today)
    progress(30, "写入 Excel")
    handle, count = exports.ledger_xlsx(cases, title=title, town=user.town, today=today)
    with handle:
        data = handle.read()
    return data, f"{unit_name(user)}信访{title}-{today:%Y%m%d}.xlsx", count


# --- Word: building blocks -------------------------------------------------------------------------


def _document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    doc.settings.odd_and_even_pages_header_footer = True
    section.footer_distance = Cm(2.8)
    _page_number(section.footer, odd=True)
    _page_number(section.even_page_footer, odd=False)
    return doc


def _title(doc, text: str, sub: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, text, font=TITLE_FONT, size=22)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, sub, size=16)


def _heading(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    p.paragraph_format.space_before = Pt(6)
    _run(p, text, font=HEADING_FONT, size=16)


def _para(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    _run(p, text)


def _shade(cell, colour: str) -> None:
    props = cell._element.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    props.append(shading)


def _table(
    doc, header: list[str], rows: list[list], *, widths: list[float] | None = None, colours=None
) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(header):
        cell = table.rows[0].cells[i]
        cell.text = ""
        _run(cell.paragraphs[0], text, font=TABLE_FONT, size=10.5, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _shade(cell, "DDEBF7")
    for r, values in enumerate(rows):
        cells = table.add_row().cells
        for i, value in enumerate(values):
            cells[i].text = ""
            _run(cells[i].paragraphs[0], "" if value is None else str(value), font=TABLE_FONT, size=10.5)
            if i:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            if colours and colours[r] and i == len(values) - 1:
                cells[i].paragraphs[0].runs[0].font.color.rgb = RGBColor.from_string(colours[r])
    if widths:
        # Word reads the cells' widths, LibreOffice the grid's: both are set.
        table.autofit = False
        for i, w in enumerate(widths):
            table.columns[i].width = Cm(w)
            for cell in table.columns[i].cells:
                cell.width = Cm(w)
    doc.add_paragraph()


def _image(doc, png: bytes, caption: str) -> None:
    doc.add_picture(io.BytesIO(png), width=Cm(15.5))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, caption, font=TABLE_FONT, size=10.5)


def _h(number: str, name: str) -> str:
    """一、总体情况; a sub-section （一）总体情况 has no 、."""
    return f"{number}{name}" if number.startswith("（") else f"{number}、{name}"


def _change(now: int, before: int) -> str:
    """同比上升 12.5%（去年同期 8 件）; with nothing last year, just that."""
    if before == 0:
        return "去年同期为 0 件"
    rate = (now - before) / before * 100
    word = "上升" if rate > 0 else "下降"
    change = f"同比{word}{abs(rate):.1f}%" if rate else "与去年同期持平"
    return f"{change}（去年同期 {before} 件）"


STATUS_COLOUR = {"达标": "1E7B34", "未达标": "B71C1C", "预警": "B26A00"}


# --- Word: the sections --------------------------------------------------------------------------


def _facts(user, period: Period, today: dt.date) -> dict:
    """The numbers every Word report starts from, read once."""
    unit = selectors.Unit()
    now = selectors.ledger_count(user, {"received_from": period.start, "received_to": period.end}, today)
    last = period.last_year()
    before = selectors.ledger_count(user, {"received_from": last.start, "received_to": last.end}, today)
    return {
        "where": "全镇" if user.town_id else "全县",
        "received": now,
        "received_last_year": before,
        "groups": metrics_cards.grouped(user, period, unit),
        "categories": selectors.categories(user, period, unit, today),
        "villages": selectors.ranking(user, period, unit, "village"),
        "lines": selectors.ranking(user, period, unit, "department"),
        "gaps": selectors.gaps(user, unit, today),
        "incidents": selectors.incidents(user, period, unit),
        "trend": selectors.monthly_intake(user, unit, period.end.year),
    }


def _overview(doc, period: Period, facts: dict, number: str) -> None:
    _heading(doc, _h(number, "总体情况"))
    gaps = {g.key: g.count for g in facts["gaps"]}
    incidents = sum(i.count for i in facts["incidents"])
    now, before = facts["received"], facts["received_last_year"]
    _para(
        doc,
        f"{period.label}，{facts['where']}新收信访事项 {now} 件，{_change(now, before)}。"
        f"截至目前，在办已超期 {gaps.get('overdue', 0)} 件，"
        f"突出问题“五有”未齐全 {gaps.get('five_haves', 0)} 件，"
        f"报送化解待对账销号 {gaps.get('submitted', 0)} 件；本期发生“五不”事件 {incidents} 起。",
    )


def _targets(doc, facts: dict, number: str) -> None:
    _heading(doc, _h(number, "“三降、四升、五不”目标完成情况"))
    rows, colours = [], []
    for group, cards in facts["groups"]:
        for c in cards:
            rows.append([group, c.name, c.value, c.target, c.last_year, c.status or "—"])
            colours.append(STATUS_COLOUR.get(c.status, ""))
    if not rows:
        _para(doc, "本期无可计算的目标指标。")
        return
    reached = sum(1 for r in rows if r[-1] == "达标")
    _para(doc, f"共 {len(rows)} 项指标，达标 {reached} 项，未达标或预警 {len(rows) - reached} 项。")
    _table(
        doc,
        ["类别", "指标", "本期", "目标", "去年同期", "状态"],
        rows,
        widths=[1.9, 4.6, 2.0, 3.0, 2.2, 1.9],
        colours=colours,
    )


def _areas(doc, facts: dict, number: str) -> None:
    _heading(doc, _h(number, "信访事项涉及领域"))
    cats = facts["categories"]
    if not cats:
        _para(doc, "本期无新收信访事项。")
        return
    total = sum(c.count for c in cats) or 1
    top = cats[0]
    _para(doc, f"按问题类别，{top.label}最多，{top.count} 件，占 {top.count / total * 100:.1f}%。")
    _table(
        doc,
        ["类别", "本期（件）", "去年同期（件）", "占比"],
        [[c.label, c.count, c.last_year, f"{c.count / total * 100:.1f}%"] for c in cats],
        widths=[5, 3, 3.5, 3],
    )
    _image(
        doc,
        charts.bar_chart(
            "信访事项类别分布", [c.label for c in cats], [c.count for c in cats], [c.last_year for c in cats]
        ),
        "图 按类别的信访事项（本期与去年同期）",
    )


def _trend(doc, facts: dict, number: str) -> None:
    t = facts["trend"]
    _heading(doc, _h(number, "逐月走势"))
    _table(
        doc,
        ["月份", *[m.replace("月", "") for m in t["months"]]],
        [[f"{t['year']}年", *t["this_year"]], [f"{t['year'] - 1}年", *t["last_year"]]],
        widths=[2.0] + [1.1] * 12,
    )
    _image(
        doc,
        charts.line_chart("逐月新收信访事项", t["months"], t["this_year"], t["last_year"]),
        "图 逐月新收信访事项（本年与上年）",
    )


def _units(doc, facts: dict, number: str) -> None:
    _heading(doc, _h(number, "各村（居）和条线"))
    if facts["villages"]:
        _para(doc, "信访事项较多的村（居）：")
        _table(
            doc,
            ["村（居）", "本期新收（件）"],
            [[r.label, r.count] for r in facts["villages"]],
            widths=[8, 5],
        )
    if facts["lines"]:
        _para(doc, "信访事项较多的牵头部门（条线）：")
        _table(
            doc,
            ["部门（条线）", "本期新收（件）"],
            [[r.label, r.count] for r in facts["lines"]],
            widths=[8, 5],
        )


def _gaps(doc, facts: dict, number: str) -> None:
    _heading(doc, _h(number, "超期和“五有”缺项"))
    _table(doc, ["项目", "件数"], [[g.label, g.count] for g in facts["gaps"]], widths=[9, 4])


def _incidents(doc, facts: dict, number: str) -> None:
    _heading(doc, _h(number, "“五不”事件"))
    found = [i for i in facts["incidents"] if i.count]
    if not found:
        _para(doc, "本期未发生“五不”事件。")
        return
    _table(doc, ["类型", "起数"], [[i.label, i.count] for i in found], widths=[9, 4])


def _complained(doc, user, period: Period, number: str) -> None:
    """第四十一条（一）: the units most complained about — the departments and villages named in
    accusations, and the departments leading the most matters."""
    _heading(doc, _h(number, "被投诉较多的机关、单位"))
    cases = scope(Case.objects.all(), user).filter(
        received_at__gte=day_start(period.start), received_at__lt=day_start(period.end + dt.timedelta(days=1))
    )
    accused = []
    for model, through, label in (
        (Department, Case.accused_departments.through, "部门"),
        (Village, Case.accused_villages.through, "村（居）"),
    ):
        field = "department_id" if model is Department else "village_id"
        counts = (
            through.objects.filter(case__in=cases.values("pk"))
            .values(field)
            .annotate(n=Count("case_id", distinct=True))
            .order_by("-n")[:TOP_UNITS]
        )
        names = dict(scope(model.objects.all(), user).values_list("pk", "name"))
        accused += [[names.get(r[field], "—"), label, r["n"]] for r in counts if r[field] in names]
    accused.sort(key=lambda r: -r[2])
    if accused:
        _para(doc, "被检举控告较多的单位：")
        _table(doc, ["单位", "类型", "涉及事项（件）"], accused[:TOP_UNITS], widths=[7, 3, 4])
    else:
        _para(doc, "本期没有检举控告具体单位的信访事项。")
    leads = (
        cases.exclude(lead_department=None)
        .values("lead_department__name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:TOP_UNITS]
    )
    if leads:
        _para(doc, "信访事项涉及较多的主管部门（按牵头部门）：")
        _table(
            doc, ["部门", "事项（件）"], [[r["lead_department__name"], r["n"]] for r in leads], widths=[8, 5]
        )


def _assignments(doc, user, period: Period, number: str) -> None:
    """第四十一条（二）: transfers, assignments and supervision."""
    _heading(doc, _h(number, "转送、交办、督办情况"))
    notices = scope(AssignmentNotice.objects.all(), user).filter(
        sent_at__gte=day_start(period.start), sent_at__lt=day_start(period.end + dt.timedelta(days=1))
    )
    counts = notices.aggregate(
        total=Count("pk"),
        acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        late=Count("pk", filter=Q(acknowledged_at__gt=F("ack_due_at"))),
        withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False)),
    )
    _table(
        doc,
        ["交办单（件）", "已签收", "超时签收", "已撤回"],
        [[counts["total"], counts["acknowledged"], counts["late"], counts["withdrawn"]]],
    )


def _suggestions(doc, number: str) -> None:
    """第四十一条（三）: the system keeps no register of suggestions yet; the table is left for the
    office to fill in, so that the report has the article's every section."""
    _heading(doc, _h(number, "提出改进工作、完善政策、追究责任建议及被采纳情况"))
    _para(doc, "（本系统尚未登记建议事项，以下由联席办填写。）")
    _table(
        doc,
        ["建议内容", "提出对象", "提出日期", "是否采纳", "采纳情况"],
        [["", "", "", "", ""] for _ in range(3)],
    )


def _closing(doc, user, today: dt.date) -> None:
    doc.add_paragraph()
    for text in (unit_name(user) + "信访工作联席会议办公室", document_date(today)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(64)
        _run(p, text)


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- Word: the three reports ---------------------------------------------------------------------

WORD_TITLES = {
    "bulletin": "信访工作通报",
    "quarterly": "关于信访工作情况的报告",
    "annual": "信访工作年度报告",
}


def word_report(kind: str, user, period: Period, progress=_noop) -> tuple[bytes, str]:
    today = timezone.localdate()
    progress(5, "统计指标")
    facts = _facts(user, period, today)
    progress(55, "绘制图表、写入文档")
    doc = _document()
    unit = unit_name(user)
    if kind == "bulletin":
        _title(doc, f"{unit}{WORD_TITLES[kind]}", f"（{period.label}）")
        sections = [_overview, _targets, _areas, _units, _gaps, _incidents]
        for i, section in enumerate(sections):
            section(doc, period, facts, _cn(i + 1)) if section is _overview else section(
                doc, facts, _cn(i + 1)
            )
    elif kind == "quarterly":
        _title(doc, f"{unit}{WORD_TITLES[kind]}", f"（{period.label}，报镇党委会）")
        _overview(doc, period, facts, "一")
        _targets(doc, facts, "二")
        _areas(doc, facts, "三")
        _trend(doc, facts, "四")
        _units(doc, facts, "五")
        _gaps(doc, facts, "六")
        _incidents(doc, facts, "七")
        _heading(doc, "八、下一步工作")
        _para(doc, "对未达标指标逐项分析原因，明确责任领导和时限；超期事项和“五有”缺项逐件销号。")
    else:
        _title(doc, f"{unit}{WORD_TITLES[kind]}", f"（{period.label}，依据《信访工作条例》第四十一条）")
        _heading(doc, "一、信访事项的数据统计")
        now, before = facts["received"], facts["received_last_year"]
        _para(
            doc,
            f"{period.label}{facts['where']}新收信访事项 {now} 件，{_change(now, before)}。",
        )
        _targets(doc, facts, "（一）")
        _trend(doc, facts, "（二）")
        _areas(doc, facts, "二")
        _complained(doc, user, period, "三")
        _assignments(doc, user, period, "四")
        _suggestions(doc, "五")
        _incidents(doc, facts, "六")
        _gaps(doc, facts, "七")
    progress(90, "保存文档")
    _closing(doc, user, today)
    label = period.label
    return _save(doc), f"{unit}{WORD_TITLES[kind]}（{label}）.docx"


def _cn(n: int) -> str:
    return "一二三四五六七八九十"[n - 1]
