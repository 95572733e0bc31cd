"""The inbox and a warning in the browser: the unread badge, filtering by level, acknowledging and
handling. `pytest -m browser --screenshots` writes docs/screenshots/warnings-*.png (PC and phone)."""

import os

import pytest
from playwright.sync_api import expect

from xinfang.core.testing import cast_ensure
from xinfang.demo.history import history_generate
from xinfang.demo.stability import stability_demo
from xinfang.demo.warnings import warnings_demo
from xinfang.warnings.models import Warning
from xinfang.web.tests.test_browser import _shoot, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo(transactional_db):
    cast = cast_ensure()
    town = cast["office"].town
    history_generate(town=town, clerk=cast["office"], cases=120, days=200, seed=12)
    stability_demo(town=town, users=cast)
    warnings_demo(town=town, users=cast)
    return cast


def test_the_office_filters_its_inbox_and_handles_a_red_warning(demo, page_for, request):
    page = page_for("pc")
    _sign_in(page, "office")
    badge = page.locator("#xf-unread .badge")
    expect(badge).to_be_visible()
    unread_before = int(badge.inner_text())
    page.goto("/alerts/")
    expect(page.get_by_role("heading", name="预警与提醒")).to_be_visible()
    _shoot(request, page, "warnings-inbox-pc")
    page.locator("#inbox-filters select[name=level]").select_option("red")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    levels = page.locator("#alerts .xf-level")
    expect(levels.first).to_have_text("红色")
    assert set(levels.all_inner_texts()) == {"红色"}
    page.locator("#alerts").get_by_role("button", name="查看预警").first.click()
    page.wait_for_load_state()
    warning = Warning.objects.get(pk=int(page.url.rstrip("/").split("/")[-1]))
    assert warning.level == "red"
    page.get_by_role("button", name="签收").click()
    page.wait_for_load_state()
    page.get_by_label("处置情况").fill("已联系包案领导，当日上门核实并稳控。")
    page.get_by_role("button", name="记录处置").click()
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("已记录处置情况")
    _shoot(request, page, "warnings-detail-pc")
    warning.refresh_from_db()
    assert warning.handled_by == demo["office"] and warning.acknowledged_by == demo["office"]
    assert int(page.locator("#xf-unread .badge").inner_text()) == unread_before - 1
    page.goto("/warnings/")
    _shoot(request, page, "warnings-board-pc")


def test_the_inbox_on_a_phone(demo, page_for, request):
    page = page_for("phone")
    _sign_in(page, "village1")
    page.goto("/alerts/")
    expect(page.get_by_role("heading", name="预警与提醒")).to_be_visible()
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shoot(request, page, "warnings-inbox-phone")
