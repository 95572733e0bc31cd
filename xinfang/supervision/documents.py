"""The 督办单 as a Word file in official-document form (like the 交办单, notices.documents): title,
number, the addressed unit, the numbered items, the issuing team and the date, then the replies
received (or lines for the reply on paper).

A key person is named, without ID number or phone: the unit addressed keeps that person stable and
knows who it is; the numbers stay on the pages of the roles that may see them."""

from django.utils import timezone

from xinfang.cases.documents import _run, chinese_number, document_bytes, document_date, official_document

from .choices import Subject
from .models import SupervisionNotice

TITLE = "信访工作督办单"


def _text(value: str) -> str:
    return (value or "").strip().rstrip("。")


def notice_items(notice: SupervisionNotice) -> list[str]:
    items = [("督办事项", _text(notice.theme))]
    if notice.subject == Subject.CASE and notice.case_id:
        case = notice.case
        items.append(("相关信访事项", f"{case.number}，{_text(case.title)}"))
        if case.resolve_by:
            items.append(("事项解决时限", document_date(case.resolve_by)))
    elif notice.subject == Subject.KEY_PERSON and notice.key_person_id:
        kp = notice.key_person
        where = f"（{kp.village.name}）" if kp.village_id else ""
        items.append(("相关重点人员", f"{kp.petitioner.name}{where}"))
    items.append(("督办要求", _text(notice.requirements)))
    items.append(
        (
            "回复期限",
            f"请于{document_date(notice.reply_due)}前在信访工作平台书面回复办理情况，逾期未回复的"
            "将报镇信访工作联席会议办公室并纳入考核",
        )
    )
    lines = []
    for i, (label, value) in enumerate(items):
        value = value if value.endswith(("。", "—")) else f"{value}。"
        lines.append(f"{chinese_number(i + 1)}、{label}：{value}")
    return lines


def notice_document(notice: SupervisionNotice) -> bytes:
    town = notice.town
    doc = official_document(
        title=TITLE,
        number=notice.number,
        addressee=notice.unit_name,
        paragraphs=[
            "根据信访突出问题专项行动督查督办工作要求，现将下列事项交你单位办理，请认真落实并按期回复。",
            *notice_items(notice),
        ],
        unit=f"{town.name}信访工作联合督查专班",
        day=timezone.localtime(notice.issued_at).date(),
    )
    doc.add_paragraph()
    replies = list(notice.replies.all())
    _run(doc.add_paragraph(), "回复情况：", size=14, bold=True)
    if not replies:
        _run(doc.add_paragraph(), "回复内容：", size=14)
        doc.add_paragraph()
        _run(doc.add_paragraph(), "回复人：                回复时间：      年    月    日", size=14)
    for reply in replies:
        when = timezone.localtime(reply.replied_at)
        _run(
            doc.add_paragraph(),
            f"{document_date(when.date())}{when.hour}时，{notice.unit_name}{reply.replied_by.display_name}：{_text(reply.text)}。",
            size=14,
        )
    if notice.closed_at:
        when = timezone.localtime(notice.closed_at)
        _run(
            doc.add_paragraph(),
            f"办结：{notice.closed_by.display_name}，{document_date(when.date())}。{_text(notice.close_note)}。",
            size=14,
        )
    return document_bytes(doc)


def notice_filename(notice: SupervisionNotice) -> str:
    return f"督办单-{notice.number}-{notice.unit_name}.docx"
