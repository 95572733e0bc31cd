"""The 交办单 as a Word file in official-document form, like the notices to the petitioner
(cases.documents): title, number line, the receiving unit, the numbered items, the issuing unit and
the date (GB/T 9704-2012), page numbers, and a receipt line for the signature.

The petitioner's phone is masked (139****5678) on the notice: it goes to villages and departments,
which the role rules do not let see a full number on the page either (only the office, the leaders
and supervision may, each view audited), and a paper copy passes through more hands than a page. The
village knows its residents; a unit that must call the petitioner asks the office, which has the
number. The address, the persons count and the visit date are printed in full: the units need them
to visit and to judge the matter, and none identifies a person alone."""

import re

from django.utils import timezone

from xinfang.cases.documents import (
    _run,
    chinese_number,
    document_bytes,
    document_date,
    official_document,
    petitioners_in_order,
)
from xinfang.core.masking import mask_phone

from .choices import NoticeTarget
from .models import AssignmentNotice

TITLE = "信访事项交办单"


PHONE_NOTE = "（完整号码可向镇信访联席办查询）"


def document_datetime(moment) -> str:
    """2026年8月5日10时, 2026年8月5日10时30分 (local time), the dates as GB/T 9704-2012 writes them."""
    local = timezone.localtime(moment)
    text = f"{document_date(local.date())}{local.hour}时"
    return text + (f"{local.minute}分" if local.minute else "")


def _petitioner_items(case) -> list[list[str]]:
    """Who petitioned and how: every person of the first petition (a group's representatives
    included), their phones masked, the first one's address, the day, the channel and how many came."""
    first = case.petitions.order_by("received_at", "id").first() if case.pk else None
    if first is None:
        return [["信访人", case.petitioner_label or "—"]]
    people = petitioners_in_order(first)
    items = [["信访人", "、".join(p.name for p in people) or case.petitioner_label or "—"]]
    phones = [p for p in people if p.phone]
    if phones:
        text = (
            mask_phone(phones[0].phone)
            if len(people) == 1
            else "；".join(f"{p.name} {mask_phone(p.phone)}" for p in phones)
        )
        items.append(["联系电话", text + PHONE_NOTE])
    address = next((p.address for p in people if p.address), "")
    if address:
        items.append(["住址", address])
    received = timezone.localtime(first.received_at)
    items.append(
        [
            "信访时间及人数",
            f"{document_date(received.date())}{received.hour}时{first.get_channel_display()}，"
            f"{first.persons_count}人" + ("（集体访）" if first.is_collective else ""),
        ]
    )
    return items


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
        *_petitioner_items(case),
        ["包案领导", leader_text or "—"],
        ["牵头部门", case.lead_department.name if case.lead_department_id else "—"],
        *([["配合部门", "、".join(d.name for d in supporting)]] if supporting else []),
        ["责任人", case.responsible_label or "—"],
        ["解决时限", document_date(case.resolve_by) if case.resolve_by else "—"],
    ]
    if case.plan.strip():
        items.append(["化稳方案", _text(case.plan)])
    return items


def _requirements_item(requirements: str) -> tuple[str, str]:
    """The requirements open with how the unit takes part ("条线办理：请你单位…"): that goes into the
    item's label, "办理要求（条线办理）：请你单位…", not after a second colon."""
    text = _text(requirements)
    if match := re.match(r"^([^：。，]{2,8})：(.+)$", text, re.S):
        return (f"办理要求（{match.group(1)}）", match.group(2))
    return ("办理要求", text)


def notice_items(notice: AssignmentNotice) -> list[str]:
    """The numbered items of the notice, in the order of the form: the case as it was sent (as it
    is now for notices from before snapshots were kept), the requirements, the time to sign."""
    about = [tuple(item) for item in notice.snapshot.get("items") or case_items(notice.case)]
    # The requirements come after the deadline (解决时限), before the plan.
    labels = [label for label, _ in about]
    cut = labels.index("解决时限") + 1 if "解决时限" in labels else 6
    items = [*about[:cut], _requirements_item(notice.requirements), *about[cut:]]
    items.append(
        (
            "签收时限",
            f"请于{document_datetime(notice.ack_due_at)}前在信访工作平台签收本交办单，逾期未签收的"
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
        receipt = f"签收：{who}（{notice.unit_name}），{document_datetime(notice.acknowledged_at)}"
    else:
        receipt = "签收人：                签收时间：      年    月    日    时"
    _run(doc.add_paragraph(), receipt, size=14)
    return document_bytes(doc)


def notice_filename(notice: AssignmentNotice) -> str:
    how = "（配合）" if notice.supporting else ""
    return f"交办单-{notice.case.number}-{notice.unit_name}{how}.docx"
