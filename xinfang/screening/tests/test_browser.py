"""In a browser: the office sees a finished round's missing units (PC); the grid worker reports from a
phone (390 px). `pytest -m browser --screenshots` writes both pages to docs/screenshots/."""

import os

import pytest
from playwright.sync_api import expect

from xinfang.core.testing import cast_ensure
from xinfang.demo.screening import screening_demo
from xinfang.screening.models import ScreeningItem, ScreeningRound, UnitReport
from xinfang.web.tests.test_browser import _shoot, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo(transactional_db):
    cast = cast_ensure()
    screening_demo(town=cast["office"].town, users=cast)
    return cast


def _no_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_office_sees_the_missing_units_of_a_finished_round(demo, page_for, request):
    page = page_for("pc")
    _sign_in(page, "office")
    page.get_by_role("link", name="排查", exact=True).first.click()
    page.wait_for_load_state()
    finished = ScreeningRound.objects.get(kind="campaign")
    page.get_by_role("link", name=finished.name).click()
    page.wait_for_load_state()
    missing = UnitReport.objects.get(round=finished, submitted_at=None)
    expect(page.locator("#missing-units")).to_contain_text(missing.village.name)
    expect(page.locator(f'li[data-unit="{missing.village.name}"]')).to_contain_text("漏报")
    expect(page.locator("#item-table")).to_contain_text("土地流转费拖欠")
    _shoot(request, page, "screening-round-missing")
    page.get_by_role("link", name="上下交叉比对").click()
    page.wait_for_load_state()
    expect(page.locator(".card", has_text=demo["village1"].village.name).first).to_contain_text("差异")
    _shoot(request, page, "screening-cross")


def test_grid_worker_reports_from_a_phone(demo, page_for, request):
    page = page_for("phone")
    _sign_in(page, "grid1")
    rolling = ScreeningRound.objects.get(kind="rolling")
    page.goto("/screening/rounds/")
    _no_overflow(page)
    page.locator("#round-table tr", has_text=rolling.name).get_by_role("link", name="本单位报送").click()
    page.wait_for_load_state()
    expect(page.get_by_role("button", name="一键报送零报告")).to_be_visible()
    page.get_by_text("矛盾纠纷", exact=True).click()
    page.get_by_label("事项（一句话）").fill("邻里排水沟纠纷")
    page.get_by_label("具体情况").fill("两户因排水沟改道争执，已初步劝解。")
    page.get_by_text("低", exact=True).click()
    page.get_by_label("涉及人员").fill("周某某")
    _no_overflow(page)
    page.evaluate("window.scrollTo(0, 0)")
    _shoot(request, page, "screening-report-phone")
    page.get_by_role("button", name="报送此事项").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("已报送 1 条排查事项")
    expect(page.locator("#my-items")).to_contain_text("邻里排水沟纠纷")
    _no_overflow(page)
    found = ScreeningItem.objects.get(round=rolling, title="邻里排水沟纠纷")
    assert found.reporter == demo["grid1"] and found.report.grid_id == demo["grid1"].grid_id
    # The zero report is gone from the form once the unit has items.
    expect(page.get_by_role("button", name="一键报送零报告")).to_have_count(0)
    page.goto(f"/screening/rounds/{rolling.pk}/")
    _no_overflow(page)
    expect(page.locator("#item-table")).to_contain_text("邻里排水沟纠纷")
    _shoot(request, page, "screening-round-phone")
