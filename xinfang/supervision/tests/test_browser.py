"""In the browser: the village replies to its overdue notice from a phone; the supervision team reads
the notice with its Word text; the office opens the ranking and the facts behind a score.
`pytest -m browser --screenshots` writes the pages to docs/screenshots/."""

import os

import pytest
from playwright.sync_api import expect

from xinfang.core.testing import cast_ensure
from xinfang.demo.history import history_generate
from xinfang.demo.stability import stability_demo
from xinfang.demo.supervision import supervision_demo
from xinfang.supervision.models import SupervisionNotice
from xinfang.web.tests.test_browser import _shoot, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo(transactional_db):
    cast = cast_ensure()
    town = cast["office"].town
    history_generate(town=town, clerk=cast["office"], cases=150, days=200, seed=21)
    stability_demo(town=town, users=cast)
    supervision_demo(town=town, users=cast)
    return cast


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_village_replies_from_a_phone_and_the_team_reads_the_notice(demo, page_for, request):
    notice = SupervisionNotice.objects.get(village=demo["village1"].village, status="issued")
    pc = page_for("pc")
    _sign_in(pc, "supervisor")
    pc.goto("/supervision/")
    expect(pc.locator("#notice-table tr.table-danger")).to_contain_text(notice.number)
    _shoot(request, pc, "supervision-notices-pc")
    phone = page_for("phone")
    _sign_in(phone, "village1")
    phone.goto("/supervision/?status=overdue")
    row = phone.locator("#notice-table tr", has_text=notice.number)
    expect(row).to_contain_text("逾期未回复")
    row.get_by_role("link", name=notice.number).click()
    phone.wait_for_load_state()
    expect(phone.locator("#notice-info")).to_contain_text("已逾期")
    _fits(phone, 390)
    _shoot(request, phone, "supervision-notice-phone")
    phone.get_by_label("回复办理情况").fill("已召开专班会议，化稳方案节点已调整，本周内完成入户走访。")
    phone.get_by_role("button", name="回复").click()
    phone.wait_for_load_state()
    expect(phone.locator(".alert-success")).to_contain_text("已回复督办单")
    expect(phone.locator("#notice-replies")).to_contain_text("超过回复期限")

    pc.goto(f"/supervision/{notice.pk}/")
    expect(pc.locator("#notice-paper")).to_contain_text("信访工作督办单")
    expect(pc.locator("#notice-paper")).to_contain_text(notice.number)
    expect(pc.locator("#notice-replies")).to_contain_text("本周内完成入户走访")
    expect(pc.locator("#close-form")).to_be_visible()
    _shoot(request, pc, "supervision-notice-pc")


def test_the_office_reads_the_ranking_and_the_facts_behind_a_score(demo, page_for, request):
    overdue = SupervisionNotice.objects.get(village=demo["village1"].village, status="issued")
    month = f"{overdue.reply_due:%Y-%m}"
    pc = page_for("pc")
    _sign_in(pc, "office")
    pc.goto(f"/scoring/?period={month}")
    table = pc.locator("#ranking-table")
    expect(table).to_contain_text(demo["village1"].village.name)
    _shoot(request, pc, "scoring-ranking-pc")
    cell = table.locator("a[href*='/overdue_supervision/']").filter(has_text="-2.0").first
    cell.click()
    pc.wait_for_load_state()
    expect(pc.locator("#item-explain")).to_contain_text("扣 2 分")
    expect(pc.locator("#facts-table")).to_contain_text("至今未回复")
    _shoot(request, pc, "scoring-facts-pc")
    phone = page_for("phone")
    _sign_in(phone, "leader1")
    phone.goto(f"/scoring/?kind=department&period={month}")
    expect(phone.locator("#ranking-table")).to_be_visible()
    _fits(phone, 390)
    _shoot(request, phone, "scoring-ranking-phone")
