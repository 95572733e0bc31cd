"""会议纪要 as a Word file in the official form the notices use (cases.documents, GB/T 9704-2012):
title, the meeting's date as the number line, the items numbered 一、二、三, the issuing unit and the
date. It lists what the reader may see: a village worker's copy names only their village's cases."""

from xinfang.cases.documents import chinese_number, document_bytes, document_date, official_document

from .choices import MeetingKind


def _person(p) -> str:
    return f"{p.name}（{p.title}）" if p.title else p.name


def _unit(meeting) -> str:
    if meeting.kind == MeetingKind.TASK_FORCE and meeting.host_id:
        return f"{meeting.host.name}同志信访工作专班"
    return f"{meeting.town.name}信访工作联席会议办公室"


def minutes_paragraphs(page: dict) -> list[str]:
    meeting = page["meeting"]
    items = [
        ("会议时间", document_date(meeting.held_on)),
        ("会议地点", meeting.place),
        ("主持人", _person(meeting.host) if meeting.host_id else "—"),
        ("参会人员", "、".join(_person(p) for p in page["attendees"]) or "—"),
    ]
    if meeting.title:
        items.append(("会议议题", meeting.title))
    if page["cases"]:
        items.append(("研究的信访事项", "；".join(f"{c.number}（{c.title}）" for c in page["cases"])))
    if page["key_persons"]:
        items.append(("研究的重点人员", "、".join(kp.petitioner.name for kp in page["key_persons"])))
    items.append(("会议决定", (meeting.decisions or "—").strip()))
    for row in page["owner_decisions"]:
        d = row["decision"]
        text = f"{d.lead_leader.name}包案"
        if d.lead_department_id:
            text += f"，{d.lead_department.name}牵头"
        if row["responsible"]:
            text += f"，责任人{'、'.join(p.name for p in row['responsible'])}"
        items.append((f"确定{row['case'].number}的包案领导", text))
    for i, task in enumerate(page["tasks"], start=1):
        done = f"（已于{document_date(task.done_on)}完成）" if task.done_on else ""
        items.append(
            (
                f"交办任务{chinese_number(i)}",
                f"{task.what}，责任人{task.owner.name}，{document_date(task.due_on)}前完成{done}",
            )
        )
    lines = []
    for i, (label, value) in enumerate(items, start=1):
        value = value.rstrip("。")
        lines.append(f"{chinese_number(i)}、{label}：{value}。")
    return lines


def minutes_document(page: dict) -> bytes:
    meeting = page["meeting"]
    doc = official_document(
        title=f"{meeting.get_kind_display()}纪要",
        number=document_date(meeting.held_on),
        addressee="各参会人员及有关单位",
        paragraphs=[
            f"{document_date(meeting.held_on)}，{meeting.town.name}召开{meeting.get_kind_display()}，现将会议情况纪要如下。",
            *minutes_paragraphs(page),
        ],
        unit=_unit(meeting),
        day=meeting.held_on,
    )
    return document_bytes(doc)


def minutes_filename(meeting) -> str:
    return f"会议纪要-{meeting.held_on:%Y%m%d}-{meeting.get_kind_display()}.docx"
