"""The dashboard, the desk and the reports in Debian's Chromium, at 1366×768 and on a phone (390 px).
`pytest -m browser --screenshots` writes them to docs/screenshots/, and the first pages of a Word
report as images (LibreOffice → PDF → pdftoppm, when those Debian packages are installed)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from xinfang.core.testing import cast_ensure
from xinfang.demo.history import history_generate
from xinfang.demo.stability import stability_demo
from xinfang.web.tests.test_browser import SHOTS, _shoot, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.XINFANG_REPORT_DIR = str(tmp_path / "reports")
    cast = cast_ensure()
    town = cast["office"].town
    history_generate(town=town, clerk=cast["office"], cases=400, days=420, seed=21, workers=1)
    stability_demo(town=town, users=cast)
    history_generate(
        town=cast["h_office"].town, clerk=cast["h_office"], cases=60, days=420, seed=22, workers=1
    )
    return cast


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_dashboard_at_both_sizes(demo, page_for, request):
    page = page_for("pc")
    _sign_in(page, "office")
    page.goto("/reports/dashboard/?period=year")
    expect(page.locator("[data-chart=trend] svg")).to_be_visible()
    expect(page.locator("#dashboard-categories svg")).to_be_visible()
    expect(page.locator(".xf-metric").first).to_be_visible()
    _no_sideways_scroll(page)
    _shoot(request, page, "dashboard-pc")
    # A bar opens the ledger of its category for the period.
    page.locator("#dashboard-categories a[data-count]").first.click()
    page.wait_for_load_state()
    assert "/cases/?" in page.url and "category=" in page.url

    phone = page_for("phone")
    _sign_in(phone, "office")
    phone.goto("/reports/dashboard/?period=year")
    expect(phone.locator("[data-chart=trend] svg")).to_be_visible()
    cards = phone.locator(".xf-metric")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert second["y"] > first["y"] + first["height"] - 1, "cards stack on a phone"
    chart = phone.locator("[data-chart=trend] svg").bounding_box()
    assert chart["width"] <= 390
    _no_sideways_scroll(phone)
    _shoot(request, phone, "dashboard-phone")


def test_the_county_compares_its_towns(demo, page_for, request):
    page = page_for("pc")
    _sign_in(page, "county")
    page.goto("/reports/dashboard/?period=year")
    expect(page.locator("#dashboard-town-metrics")).to_contain_text("荷塘")
    _shoot(request, page, "dashboard-county-pc")


def test_the_office_desk(demo, page_for, request):
    page = page_for("pc")
    _sign_in(page, "office")
    expect(page.locator("#office-desk")).to_contain_text("待对账销号")
    _shoot(request, page, "desk-office-pc")
    phone = page_for("phone")
    _sign_in(phone, "office")
    _no_sideways_scroll(phone)
    _shoot(request, phone, "desk-office-phone")
    page.locator("#desk-overdue").click()
    page.wait_for_load_state()
    assert "overdue=1" in page.url


def test_a_report_is_asked_for_and_downloaded_then_shown_as_pages(demo, page_for, request):
    page = page_for("pc")
    _sign_in(page, "office")
    page.goto("/reports/")
    page.locator("#report-quarterly select[name=quarter]").select_option("3")
    page.locator("#report-quarterly button").click()
    page.wait_for_load_state()
    expect(page.locator("#my-reports")).to_contain_text("已完成")
    _shoot(request, page, "reports-pc")
    with page.expect_download() as info:
        page.locator("#my-reports a", has_text="下载").first.click()
    path = Path(info.value.path())
    assert path.read_bytes()[:2] == b"PK"
    if request.config.getoption("--screenshots"):
        _pages_as_images(path, "report-quarterly")


def _pages_as_images(docx: Path, name: str, pages: int = 3) -> None:
    """The Word file as LibreOffice prints it: its first pages as PNG (Debian's libreoffice-writer and
    poppler-utils); without them this says so instead of pretending."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office and shutil.which("pdftoppm"), "apt-get install libreoffice-writer-nogui poppler-utils"
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "report.docx"
        source.write_bytes(docx.read_bytes())
        subprocess.run(
            [
                office,
                "--headless",
                f"-env:UserInstallation=file://{work}/profile",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        SHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                str(pages),
                str(Path(work) / "report.pdf"),
                str(SHOTS / f"{name}-page"),
            ],
            check=True,
            timeout=120,
        )
