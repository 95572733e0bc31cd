"""The list behind a number, in the browser at 1366×768 and on a phone: the same objects as the API,
nothing wider than the screen. `pytest -m browser --screenshots` writes them to docs/screenshots/."""

import datetime as dt
import os

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from xinfang.core.testing import cast_ensure
from xinfang.demo.history import history_generate
from xinfang.web.tests.test_browser import _shoot, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo(transactional_db):
    cast = cast_ensure()
    history_generate(town=cast["office"].town, clerk=cast["office"], cases=150, days=200, seed=21)
    return cast


@pytest.mark.parametrize("size", ["pc", "phone"])
def test_the_page_behind_a_number_lists_what_the_api_counts(demo, page_for, request, size):
    today = timezone.localdate()
    query = f"from={today - dt.timedelta(days=365)}&to={today}"
    api = Client()
    api.force_login(demo["office"])
    metric = next(
        m for m in api.get(f"/api/v1/metrics?{query}").json()["items"] if m["key"] == "repeat_share"
    )
    assert metric["numerator"] > 0
    page = page_for(size)
    _sign_in(page, "office")
    page.goto(metric["page"])
    expect(page.get_by_role("heading", name="重复信访占比")).to_be_visible()
    expect(page.locator("body")).to_contain_text(f"共 {metric['numerator']} 次")
    assert page.locator("#metric-items tbody tr").count() == min(metric["numerator"], 50)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    _shoot(request, page, f"metrics-items-{size}")
    page.get_by_role("link", name="分母").click()
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text(f"共 {metric['denominator']} 次")
