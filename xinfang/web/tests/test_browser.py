"""Tried as a new user would: Debian's Chromium, driven by Playwright, against a live server.

`pytest -m browser --screenshots` also writes docs/screenshots/ (sign-in page and each role's home,
at an office PC's 1366×768 and a phone's 390×844).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from xinfang.accounts.demo import DEMO_ACCOUNTS
from xinfang.core.testing import PASSWORD, cast_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are plain
# synchronous test set-up, which Django would otherwise refuse next to a running loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
]
SIZES = {"pc": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
SHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which("chromium") or Path(CHROMIUM).exists(), (
        "Debian's chromium is missing: run `make test`"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def town(transactional_db):
    return cast_ensure()


@pytest.fixture
def page_for(browser, live_server, request):
    """A fresh page at a size; every request it makes must stay on the server."""
    contexts = []
    outside = []

    def make(size="pc"):
        context = browser.new_context(viewport=SIZES[size], base_url=live_server.url, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.on(
            "request",
            lambda r: (
                None if r.url.startswith((live_server.url, "data:", "blob:")) else outside.append(r.url)
            ),
        )
        return page

    yield make
    for c in contexts:
        c.close()
    assert not outside, f"pages asked for something outside the server: {outside}"


def _shoot(request, page, name):
    if request.config.getoption("--screenshots"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sign_in(page, username, password=PASSWORD):
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def test_six_wrong_passwords_lock_the_account_and_the_right_one_is_refused(town, page_for, request):
    page = page_for("pc")
    for attempt in range(1, 7):
        _sign_in(page, "village1", f"Wrong-pass-{attempt}")
        if attempt == 1:
            assert "再错 4 次" in page.locator("#login-error").inner_text()
    message = page.locator("#lockout-message").inner_text()
    assert "账号已锁定" in message and "5 分钟" in message
    _shoot(request, page, "login-locked-pc")

    _sign_in(page, "village1", PASSWORD)
    assert "账号已锁定" in page.locator("#lockout-message").inner_text()
    assert page.url.endswith("/login/")


@pytest.mark.parametrize("size", ["pc", "phone"])
def test_each_demo_account_signs_in_to_its_home_page(town, page_for, request, size):
    page = page_for(size)
    page.goto("/login/")
    assert page.title() == "登录 · 信访工作平台"
    _shoot(request, page, f"login-{size}")
    for account in DEMO_ACCOUNTS:
        page.context.clear_cookies()
        _sign_in(page, account.username)
        heading = page.locator("h1").inner_text()
        assert heading.endswith("工作台"), (account.username, heading)
        # Nothing spills sideways: the page fits the screen it is on.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[size]["width"] + 1, (account.username, size, width)
        _shoot(request, page, f"home-{account.username}-{size}")


def test_on_a_phone_the_menu_opens_and_leads_to_the_pages(town, page_for):
    page = page_for("phone")
    _sign_in(page, "grid1")
    assert not page.get_by_role("link", name="村（居）与网格").is_visible()
    page.get_by_role("button", name="打开导航").click()
    link = page.get_by_role("link", name="村（居）与网格")
    link.wait_for(state="visible")
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "村（居）与网格"


def test_the_office_unmasks_a_phone_number_on_purpose(town, page_for):
    page = page_for("pc")
    _sign_in(page, "office")
    village = town["village1"].village
    page.goto(f"/org/villages/{village.pk}/")
    cell = page.locator(f"#phone-{village.party_head.pk}")
    assert "****" in cell.inner_text()
    cell.get_by_role("button", name="查看").click()
    expect(page.locator(f"#phone-{village.party_head.pk}")).to_have_text(village.party_head.phone)


def test_the_office_registers_a_visit_through_the_form(town, page_for, request):
    page = page_for("pc")
    _sign_in(page, "office")
    page.get_by_role("link", name="信访登记").click()
    page.wait_for_load_state()
    page.get_by_label("信访渠道").select_option(label="来访")
    page.get_by_label("信访人姓名").fill("赵某某")
    page.get_by_label("身份证号").fill("110101199003074515")  # one digit wrong
    page.get_by_label("所在村（居）").select_option(label=town["village1"].village.name)
    page.get_by_label("问题类别").select_option(label="农业农村类")
    page.get_by_label("事项（一句话）").fill("宅基地边界纠纷")
    page.get_by_label("诉求内容").fill("与邻居就宅基地边界发生纠纷，请求调解。")
    _shoot(request, page, "case-register-pc")
    page.get_by_role("button", name="登记").click()
    page.wait_for_load_state()
    assert "身份证号校验位不正确" in page.content()
    assert page.get_by_label("信访人姓名").input_value() == "赵某某"
    _shoot(request, page, "case-register-error-pc")

    page.get_by_label("身份证号").fill("110101199003074514")
    page.get_by_role("button", name="登记").click()
    page.wait_for_load_state()
    assert "已登记为新事项" in page.locator(".alert-success").inner_text()
    assert page.locator("h1").inner_text().startswith("分信〔")
    _shoot(request, page, "case-page-pc")

    page.get_by_role("link", name="信访事项").click()
    page.wait_for_load_state()
    assert "宅基地边界纠纷" in page.locator("#case-table").inner_text()
    _shoot(request, page, "case-list-pc")


def test_the_office_checks_then_imports_an_excel_file(town, page_for, request, tmp_path):
    from xinfang.cases.tests.test_import import BAD_ROWS, row, xlsx

    bad, good = tmp_path / "网上信访-有误.xlsx", tmp_path / "网上信访.xlsx"
    bad.write_bytes(xlsx(BAD_ROWS).getvalue())
    good.write_bytes(xlsx([row(), row(**{"信访人姓名": "钱某某", "身份证号": None})]).getvalue())
    page = page_for("pc")
    _sign_in(page, "office")
    page.goto("/cases/")
    page.get_by_role("link", name="Excel 导入").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Excel 导入信访"
    with page.expect_download() as download:
        page.locator("#template-link").click()
    assert download.value.suggested_filename == "信访导入模板.xlsx"

    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(bad))
    page.get_by_role("button", name="检查（不导入）").click()
    page.wait_for_load_state()
    assert "检查未通过" in page.locator("#import-summary").inner_text()
    table = page.locator("#import-errors").inner_text()
    assert "第 3 行" in table and "身份证号校验位不正确" in table
    _shoot(request, page, "case-import-errors-pc")

    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(good))
    page.get_by_role("button", name="导入", exact=True).click()
    page.wait_for_load_state()
    assert "导入完成：共 2 行，新建信访事项 2 件" in page.locator(".alert-success").inner_text()
    _shoot(request, page, "case-import-done-pc")
    page.get_by_role("link", name="返回信访事项列表").click()
    page.wait_for_load_state()
    assert "钱某某" in page.locator("#case-table").inner_text()
