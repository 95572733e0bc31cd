import datetime as dt
import io

import pytest
import time_machine
from docx import Document

from xinfang.audit.models import AuditEvent
from xinfang.cases.documents import document_date
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.transitions import case_accept, case_not_accept

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def case(cast):
    with time_machine.travel(dt.datetime(2026, 8, 3, 10, tzinfo=SHANGHAI), tick=False):
        return petition_register(
            data=PetitionIn(
                channel="visit",
                received_at=dt.datetime(2026, 8, 3, 9, tzinfo=SHANGHAI),
                petitioner=PetitionerIn(name="赵某某", village=cast["village1"].village),
                title="宅基地边界纠纷",
                content="请求调解。",
            ),
            acting_user=cast["office"],
        ).case


def _paragraphs(response) -> list[str]:
    assert response["Content-Type"].endswith("wordprocessingml.document")
    return [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.text]


def test_dates_are_written_as_gb_t_9704_2012_writes_them():
    # GB/T 9704-2012 7.3.5.1: Arabic numerals, the year in full, no 0 before a month or day
    assert document_date(dt.date(2026, 10, 8)) == "2026年10月8日"
    assert document_date(dt.date(2026, 12, 31)) == "2026年12月31日"
    assert document_date(dt.date(2027, 1, 20)) == "2027年1月20日"


def test_the_acceptance_notice_has_the_parts_of_an_official_document(client_as, cast, case):
    with time_machine.travel(dt.datetime(2026, 8, 4, 10, tzinfo=SHANGHAI), tick=False):
        case_accept(case_id=case.pk, acting_user=cast["office"])
        response = client_as("office").get(f"/cases/{case.pk}/documents/acceptance.docx")
    assert response.status_code == 200
    text = _paragraphs(response)
    assert text[0] == "信访事项受理告知书"
    assert text[1] == case.number
    assert text[2] == "赵某某："
    assert "2026年8月3日反映的“宅基地边界纠纷”信访事项收悉" in text[3]
    assert "办理期限至2026年10月8日" in text[4]  # 60 days end in the holiday: 8 October
    assert text[-2:] == ["分界镇信访工作联席会议办公室", "2026年8月4日"]
    assert AuditEvent.objects.filter(event="export", target_id=str(case.pk), detail="生成受理告知书").exists()


def test_the_non_acceptance_notice_gives_the_reason(client_as, cast, case):
    case_not_accept(
        case_id=case.pk, acting_user=cast["office"], reason="该事项已进入诉讼程序，应通过司法途径解决"
    )
    text = _paragraphs(client_as("office").get(f"/cases/{case.pk}/documents/non-acceptance.docx"))
    assert text[0] == "信访事项不予受理告知书"
    assert "经审查，该事项已进入诉讼程序，应通过司法途径解决。" in text[4]


def test_a_notice_for_the_wrong_state_or_out_of_scope_is_refused(client_as, cast, case):
    page = client_as("office").get(f"/cases/{case.pk}/documents/acceptance.docx", follow=True)
    assert "该事项还没有可以生成受理告知书的办理记录" in page.content.decode()
    assert client_as("h_office").get(f"/cases/{case.pk}/documents/acceptance.docx").status_code == 404
    assert client_as("village1").get(f"/cases/{case.pk}/documents/acceptance.docx").status_code == 403


def _handled(cast, case):
    from xinfang.cases.testing import accept_and_assign
    from xinfang.cases.transitions import case_extend, case_reply

    with time_machine.travel(dt.datetime(2026, 8, 4, 10, tzinfo=SHANGHAI), tick=False):
        accept_and_assign(cast, case)
    with time_machine.travel(dt.datetime(2026, 9, 10, 10, tzinfo=SHANGHAI), tick=False):
        case_extend(
            case_id=case.pk,
            acting_user=cast["office"],
            days=20,
            reason="需委托第三方测绘",
            approved_by="王局长",
        )
    with time_machine.travel(dt.datetime(2026, 10, 20, 10, tzinfo=SHANGHAI), tick=False):
        case_reply(
            case_id=case.pk,
            acting_user=cast["office"],
            decision="explain",
            facts="经第三方测绘，现有边界与确权登记图一致",
            basis="《中华人民共和国土地管理法》第十四条",
        )


