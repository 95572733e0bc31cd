"""One plan (一案一策): the plan typed at assignment is the plan; milestones added several at once and in
place; progress is the case's latest progress; open milestones at 报送化解; the list's Excel file."""

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError

from xinfang.audit.models import AuditEvent
from xinfang.cases.models import Case
from xinfang.plans.models import Milestone
from xinfang.plans.rules import five_haves_missing, resolve_milestones_check
from xinfang.plans.services import milestone_done, milestones_add, plan_save

from .conftest import SHANGHAI, assigned, register

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def at(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=SHANGHAI), tick=False)


def test_the_plan_typed_at_assignment_is_shown_as_the_plan_and_prefills_the_form(client_as, cast):
    from xinfang.cases.testing import accept_and_assign
    from xinfang.cases.transitions import case_mark_prominent

    case = register(cast)
    accept_and_assign(cast, case, plan="先行核算流转费，分两期支付", override_reason="属地稳控")
    case_mark_prominent(case_id=case.pk, acting_user=cast["office"], reason="涉及多户")
    html = client_as("village1").get(f"/cases/{case.pk}/").content.decode()
    card = html.split('id="plan-plan"')[1].split('id="plan-milestones"')[0]
    assert "先行核算流转费，分两期支付" in card.split("<form")[0]  # shown as the plan's measures
    assert "尚未作三到位一处理研判" in card and "尚未制定化稳方案" not in card
    assert "补充研判结论" in card and "<details open>" in card  # the form is open, ready to finish
    assert ">先行核算流转费，分两期支付</textarea>" in card
    # What it still lacks for the five haves is the finding (三到位一处理), said as such.
    assert "化稳方案" in five_haves_missing(Case.objects.get(pk=case.pk))
    plan_save(
        case_id=case.pk,
        acting_user=cast["village1"],
        judgements=["reasonable"],
        measures="先行核算流转费，分两期支付",
        rebound_measures="付清后回访",
    )
    case = Case.objects.get(pk=case.pk)
    assert "化稳方案" not in five_haves_missing(case)
    assert case.plan == "先行核算流转费，分两期支付"  # the ledger's column says the same
    ledger = client_as("office").get("/cases/?view=prominent").content.decode()
    assert "先行核算流转费，分两期支付" in ledger


def test_several_milestones_are_added_at_once_in_place(client_as, cast):
    with at("2026-05-04"):
        case = assigned(cast, prominent=True)
        client = client_as("village1")
        url = f"/cases/{case.pk}/plan/milestones/"
        response = client.post(
            url,
            {
                "title": ["现场勘察", "召开专班会议", "", "签订协议"],
                "due_on": ["2026-05-08", "2026-05-12", "", "2026-05-20"],
            },
            **HX,
        )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html  # the part, not the page
    assert html.lstrip().startswith('<div class="card-body border-top" id="plan-milestones">')
    assert "已添加 3 个工作节点：现场勘察、召开专班会议、签订协议。" in html
    assert '<details id="milestone-add" open>' in html  # the form stays open for more
    assert list(Milestone.objects.filter(case=case).values_list("title", flat=True)) == [
        "现场勘察",
        "召开专班会议",
        "签订协议",
    ]
    assert html.count('name="title"') == 3 + 1  # three blank rows again, and the row template


def test_a_row_in_error_stores_none_and_keeps_every_row_typed(client_as, cast):
    with at("2026-05-04"):
        case = assigned(cast, prominent=True)
        response = client_as("village1").post(
            f"/cases/{case.pk}/plan/milestones/",
            {"title": ["现场勘察", "签订协议"], "due_on": ["2026-05-08", ""]},
            **HX,
        )
    html = response.content.decode()
    assert "工作节点未保存：第 2 行：请填写该节点的完成时限。" in html
    assert 'value="现场勘察"' in html and 'value="签订协议"' in html and 'value="2026-05-08"' in html
    assert not Milestone.objects.filter(case=case).exists()


def test_readers_cannot_add_milestones_in_place_either(client_as, cast):
    with at("2026-05-04"):
        case = assigned(cast, prominent=True)
        response = client_as("supervisor").post(
            f"/cases/{case.pk}/plan/milestones/", {"title": ["现场勘察"], "due_on": ["2026-05-08"]}, **HX
        )
    assert response.status_code in (403, 200)
    assert not Milestone.objects.filter(case=case).exists()
    assert (
        client_as("h_office")
        .post(f"/cases/{case.pk}/plan/milestones/", {"title": ["x"], "due_on": ["2026-05-08"]}, **HX)
        .status_code
        == 404
    )


def test_milestones_at_once_are_all_or_nothing_in_the_service(cast):
    with at("2026-05-04"):
        case = assigned(cast, prominent=True)
        with pytest.raises(ValidationError) as refused:
            milestones_add(case_id=case.pk, acting_user=cast["office"], rows=[("", ""), ("", "")])
        assert refused.value.message_dict["rows"] == ["请至少填写一个工作节点及其完成时限。"]
        with pytest.raises(ValidationError) as refused:
            milestones_add(case_id=case.pk, acting_user=cast["office"], rows=[("勘察", "2026-05-08")] * 21)
        assert "一次最多添加 20 个工作节点" in refused.value.message_dict["rows"][0]
    assert not Milestone.objects.filter(case=case).exists()


