"""On a phone (390×844), as the grid worker: a contact in at most three screens; the board shows it.
`pytest -m browser --screenshots` writes the stability pages to docs/screenshots/."""

import os

import pytest
from playwright.sync_api import expect

from xinfang.core.testing import cast_ensure
from xinfang.demo.history import history_generate
from xinfang.demo.stability import stability_demo
from xinfang.stability.models import KeyPerson, ProtectionPeriod
from xinfang.web.tests.test_browser import _shoot, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo(transactional_db):
    cast = cast_ensure()
    town = cast["office"].town
    history_generate(town=town, clerk=cast["office"], cases=150, days=200, seed=21)
    stability_demo(town=town, users=cast)
    return cast


def test_the_grid_worker_logs_a_contact_in_three_screens_and_the_board_shows_it(demo, page_for, request):  # noqa: F811
    page = page_for("phone")
    screens = []
    page.on("framenavigated", lambda frame: screens.append(frame.url) if frame == page.main_frame else None)
    _sign_in(page, "grid1")  # screen 1: sign-in
    expect(page.locator("#my-key-persons")).to_be_visible()  # screen 2: the home lists their key persons
    mine = KeyPerson.objects.filter(grid=demo["grid1"].grid).order_by("pk")
    target = mine[1]
    row = page.locator("#my-key-persons li", has_text=target.petitioner.name)
    row.get_by_role("link", name="记见面").click()  # screen 3: the contact form
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=f"记录见面：{target.petitioner.name}")).to_be_visible()
    page.get_by_text("当面", exact=True).click()
    page.get_by_text("在家", exact=True).click()
    page.get_by_label("地点").fill("村口菜地")
    _shoot(request, page, "stability-contact-phone")
    page.get_by_role("button", name="保存见面记录").click()
    page.wait_for_load_state()
    # sign-in, (home after sign-in), the form: the saved contact lands back on the home page
    before_save = [u for u in screens if "/stability/" in u or u.endswith("/login/")]
    assert len(before_save) <= 2, screens
    assert len({u.split("?")[0] for u in screens[:-1]}) <= 3, screens
    expect(page.locator(".alert-success")).to_contain_text(f"见面{target.petitioner.name}，在家")
    assert target.contacts.filter(place="村口菜地", recorded_by=demo["grid1"]).exists()

    period = ProtectionPeriod.objects.get()
    page.goto(f"/stability/periods/{period.pk}/")
    board_row = page.locator("#board-table tr", has_text=target.petitioner.name)
    expect(board_row).to_contain_text("在家")
    expect(board_row).to_contain_text("2/3")
    _shoot(request, page, "stability-period-board-phone")


def test_the_office_reads_the_register_pages(demo, page_for, request):  # noqa: F811
    page = page_for("pc")
    _sign_in(page, "office")
    period = ProtectionPeriod.objects.get()
    page.goto(f"/stability/periods/{period.pk}/")
    expect(page.locator("#board-stats")).to_contain_text("零登记")
    _shoot(request, page, "stability-period-board-pc")
    kp = KeyPerson.objects.filter(alarms__isnull=False).first()
    page.goto(f"/stability/key-persons/{kp.pk}/")
    expect(page.locator("#alarms")).to_contain_text("失联")
    _shoot(request, page, "stability-key-person-pc")
    page.goto("/stability/key-persons/")
    expect(page.locator("#kp-table")).to_contain_text("包保未落实")
    _shoot(request, page, "stability-key-persons-pc")
    page.goto("/stability/incidents/")
    expect(page.locator("#incident-table")).to_contain_text("去省个访")
    _shoot(request, page, "stability-incidents-pc")
    page.goto("/stability/follow-ups/")
    expect(page.locator("#follow-up-table")).to_contain_text("已到期")
    _shoot(request, page, "stability-follow-ups-pc")
