"""The 交办单 as a Word file: opened and read paragraph by paragraph."""

import datetime as dt
import io

import pytest
from docx import Document

from xinfang.audit.models import AuditEvent
from xinfang.notices.documents import chinese_datetime
from xinfang.notices.services import notice_acknowledge

from .conftest import SENT, at

pytestmark = pytest.mark.django_db


def paragraphs(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment;" in response["Content-Disposition"]
    return [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.text.strip()]


def test_times_are_written_in_chinese_numerals():
    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert chinese_datetime(dt.datetime(2026, 8, 5, 10, tzinfo=shanghai)) == "二〇二六年八月五日十时"
    assert (
        chinese_datetime(dt.datetime(2026, 12, 31, 23, 5, tzinfo=shanghai))
        == "二〇二六年十二月三十一日二十三时五分"
    )


def test_the_line_notice_has_the_parts_of_the_form(client_as, cast, assigned, line_notice):
    text = paragraphs(client_as("office").get(f"/notices/{line_notice.pk}/document.docx"))
    village = cast["village1"].village
    assert text[0] == "信访事项交办单"
    assert text[1] == f"{assigned.number}（条线）"
    assert text[2] == "镇建设和生态环境局："
    assert text[3] == "根据双向交办的要求，现将下列信访事项交你单位办理。"
    assert text[4] == "一、事项摘要：拆迁安置补偿争议。请求按标准补足拆迁安置补偿款。"
    assert text[5] == "二、信访人（姓名）：赵某某。"
    leader = village.contact_leader
    assert text[6] == f"三、包案领导：{leader.name}（{leader.title}）。"
    assert text[7] == "四、牵头部门：镇建设和生态环境局。"
    assert text[8] == f"五、责任人：{village.party_head.name}、{village.cadre.name}。"
    assert text[9] == "六、解决时限：二〇二六年九月三十日。"
    assert text[10].startswith("七、办理要求：条线办理：请你单位作为牵头部门")
    assert "书面答复信访人" in text[10] and "前提出交办异议" in text[10]
    assert text[11] == "八、化稳方案：先行核算补偿差额，分期兑付。"
    assert text[12].startswith("九、签收时限：请于二〇二六年八月五日十时前在信访工作平台签收本交办单")
    assert text[13:15] == ["分界镇信访工作联席会议办公室", "二〇二六年八月四日"]
    assert text[15].startswith("签收人：")
    assert AuditEvent.objects.filter(
        event="export", target_id=str(line_notice.pk), detail="下载交办单（条线（部门））"
    ).exists()


def test_the_village_notice_asks_for_stabilization_and_shows_the_receipt(
    client_as, cast, assigned, village_notice
):
    with at(SENT + dt.timedelta(hours=2, minutes=30)):
        notice_acknowledge(notice_id=village_notice.pk, acting_user=cast["village1"])
    text = paragraphs(client_as("village1").get(f"/notices/{village_notice.pk}/document.docx"))
    assert text[1] == f"{assigned.number}（属地）"
    assert text[2] == f"{cast['village1'].village.name}："
    assert text[3] == "根据双向交办的要求，现将下列信访事项交你单位落实属地稳控。"
    assert text[10].startswith("七、办理要求：属地稳控：请你村（居）落实属地管理责任")
    assert (
        text[-1] == f"签收：村干部示例一（{cast['village1'].village.name}），二〇二六年八月四日十二时三十分"
    )


def test_a_notice_signed_before_the_unit_had_an_account_names_no_signer(client_as, cast, village_notice):
    from xinfang.notices.models import AssignmentNotice

    AssignmentNotice.objects.filter(pk=village_notice.pk).update(acknowledged_at=SENT + dt.timedelta(hours=3))
    text = paragraphs(client_as("office").get(f"/notices/{village_notice.pk}/document.docx"))
    assert text[-1].startswith(f"签收：（{cast['village1'].village.name}），二〇二六年")


def test_the_notice_keeps_the_case_as_it_was_sent(client_as, cast, assigned, line_notice):
    from xinfang.cases.models import Case
    from xinfang.cases.transitions import case_set_resolve_by

    with at(SENT + dt.timedelta(days=1)):
        case_set_resolve_by(
            case_id=assigned.pk,
            acting_user=cast["office"],
            resolve_by=dt.date(2026, 11, 30),
            reason="联席会议决定",
        )
    Case.objects.filter(pk=assigned.pk).update(plan="改为司法确认后一次兑付")
    text = paragraphs(client_as("office").get(f"/notices/{line_notice.pk}/document.docx"))
    assert text[9] == "六、解决时限：二〇二六年九月三十日。"  # what the unit was asked, not today's date
    assert text[11] == "八、化稳方案：先行核算补偿差额，分期兑付。"
