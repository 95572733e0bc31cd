"""Notices to the petitioner as Word files in official-document form (GB/T 9704-2012 where it
applies): the title in 小标宋 二号, the number line, the addressee, the body in 仿宋 三号; the date
(成文日期) in Arabic numerals with the year in full and no leading zeros (7.3.5.1), four characters
from the right margin, the issuing unit centred over it, and room above them for the seal, which
presses down on both (7.3.5.1); page numbers in 宋体 四号 as "— 1 —" below the text, odd pages on
the right and even pages on the left, one character in from the margin (7.5).

Fonts are named, not shipped: a government PC has them; elsewhere Word falls back.
"""

import io

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .models import Petition

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
BODY_SIZE = 16  # 三号, in points: one character of the body is this wide
DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """0–99 in Chinese numerals as dates write them: 〇, 九, 十, 十五, 二十三."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("十" if tens == 1 else DIGITS[tens] + "十") + (DIGITS[ones] if ones else "")


def chinese_date(day) -> str:
    year = "".join(DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def document_date(day) -> str:
    """A date as GB/T 9704-2012 writes it: 2026年8月4日 (Arabic numerals, the year in full, no 0 in
    front of a month or day). The documents write every date so."""
    return f"{day.year}年{day.month}月{day.day}日"


def _width(text: str, size: int = BODY_SIZE) -> float:
    """The printed width of a line in points: Chinese characters a full em, digits and Latin half."""
    return sum(size / 2 if ord(ch) < 0x2E80 else size for ch in text)


def _page_number(footer, *, odd: bool) -> None:
    """ "— 1 —" in 宋体 四号: on the right of odd pages and the left of even ones, one character in."""
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        p.paragraph_format.right_indent = Pt(14)
    else:
        p.paragraph_format.left_indent = Pt(14)
    _run(p, "— ", font=PAGE_NUMBER_FONT, size=14)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        run = _run(p, "", font=PAGE_NUMBER_FONT, size=14)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == "PAGE":
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = " PAGE "
            run._element.append(code)
        else:
            run.text = text
    _run(p, " —", font=PAGE_NUMBER_FONT, size=14)


def _run(paragraph, text, *, font=BODY_FONT, size=16, bold=False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    run._element.rPr.rFonts.set(qn("w:eastAsia"), font)
    return run


def official_document(
    *, title: str, number: str, addressee: str, paragraphs: list[str], unit: str, day
) -> Document:
    """A document in official form: title, number line, addressee, indented body, issuing unit and
    date right-aligned. Callers may add lines (a receipt) before saving it with `document_bytes`."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(heading, title, font=TITLE_FONT, size=22)
    numbered = doc.add_paragraph()
    numbered.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(numbered, number)
    _run(doc.add_paragraph(), f"{addressee}：")
    for text in paragraphs:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        _run(p, text)
    # Room for the seal, which presses on the unit and the date with its top within a line of the body.
    doc.add_paragraph()
    doc.add_paragraph()
    date = document_date(day)
    date_indent = 4 * BODY_SIZE  # the date four characters in from the right (右空四字)
    unit_indent = max(0.0, date_indent + (_width(date) - _width(unit)) / 2)  # centred over the date
    for text, indent in ((unit, unit_indent), (date, date_indent)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(indent)
        _run(p, text)
    doc.settings.odd_and_even_pages_header_footer = True
    section.footer_distance = Cm(2.8)  # the number 7 mm below the text's bottom edge
    _page_number(section.footer, odd=True)
    _page_number(section.even_page_footer, odd=False)
    return doc


def document_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _notice(**parts) -> bytes:
    return document_bytes(official_document(**parts))


def petitioners_in_order(petition) -> list:
    """The petition's persons in the order they were registered: the petitioner, then the group's
    representatives (a petitioner's own ordering is newest first)."""
    links = Petition.petitioners.through.objects.filter(petition=petition).select_related("petitioner")
    return [link.petitioner for link in links.order_by("id")]


def _addressee(case) -> str:
    """Everyone who came on the first petition (a group's representatives too), in their order."""
    first = case.petitions.order_by("received_at", "id").first()
    names = [p.name for p in petitioners_in_order(first)] if first else []
    return "、".join(names) or "信访人"


def _query_code(case) -> str:
    """The query code of the case's first letter or visit (calls and online petitions have none)."""
    first = case.petitions.exclude(query_code="").order_by("received_at", "id").first()
    return first.query_code if first else ""


def query_paragraph(case, query_url: str) -> str | None:
    """How the petitioner follows the case: the query code and the public page, and the office's
    telephone when the town gave one."""
    code = _query_code(case)
    phone = f"，也可致电{case.town.office_phone}" if case.town.office_phone else ""
    if code and query_url:
        return (
            f"你（们）可凭查询码 {code} 查询办理进展：打开 {query_url}，输入查询码即可，无需登录"
            f"{phone}。查询时请报事项编号 {case.number}。"
        )
    if phone:
        return f"如需了解办理进展{phone}，查询时请报事项编号 {case.number}。"
    return None


def acceptance_notice(case, query_url: str = "") -> bytes:
    """受理告知书, with the query code and how to use it."""
    received = timezone.localtime(case.received_at)
    follow = query_paragraph(case, query_url)
    return _notice(
        title="信访事项受理告知书",
        number=case.number,
        addressee=_addressee(case),
        paragraphs=[
            f"你（们）于{document_date(received.date())}反映的“{case.title}”信访事项收悉。",
            f"根据《信访工作条例》的规定，本机关决定予以受理，将自受理之日起六十日内办结，"
            f"办理期限至{document_date(case.handling_due)}；情况复杂的，经批准可以适当延长，"
            f"延长期限不超过三十日，并告知你（们）延期理由。",
            *([follow] if follow else []),
            "特此告知。",
        ],
        unit=f"{case.town.name}信访工作联席会议办公室",
        day=case.accepted_on,
    )


def non_acceptance_notice(case, day=None) -> bytes:
    """不予受理告知书."""
    received = timezone.localtime(case.received_at)
    return _notice(
        title="信访事项不予受理告知书",
        number=case.number,
        addressee=_addressee(case),
        paragraphs=[
            f"你（们）于{document_date(received.date())}反映的“{case.title}”信访事项收悉。",
            f"经审查，{case.not_accepted_reason.rstrip('。')}。根据《信访工作条例》的规定，本机关决定不予受理。",
            "特此告知。",
        ],
        unit=f"{case.town.name}信访工作联席会议办公室",
        day=day or timezone.localdate(),
    )


def extension_notice(case) -> bytes:
    """延期告知书."""
    received = timezone.localtime(case.received_at)
    return _notice(
        title="信访事项延期办理告知书",
        number=case.number,
        addressee=_addressee(case),
        paragraphs=[
            f"你（们）于{document_date(received.date())}反映的“{case.title}”信访事项，"
            f"本机关已于{document_date(case.accepted_on)}受理。",
            f"因{case.extension_reason.rstrip('。')}，经{case.extension_approved_by}批准，根据《信访工作条例》的规定，"
            f"办理期限延长{case.extension_days}日，延长至{document_date(case.handling_due)}。",
            "特此告知。",
        ],
        unit=f"{case.town.name}信访工作联席会议办公室",
        day=case.extended_on,
    )


def opinion_letter(case) -> bytes:
    """处理意见书: the request, the facts and reasons, the decision with its basis, the remedy."""
    received = timezone.localtime(case.received_at)
    limits = case.town.time_limits
    stage = {0: "处理", 1: "复查", 2: "复核"}[case.review_stage]
    if case.law_related:
        # 诉访分离: the remedy is the legal procedure, not 复查/复核.
        remedy = "本事项涉及诉讼等法律程序，请依法通过诉讼、仲裁、行政复议等法定途径解决。"
    elif case.review_stage < 2:
        what_next = "复查" if case.review_stage == 0 else "复核"
        days = limits.review_request_days if case.review_stage == 0 else limits.re_review_request_days
        # The window runs from the day the petitioner receives this letter: its end is known only
        # once delivery is recorded.
        until = f"（期限至{document_date(case.review_request_due)}）" if case.review_request_due else ""
        remedy = (
            f"如对本{stage}意见不服，可以自收到本意见书之日起{days}日内向本机关的上一级机关申请{what_next}"
            f"{until}。"
        )
    else:
        remedy = "本复核意见为终结意见。信访人对同一事实和理由提出的信访事项，不再受理。"
    unit = case.lead_department.name if case.lead_department_id else f"{case.town.name}人民政府"
    return _notice(
        title=f"信访事项{stage}意见书",
        number=case.number,
        addressee=_addressee(case),
        paragraphs=[
            f"你（们）于{document_date(received.date())}反映的“{case.title}”信访事项，本机关已依法办理。现将{stage}意见告知如下：",
            f"一、信访请求：{case.content.strip().rstrip('。')}。",
            f"二、认定的事实和理由：{case.reply_facts.strip().rstrip('。')}。",
            f"三、处理意见：{case.get_decision_display()}。依据：{case.reply_basis.strip().rstrip('。')}。",
            f"四、{remedy}",
            "特此告知。",
        ],
        unit=unit,
        day=case.replied_on,
    )


DOCUMENTS = {
    # name: (builder, when the case has it, file title)
    "acceptance": (acceptance_notice, lambda c: c.accepted_on is not None, "受理告知书"),
    "non-acceptance": (non_acceptance_notice, lambda c: c.state == "not_accepted", "不予受理告知书"),
    "extension": (extension_notice, lambda c: c.extended_on is not None, "延期告知书"),
    "opinion": (opinion_letter, lambda c: c.replied_on is not None, "处理意见书"),
}


def documents_available(case) -> list[tuple[str, str]]:
    return [(name, label) for name, (_, has, label) in DOCUMENTS.items() if has(case)]
