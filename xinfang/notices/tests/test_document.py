"""The 交办单 as a Word file: opened and read paragraph by paragraph."""

import datetime as dt
import io

import pytest
from docx import Document

from xinfang.audit.models import AuditEvent
from xinfang.notices.documents import document_datetime
from xinfang.notices.services import notice_acknowledge

from .conftest import SENT, at

pytestmark = pytest.mark.django_db


def paragraphs(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment;" in response["Content-Disposition"]
    return [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.text.strip()]


def test_times_are_written_as_gb_t_9704_2012_writes_dates():
    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert document_datetime(dt.datetime(2026, 8, 5, 10, tzinfo=shanghai)) == "2026年8月5日10时"
    assert document_datetime(dt.datetime(2026, 12, 31, 23, 5, tzinfo=shanghai)) == "2026年12月31日23时5分"


def test_the_line_notice_has_the_parts_of_the_form(client_as, cast, assigned, line_notice):
    text = paragraphs(client_as("office").get(f"/notices/{line_notice.pk}/document.docx"))
    village = cast["village1"].village
    assert text[0] == "信访事项交办单"
    assert text[1] == f"{assigned.number}（条线）"
    assert text[2] == "镇建设和生态环境局："
    assert text[3] == "根据双向交办的要求，现将下列信访事项交你单位办理。"
    assert text[4] == "一、事项摘要：拆迁安置补偿争议。请求按标准补足拆迁安置补偿款。"
    assert text[5] == "二、信访人：赵某某。"
    assert text[6] == "三、信访时间及人数：2026年8月3日9时来访，1人。"
    leader = village.contact_leader
    assert text[7] == f"四、包案领导：{leader.name}（{leader.title}）。"
    assert text[8] == "五、牵头部门：镇建设和生态环境局。"
    assert text[9] == f"六、责任人：{village.party_head.name}、{village.cadre.name}。"
    assert text[10] == "七、解决时限：2026年9月30日。"
    # one colon: how the unit takes part is part of the label
    assert text[11].startswith("八、办理要求（条线办理）：请你单位作为牵头部门")
    assert "书面答复信访人" in text[11] and "前提出交办异议" in text[11]
    assert text[12] == "九、化稳方案：先行核算补偿差额，分期兑付。"
    assert text[13].startswith("十、签收时限：请于2026年8月5日10时前在信访工作平台签收本交办单")
    assert text[14:16] == ["分界镇信访工作联席会议办公室", "2026年8月4日"]
    assert text[16].startswith("签收人：")
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
    assert text[11].startswith("八、办理要求（属地稳控）：请你村（居）落实属地管理责任")
    assert text[-1] == f"签收：村干部示例一（{cast['village1'].village.name}），2026年8月4日12时30分"


def test_a_notice_signed_before_the_unit_had_an_account_names_no_signer(client_as, cast, village_notice):
    from xinfang.notices.models import AssignmentNotice

    AssignmentNotice.objects.filter(pk=village_notice.pk).update(acknowledged_at=SENT + dt.timedelta(hours=3))
    text = paragraphs(client_as("office").get(f"/notices/{village_notice.pk}/document.docx"))
    assert text[-1].startswith(f"签收：（{cast['village1'].village.name}），2026年")


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
    assert text[10] == "七、解决时限：2026年9月30日。"  # what the unit was asked, not today's date
    assert text[12] == "九、化稳方案：先行核算补偿差额，分期兑付。"


def test_a_collective_visits_notice_names_everyone_with_phones_masked_address_and_count(client_as, cast):
    from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
    from xinfang.notices.models import AssignmentNotice

    from .conftest import REGISTERED, assign

    with at(REGISTERED):
        case = petition_register(
            data=PetitionIn(
                channel="visit",
                received_at=REGISTERED - dt.timedelta(minutes=30),
                petitioner=PetitionerIn(
                    name="赵某某",
                    phone="13912345678",
                    address="青松村三组 12 号",
                    village=cast["village1"].village,
                ),
                representatives=[
                    PetitionerIn(name="钱某某", phone="13800001111"),
                    PetitionerIn(name="孙某某"),
                ],
                persons_count=6,
                title="村道改线补偿",
                content="六户群众反映村道改线占地补偿。",
            ),
            acting_user=cast["office"],
        ).case
    assign(cast, case)
    notice = AssignmentNotice.objects.filter(case=case, target="department").first()
    text = paragraphs(client_as("office").get(f"/notices/{notice.pk}/document.docx"))
    assert text[5] == "二、信访人：赵某某、钱某某、孙某某。"
    assert text[6] == "三、联系电话：赵某某 139****5678；钱某某 138****1111（完整号码可向镇信访联席办查询）。"
    assert text[7] == "四、住址：青松村三组 12 号。"
    assert text[8] == "五、信访时间及人数：2026年8月3日9时来访，6人（集体访）。"
    whole = "\n".join(text)
    assert "13912345678" not in whole and "13800001111" not in whole


def test_the_notice_has_page_numbers_in_the_gb_t_9704_form(client_as, line_notice):
    response = client_as("office").get(f"/notices/{line_notice.pk}/document.docx")
    doc = Document(io.BytesIO(response.content))
    assert_page_numbers(doc)


def assert_page_numbers(doc):
    """ "— 1 —" with a PAGE field, right on odd pages and left on even ones, in 宋体 四号."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        p = footer.paragraphs[0]
        assert p.alignment == align
        assert p.text == "— 1 —"
        assert "PAGE" in p._p.xml and 'w:fldCharType="begin"' in p._p.xml
        assert {r.font.name for r in p.runs} == {"宋体"} and {r.font.size for r in p.runs} == {Pt(14)}