def test_the_extension_notice_names_the_days_the_approver_and_the_new_limit(client_as, cast, case):
    _handled(cast, case)
    text = _paragraphs(client_as("office").get(f"/cases/{case.pk}/documents/extension.docx"))
    assert text[0] == "信访事项延期办理告知书"
    assert text[1] == case.number and text[2] == "赵某某："
    assert "本机关已于2026年8月4日受理" in text[3]
    # accepted 4 August: 60 + 20 days is 23 October.
    assert "因需委托第三方测绘，经王局长批准" in text[4] and "延长至2026年10月23日" in text[4]
    assert text[-1] == "2026年9月10日"


def test_the_written_opinion_has_request_facts_decision_basis_and_remedy(client_as, cast, case):
    _handled(cast, case)
    text = _paragraphs(client_as("office").get(f"/cases/{case.pk}/documents/opinion.docx"))
    assert text[0] == "信访事项处理意见书"
    assert text[2] == "赵某某："
    assert text[4] == "一、信访请求：请求调解。"
    assert text[5] == "二、认定的事实和理由：经第三方测绘，现有边界与确权登记图一致。"
    assert text[6] == "三、处理意见：解释说明。依据：《中华人民共和国土地管理法》第十四条。"
    assert "三十日内" not in text[7] and "30日内" in text[7] and "申请复查" in text[7]
    # Printed before it is handed over: the window's end depends on the day the petitioner gets it.
    assert "期限至" not in text[7]
    assert text[-2:] == [cast["dept1"].department.name, "2026年10月20日"]
    from xinfang.cases.transitions import case_deliver

    with time_machine.travel(dt.datetime(2026, 10, 22, 10, tzinfo=SHANGHAI), tick=False):
        case_deliver(case_id=case.pk, acting_user=cast["office"], on=dt.date(2026, 10, 21), way="post")
    text = _paragraphs(client_as("office").get(f"/cases/{case.pk}/documents/opinion.docx"))
    assert "期限至2026年11月20日" in text[7]  # received 21 October, 30 days


def test_the_case_page_offers_the_documents_the_case_has(client_as, cast, case):
    _handled(cast, case)
    page = client_as("office").get(f"/cases/{case.pk}/").content.decode()
    for name in ("acceptance", "extension", "opinion"):
        assert f"/documents/{name}.docx" in page
    assert "non-acceptance.docx" not in page


def test_the_notice_follows_gb_t_9704_for_page_numbers_date_and_seal(client_as, cast, case):
    from docx.shared import Pt

    from xinfang.notices.tests.test_document import assert_page_numbers

    with time_machine.travel(dt.datetime(2026, 8, 4, 10, tzinfo=SHANGHAI), tick=False):
        case_accept(case_id=case.pk, acting_user=cast["office"])
        response = client_as("office").get(f"/cases/{case.pk}/documents/acceptance.docx")
    doc = Document(io.BytesIO(response.content))
    assert_page_numbers(doc)
    paragraphs = doc.paragraphs
    unit, date = paragraphs[-2], paragraphs[-1]
    assert date.text == "2026年8月4日"
    assert date.paragraph_format.right_indent == Pt(64)  # 右空四字 (四个三号字)
    # the unit centred over the date: 15 characters against 4 characters and 6 digits
    unit_width, date_width = 15 * 16, 4 * 16 + 6 * 8
    assert unit.paragraph_format.right_indent == Pt(max(0, 64 + (date_width - unit_width) / 2))
    # two empty lines between the body and the unit: the seal's room
    assert [p.text for p in paragraphs[-4:-2]] == ["", ""] and paragraphs[-5].text == "特此告知。"


def test_a_collective_visits_notice_is_addressed_to_every_petitioner(client_as, cast):
    with time_machine.travel(dt.datetime(2026, 8, 3, 10, tzinfo=SHANGHAI), tick=False):
        group = petition_register(
            data=PetitionIn(
                channel="visit",
                received_at=dt.datetime(2026, 8, 3, 9, tzinfo=SHANGHAI),
                petitioner=PetitionerIn(name="赵某某", village=cast["village1"].village),
                representatives=[PetitionerIn(name=n) for n in ("钱某某", "孙某某", "李某某", "周某某")],
                persons_count=6,
                title="村道改线补偿",
                content="请求补偿。",
            ),
            acting_user=cast["office"],
        ).case
    with time_machine.travel(dt.datetime(2026, 8, 4, 10, tzinfo=SHANGHAI), tick=False):
        case_accept(case_id=group.pk, acting_user=cast["office"])
        text = _paragraphs(client_as("office").get(f"/cases/{group.pk}/documents/acceptance.docx"))
    assert text[2] == "赵某某、钱某某、孙某某、李某某、周某某："
