"""The 交办单 as a Word file in official-document form, like the notices to the petitioner
(cases.documents): title, number line, the receiving unit, the numbered items, the issuing unit and
the date in Chinese numerals, and a receipt line for the signature."""

from django.utils import timezone

from xinfang.cases.documents import _run, chinese_date, chinese_number, document_bytes, official_document

from .choices import NoticeTarget
from .models import AssignmentNotice

TITLE = "信访事项交办单"


def chinese_datetime(moment) -> str:
    """二〇二六年八月五日十时, 二〇二六年八月五日十时三十分 (local time)."""
    local = timezone.localtime(moment)
    text = f"{chinese_date(local.date())}{chinese_number(local.hour)}时"
    return text + (f"{chinese_number(local.minute)}分" if local.minute else "")


def _text(value: str) -> str:
    return (value or "").strip().rstrip("。")


def case_items(case) -> list[list[str]]:
    """What the notice says of the case, as [label, text] pairs: taken when the notice is sent and
    kept with it (AssignmentNotice.snapshot)."""
    leader = case.lead_leader
    supporting = list(case.supporting_departments.order_by("order", "id")) if case.pk else []
    leader_text = (
        f"{leader.name}（{leader.title}）" if leader and leader.title else (leader.name if leader else "")
    )
    items = [
        ["事项摘要", f"{_text(case.title)}。{_text(case.content)}"],
        ["信访人（姓名）", case.petitioner_label or "—"],
        ["包案领导", leader_text or "—"],
        ["牵头部门", case.lead_department.name if case.lead_department_id else "—"],
        *([["配合部门", "、".join(d.name for d in supporting)]] if supporting else []),
        ["责任人", case.responsible_label or "—"],
        ["解决时限", chinese_date(case.resolve_by) if case.resolve_by else "—"],
    ]
    if case.plan.strip():
        items.append(["化稳方案", _text(case.plan)])
    return items


def notice_items(notice: AssignmentNotice) -> list[str]:
    """The numbered items of the notice, in the order of the form: the case as it was sent (as it
    is now for notices from before snapshots were kept), the requirements, the time to sign."""
    about = [tuple(item) for item in notice.snapshot.get("items") or case_items(notice.case)]
    # The requirements come after the deadline (解决时限), before the plan.
    labels = [label for label, _ in about]
    cut = labels.index("解决时限") + 1 if "解决时限" in labels else 6
    items = [*about[:cut], ("办理要求", _text(notice.requirements)), *about[cut:]]
    items.append(
        (
            "签收时限",
            f"请于{chinese_datetime(notice.ack_due_at)}前在信访工作平台签收本交办单，逾期未签收的"
            "将列入超时未签收名单",
        )
    )
    lines = []
    for i, (label, value) in enumerate(items):
        value = value if value.endswith(("。", "—")) else f"{value}。"
        lines.append(f"{chinese_number(i + 1)}、{label}：{value}")
    return lines


def notice_document(notice: AssignmentNotice) -> bytes:
    case = notice.case
    if notice.target == NoticeTarget.VILLAGE:
        how, ask = "属地", "落实属地稳控。"
    elif notice.supporting:
        lead = case.lead_department.name if case.lead_department_id else "牵头部门"
        how, ask = "配合", f"配合{lead}办理。"
    else:
        how, ask = "条线", "办理。"
    doc = official_document(
        title=TITLE,
        number=f"{case.number}（{how}）",
        addressee=notice.unit_name,
        paragraphs=[
            "根据双向交办的要求，现将下列信访事项交你单位" + ask,
            *notice_items(notice),
        ],
        unit=f"{case.town.name}信访工作联席会议办公室",
        day=timezone.localtime(notice.sent_at).date(),
    )
    doc.add_paragraph()
    if notice.acknowledged_at:
        # signed before the unit had an account here (imported or generated history): no name
        who = notice.acknowledged_by.display_name if notice.acknowledged_by_id else ""
        receipt = f"签收：{who}（{notice.unit_name}），{chinese_datetime(notice.acknowledged_at)}"
    else:
        receipt = "签收人：                签收时间：      年    月    日    时"
    _run(doc.add_paragraph(), receipt, size=14)
    return document_bytes(doc)


def notice_filename(notice: AssignmentNotice) -> str:
    how = "（配合）" if notice.supporting else ""
    return f"交办单-{notice.case.number}-{notice.unit_name}{how}.docx"