def test_milestone_progress_becomes_the_cases_latest_progress(client_as, cast):
    with at("2026-05-04"):
        case = assigned(cast, prominent=True)
        (milestone,) = milestones_add(
            case_id=case.pk, acting_user=cast["office"], rows=[("现场勘察", "2026-05-08")]
        )
    with at("2026-05-06"):
        client = client_as("village1")
        base = f"/cases/{case.pk}/plan/milestones/{milestone.pk}/progress/"
        client.post(base, {"text": "已联系测绘队", "on": "2026-05-06"})
        case.refresh_from_db()
        assert (case.last_progress, case.last_progress_on) == ("现场勘察：已联系测绘队", dt.date(2026, 5, 6))
        # an entry for an earlier day does not push the latest aside
        client.post(base, {"text": "初步沟通", "on": "2026-05-05"})
        case.refresh_from_db()
        assert case.last_progress == "现场勘察：已联系测绘队"
        ledger = client_as("office").get("/cases/").content.decode()
        assert "现场勘察：已联系测绘队" in ledger


def test_at_resolution_open_milestones_are_closed_or_explained(cast):
    with at("2026-05-04"):
        case = assigned(cast, prominent=True)
        assert resolve_milestones_check(case=case) == ""  # no milestones: nothing to explain
        first, second = milestones_add(
            case_id=case.pk,
            acting_user=cast["office"],
            rows=[("现场勘察", "2026-05-08"), ("回访", "2026-06-30")],
        )
        with pytest.raises(ValidationError) as refused:
            resolve_milestones_check(case=case, explanation="  ")
        message = refused.value.message_dict["milestones_note"][0]
        assert "还有 2 个工作节点未完成：现场勘察（时限 2026-05-08）、回访（时限 2026-06-30）" in message
        milestone_done(milestone_id=first.pk, acting_user=cast["office"])
        note = resolve_milestones_check(case=case, explanation="回访列入防反弹措施，化解后照常进行")
        assert note == "未完成的工作节点：回访（时限 2026-06-30）；说明：回访列入防反弹措施，化解后照常进行"
        with pytest.raises(ValidationError):
            resolve_milestones_check(case=case, explanation="长" * 301)
        milestone_done(milestone_id=second.pk, acting_user=cast["office"])
        assert resolve_milestones_check(case=case) == ""


def test_the_incomplete_list_exports_to_excel_audited_and_not_cached(client_as, cast, prominent_case):
    other = assigned(cast, prominent=True, village_of="village2")
    response = client_as("supervisor").get("/plans/incomplete/export/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:3] == ("序号", "编号", "信访事项")
    numbers = {r[1] for r in rows[3:]}
    assert {prominent_case.number, other.number} <= numbers
    row = next(r for r in rows[3:] if r[1] == prominent_case.number)
    assert row[8] == "工作专班、化稳方案、防反弹措施"
    assert isinstance(row[7], dt.datetime)  # 解决时限: a real date
    assert AuditEvent.objects.filter(event="export", detail__startswith="导出“五有”未齐全的突出问题").exists()
    assert (
        'href="/plans/incomplete/export/"'
        in client_as("supervisor").get("/plans/incomplete/").content.decode()
    )
    # another town's office exports its own, not ours
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(client_as("h_office").get("/plans/incomplete/export/").streaming_content))
    ).active
    assert prominent_case.number not in {r[1] for r in sheet.iter_rows(values_only=True)}


def test_the_county_sees_the_incomplete_list_with_the_town_in_its_menu(client_as, cast, prominent_case):
    home = client_as("county").get("/").content.decode()
    assert 'href="/plans/incomplete/"' in home
    html = client_as("county").get("/plans/incomplete/").content.decode()
    assert prominent_case.number in html and "<th>镇</th>" in html and prominent_case.town.name in html
    rows = list(
        openpyxl.load_workbook(
            io.BytesIO(b"".join(client_as("county").get("/plans/incomplete/export/").streaming_content))
        ).active.iter_rows(values_only=True)
    )
    assert rows[0][0] == "全县“五有”未齐全的突出问题" and rows[2][1] == "镇"


def test_progress_after_resolve_submitted_leaves_the_resolution_text_for_the_check(cast):
    from xinfang.plans.services import milestone_progress_add

    with at("2026-05-04"):
        case = assigned(cast, prominent=True)
        (milestone,) = milestones_add(
            case_id=case.pk, acting_user=cast["office"], rows=[("回访", "2026-06-30")]
        )
        Case.objects.filter(pk=case.pk).update(
            resolution="submitted", last_progress="已签订调解协议", last_progress_on=dt.date(2026, 5, 4)
        )
        milestone_progress_add(milestone_id=milestone.pk, acting_user=cast["office"], text="电话回访")
    assert Case.objects.get(pk=case.pk).last_progress == "已签订调解协议"
