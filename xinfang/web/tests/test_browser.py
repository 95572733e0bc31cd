"""Tried as a new user would: Debian's Chromium, driven by Playwright, against a live server.

`pytest -m browser --screenshots` also writes docs/screenshots/ (sign-in page and each role's home,
at an office PC's 1366×768 and a phone's 390×844).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from xinfang.core.testing import PASSWORD
from xinfang.demo.accounts import DEMO_ACCOUNTS
from xinfang.web.tests.browsing import SIZES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are plain
# synchronous test set-up, which Django would otherwise refuse next to a running loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


# The browser, `town` and `page_for` fixtures are in the root conftest.py, shared by every app's
# browser tests (one Playwright per session).


def _shoot(request, page, name):
    if request.config.getoption("--screenshots"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _htmx_settle(page, quiet_ms=400):
    """Waits until htmx has had no request in flight for `quiet_ms` (queued fetches included)."""
    for _ in range(3):
        page.wait_for_timeout(quiet_ms)
        page.wait_for_function("() => document.querySelectorAll('.htmx-request').length === 0")


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

    page.get_by_role("link", name="信访台账").click()
    page.wait_for_load_state()
    assert "宅基地边界纠纷" in page.locator("#case-table").inner_text()
    _shoot(request, page, "case-list-pc")


def test_the_office_attaches_a_signed_agreement_and_downloads_it(town, page_for, request):
    from django.utils import timezone

    from xinfang.attachments.tests.files import pdf_bytes, png_bytes
    from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

    case = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="赵某某", village=town["village1"].village),
            title="宅基地边界纠纷",
            content="与邻居就宅基地边界发生纠纷，请求调解。",
        ),
        acting_user=town["office"],
    ).case
    page = page_for("pc")
    _sign_in(page, "office")
    page.goto(f"/cases/{case.pk}/")
    page.get_by_label("类型", exact=True).select_option(label="调解协议书")
    page.get_by_label("文件", exact=True).set_input_files(
        {"name": "调解协议书（已签字）.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.locator("#attachments").get_by_label("说明（可不填）").fill("双方已签字按印")
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state()
    assert "已上传调解协议书“调解协议书（已签字）.pdf”" in page.locator(".alert-success").inner_text()
    assert "调解协议书（已签字）.pdf" in page.locator("#attachments").inner_text()
    with page.expect_download() as download:
        page.locator("#attachments").get_by_role("link", name="下载").click()
    assert download.value.suggested_filename == "调解协议书（已签字）.pdf"
    assert Path(download.value.path()).read_bytes() == pdf_bytes()

    page.get_by_label("类型", exact=True).select_option(label="信访材料")
    page.get_by_label("文件", exact=True).set_input_files(
        {"name": "现场照片.pdf", "mimeType": "application/pdf", "buffer": png_bytes()}
    )
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state()
    assert "内容是PNG 图片，请核对文件" in page.locator(".alert-danger").inner_text()
    _shoot(request, page, "case-attachments-pc")


def test_a_case_from_a_visit_to_resolution_and_off_the_open_ledger(town, page_for, request):
    """Register a visit, link a repeat, accept, assign, reply with the written opinion, rate,
    upload the agreement, resolve, check: the case leaves the open ledger for the resolved list."""
    import io

    from docx import Document

    from xinfang.attachments.tests.files import pdf_bytes

    page = page_for("pc")
    _sign_in(page, "office")

    def register(repeat_of=None):
        page.goto("/cases/new/")
        page.get_by_label("信访渠道").select_option(label="来访")
        page.get_by_label("信访人姓名").fill("孙某某")
        page.get_by_label("身份证号").fill("321283198001010010")
        page.get_by_label("所在村（居）").select_option(label=town["village1"].village.name)
        page.get_by_label("问题类别").select_option(label="城乡建设类")
        page.get_by_label("事项（一句话）").fill("村道破损")
        page.get_by_label("诉求内容").fill("村道破损多年，雨天无法通行，要求维修。")
        if repeat_of:
            # the form lists the petitioner's own cases as soon as the ID number and village are in;
            # each change of those fields fetches the list again, so let the fetches settle first
            page.get_by_label("诉求内容").blur()
            _htmx_settle(page)
            assert "本人既往事项" in page.locator("#candidate-list").inner_text()
            page.get_by_label(f"并入 {repeat_of} 村道破损").check()
            page.get_by_label("所在村（居）").select_option(label=town["village1"].village.name)
            _htmx_settle(page)  # a fetch after the tick keeps it
            assert page.get_by_label(f"并入 {repeat_of} 村道破损").is_checked()
        page.get_by_role("button", name="登记").click()
        page.wait_for_load_state()
        return page.locator("h1").inner_text()

    number = register()
    assert register(repeat_of=number) == number
    assert "重复信访，已并入" in page.locator(".alert-success").inner_text()

    def step(name, button, fill=None):
        page.locator(f"#action-{name} summary").click()
        if fill:
            fill()
        page.locator(f"#action-{name}").get_by_role("button", name=button).click()
        page.wait_for_load_state()
        assert "已完成" in page.locator(".alert-success").inner_text(), page.locator(
            ".alert"
        ).all_inner_texts()

    step("accept", "受理")
    step(
        "assign",
        "交办",
        lambda: page.get_by_label("化稳方案").fill("包案领导牵头，建设局一周内勘察，月底前修复。"),
    )
    assert "包案领导" in page.locator("#ownership").inner_text()

    def opinion():
        page.locator("#action-reply").get_by_label("处理意见").select_option(label="支持")
        page.locator("#action-reply").get_by_label("认定的事实和理由").fill("经现场勘察，村道路面破损属实")
        page.locator("#action-reply").get_by_label("处理依据（法律、法规、政策）").fill(
            "《农村公路条例》第十条"
        )

    step("reply", "出具处理意见书", opinion)
    # Written, not yet received: the rating waits for the delivery (送达).
    assert "处理意见书待送达" in page.locator("#track-card").inner_text()
    assert page.locator("#action-rate").count() == 0
    step("deliver", "记录送达", lambda: page.get_by_label("送达方式 *").select_option(label="直接送达"))
    with page.expect_download() as download:
        page.locator("#documents").get_by_role("link", name="处理意见书（Word）").click()
    text = [p.text for p in Document(io.BytesIO(Path(download.value.path()).read_bytes())).paragraphs]
    assert text[0] == "信访事项处理意见书" and text[1] == number
    assert "二、认定的事实和理由：经现场勘察，村道路面破损属实。" in text

    def rating():
        page.get_by_label("对信访部门").select_option(label="满意")
        page.get_by_label("对办理单位").select_option(label="基本满意")

    step("rate", "记录评价", rating)
    step("close", "办结终结")
    # Procedurally concluded is not resolved: still on the ledger, shown as such.
    assert "已办结未化解" in page.locator("#tracks").inner_text()
    # A repeat petition made the case prominent: the five haves (五有) come before resolution.
    assert "“五有”尚缺：工作专班、化稳方案、防反弹措施" in page.locator("#plan").inner_text()
    page.locator("#plan-task-force summary").click()
    page.get_by_label("专班成员 1").select_option(index=1)
    page.get_by_label("第 1 行为组长").check()
    page.get_by_role("button", name="保存工作专班").click()
    page.wait_for_load_state()
    # The plan typed at assignment is the plan: its form is open and filled, only the finding is missing.
    assert page.locator("#plan-plan details").get_attribute("open") is not None
    assert page.get_by_label("化解稳控措施").input_value() == "包案领导牵头，建设局一周内勘察，月底前修复。"
    page.get_by_label("诉求合理→解决到位").check()
    page.get_by_label("化解稳控措施").fill("建设局修复村道")
    page.get_by_label("防反弹措施").fill("修复后每月回访")
    page.get_by_role("button", name="保存化稳方案").click()
    page.wait_for_load_state()
    assert "“五有”齐全" in page.locator("#plan").inner_text()
    page.get_by_label("类型", exact=True).select_option(label="调解协议书")
    page.get_by_label("文件", exact=True).set_input_files(
        {"name": "调解协议书.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state()
    step(
        "resolve",
        "报送化解",
        lambda: (
            page.get_by_label("化解情况").fill("村道已修复，信访人签署停诉息访承诺"),
            page.get_by_label("协议（承诺书）签订日期").fill(timezone.localdate().isoformat()),
        ),
    )
    # The office sees the evidence on the form it checks.
    page.locator("#action-verify summary").click()
    assert "调解协议书.pdf" in page.locator("#verify-evidence").inner_text()
    page.locator("#action-verify summary").click()
    step("verify", "对账销号")
    assert "已化解·防反弹" in page.locator("#tracks").inner_text()
    _shoot(request, page, "case-resolved-pc")

    page.get_by_role("link", name="信访台账").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="突出问题台账").click()
    page.wait_for_load_state()
    assert number not in page.locator("#case-table").inner_text()
    page.get_by_label("办理状态").select_option(label="在办（法定程序未完结，或突出问题未化解）")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    assert number not in page.locator("#case-table").inner_text()
    page.get_by_role("link", name="已化解·防反弹").click()
    page.wait_for_load_state()
    assert number in page.locator("#case-table").inner_text()


def test_the_ledger_of_a_living_town_and_a_case_in_hand(town, page_for, request):
    from xinfang.cases.models import Case
    from xinfang.cases.selectors import ledger
    from xinfang.demo.history import history_generate

    fenjie = town["office"].town
    history_generate(town=fenjie, clerk=town["office"], cases=300, days=200, seed=3)
    page = page_for("pc")
    _sign_in(page, "office")
    page.get_by_role("link", name="信访台账").click()
    page.get_by_role("link", name="突出问题台账").click()
    page.wait_for_load_state()
    expected = ledger(user=town["office"], filters={"view": "prominent"}).count()
    assert f"共 {expected} 件" in page.content()
    rows = page.locator("#case-table tbody tr")
    assert rows.count() == min(30, expected)
    assert "突出" in rows.first.inner_text()
    _shoot(request, page, "ledger-pc")

    case = Case.objects.filter(town=fenjie, state="handling", prominent=True).order_by("-seq").first()
    page.goto(f"/cases/{case.pk}/")
    page.locator("#action-progress summary").click()
    assert page.get_by_label("办理进展").is_visible()
    assert "包案领导" in page.locator("#ownership").inner_text()
    _shoot(request, page, "case-page-handling-pc")


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


def test_the_proposed_owner_both_notices_signed_and_the_owners_plan_completes_the_five_haves(
    town, page_for, request
):
    """The office assigns with the proposed owner; the village and the line each sign their
    assignment notice; the owner builds the task force and the plan with a milestone; the five
    haves turn complete."""
    import datetime as dt

    from django.utils import timezone

    from xinfang.accounts.choices import Role
    from xinfang.accounts.models import User
    from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
    from xinfang.cases.transitions import case_accept, case_mark_prominent
    from xinfang.org.models import Category

    office, village = town["office"], town["village1"].village
    farming = Category.objects.get(town=office.town, code="nongcun")
    case = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="钱某某", village=village),
            title="土地承包费未按合同支付",
            content="村集体发包的土地承包费两年未结算，要求按合同支付。",
            category=farming,
            matter="土地承包",
        ),
        acting_user=office,
    ).case
    case_accept(case_id=case.pk, acting_user=office)
    case_mark_prominent(case_id=case.pk, acting_user=office, reason="涉及十余户承包户")
    clerk = User.objects.create_user(
        username="nongye1",
        password=PASSWORD,
        role=Role.DEPARTMENT,
        town=office.town,
        department=farming.lead,
        full_name="农业农村局示例",
    )
    assert clerk.department == farming.lead

    page = page_for("pc")
    _sign_in(page, "office")
    page.goto(f"/cases/{case.pk}/")
    page.locator("#action-assign summary").click()
    proposal = page.locator("#ownership-proposal").inner_text()
    owner = village.contact_leader
    assert "属地包案" in proposal and f"由联系{village.name}的{owner.name}包案" in proposal
    _shoot(request, page, "case-assign-proposal-pc")
    page.locator("#action-assign").get_by_role("button", name="交办").click()
    page.wait_for_load_state()
    assert "交办已完成" in page.locator(".alert-success").inner_text()
    assert owner.name in page.locator("#ownership").inner_text()

    for username, unit in (("village1", village.name), ("nongye1", farming.lead.name)):
        unit_page = page_for("pc")
        _sign_in(unit_page, username)
        unit_page.goto("/notices/")
        row = unit_page.locator("tr", has_text=case.number)
        row.get_by_role("button", name="签收").click()
        unit_page.wait_for_load_state()
        assert "已签收" in unit_page.locator("tr", has_text=case.number).inner_text(), unit

    desk = page_for("pc")
    _sign_in(desk, "leader1")
    assert case.number in desk.locator("#desk").inner_text()
    assert "五有缺" in desk.locator("#desk").inner_text() or "五有缺" in desk.locator("#desk").inner_html()
    desk.goto(f"/cases/{case.pk}/")
    desk.locator("#plan-task-force summary").click()
    desk.get_by_label("专班成员 1").select_option(label=f"{owner.name}（{owner.title}）")
    desk.get_by_label("第 1 行为组长").check()
    desk.get_by_label("专班成员 2").select_option(index=2)
    desk.get_by_role("button", name="保存工作专班").click()
    desk.wait_for_load_state()
    desk.locator("#plan-plan summary").click()
    desk.get_by_label("诉求合理→解决到位").check()
    desk.get_by_label("化解稳控措施").fill("核对承包合同，村集体分两期补付承包费")
    desk.get_by_label("防反弹措施").fill("付清后每季度回访承包户")
    desk.get_by_role("button", name="保存化稳方案").click()
    desk.wait_for_load_state()
    desk.locator("#plan-milestones summary").first.click()
    desk.get_by_label("工作节点").fill("核对承包合同和结算清单")
    desk.get_by_label("完成时限").fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    desk.evaluate("window.xfNoReload = 1")
    desk.locator("#plan-milestones").get_by_role("button", name="添加", exact=True).click()
    # Added in place (htmx): no reload, and the form stays open for the next ones.
    expect(desk.locator("#plan-milestones .alert-success")).to_contain_text("已添加 1 个工作节点")
    assert desk.evaluate("window.xfNoReload") == 1
    assert desk.locator("#milestone-add").get_attribute("open") is not None
    desk.reload()
    plan = desk.locator("#plan").inner_text()
    assert "“五有”齐全" in plan and "核对承包合同和结算清单" in plan
    _shoot(request, desk, "case-plan-pc")
    desk.goto("/")
    assert "五有缺" not in desk.locator("#desk").inner_text()
    _shoot(request, desk, "home-leader-desk-pc")


# --- a clerk's day on a phone (390×844) and in Chinese whatever the browser -------------------------


def _fits(page, size="phone"):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width == SIZES[size]["width"], (page.url, width)


def _assigned_case(town, title="村道破损，要求维修", prominent=True):
    from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
    from xinfang.cases.testing import accept_and_assign
    from xinfang.cases.transitions import case_mark_prominent

    village = town["village1"].village
    case = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="孙某某", village=village),
            title=title,
            content="村道破损多年，雨天无法通行，要求维修。",
        ),
        acting_user=town["office"],
    ).case
    accept_and_assign(town, case, plan="建设局一周内勘察，月底前修复", override_reason="属地稳控")
    if prominent:
        case_mark_prominent(case_id=case.pk, acting_user=town["office"], reason="涉及多户")
    return type(case).objects.get(pk=case.pk)


def test_on_a_phone_a_village_signs_its_notice_from_the_card(town, page_for, request):
    case = _assigned_case(town)
    for size in ("pc", "phone"):
        page = page_for(size)
        _sign_in(page, "village1")
        page.goto("/notices/")
        _fits(page, size)
        _shoot(request, page, f"notices-{size}")
    card = page.locator("#notice-table tbody tr", has_text=case.number)
    button = card.get_by_role("button", name="签收")
    box = button.bounding_box()
    assert box and box["x"] + box["width"] <= 390  # the button is on screen, not off to the right
    # the number stays on one line in the card
    number = card.get_by_role("link", name=case.number).bounding_box()
    assert number["height"] < 30
    button.click()
    page.wait_for_load_state()
    assert "已签收" in page.locator(".alert-success").inner_text()
    assert "已签收" in page.locator("#notice-table tbody tr", has_text=case.number).inner_text()
    _fits(page)
    _shoot(request, page, "notices-signed-phone")


def test_on_a_phone_the_actions_come_first_and_progress_is_recorded(town, page_for, request):
    case = _assigned_case(town)
    page = page_for("phone")
    _sign_in(page, "office")
    page.goto(f"/cases/{case.pk}/")
    _fits(page)
    actions = page.locator("#actions").bounding_box()
    assert actions["y"] < page.locator("#plan").bounding_box()["y"]
    assert actions["y"] < 400, actions  # what the reader can do now is at the top
    # then the case itself; the side cards (the timeline …) after it
    assert page.locator("#plan").bounding_box()["y"] < page.locator("#timeline").bounding_box()["y"]
    _shoot(request, page, "case-page-phone")
    names = page.locator("#actions details").evaluate_all("(ds) => ds.map((d) => d.id)")
    for name in names:  # each action's form opens inside the screen
        page.locator(f"#{name} summary").click()
        _fits(page)
        page.locator(f"#{name} summary").click()
    page.locator("#action-progress summary").click()
    page.get_by_label("办理进展").fill("已到现场勘察，测量破损路段")
    page.get_by_label("进展日期").fill(timezone.localdate().isoformat())
    _shoot(request, page, "case-progress-form-phone")
    page.locator("#action-progress").get_by_role("button", name="填报进展").click()
    page.wait_for_load_state()
    assert "已完成" in page.locator(".alert-success").inner_text()
    assert "已到现场勘察" in page.locator("#ownership").inner_text()
    _fits(page)


def test_on_a_phone_the_lists_are_cards_that_fit(town, page_for, request):
    from xinfang.relief.services import relief_record

    case = _assigned_case(town)
    _assigned_case(town, title="土地流转费拖欠")
    relief_record(
        case_id=case.pk,
        acting_user=town["office"],
        kind="temporary",
        amount="2000",
        given_on=timezone.localdate(),
        approved_by="镇长",
    )
    pages = [
        ("office", "/cases/", "ledger-cards"),
        ("office", "/cases/?view=prominent", "ledger-prominent"),
        ("office", "/", "home-office-desk"),
        ("leader1", "/", "home-leader"),
        ("office", "/plans/incomplete/", "plans-incomplete"),
        ("supervisor", "/notices/?overdue=1", "notices-supervisor"),
        ("office", "/relief/", "relief"),
        ("county", "/cases/", "ledger-county"),
    ]
    for size in ("pc", "phone"):
        page = page_for(size)
        for username, url, name in pages:
            page.context.clear_cookies()
            _sign_in(page, username)
            page.goto(url)
            _fits(page, size)
            _shoot(request, page, f"{name}-{size}")
    page.context.clear_cookies()
    _sign_in(page, "office")
    page.goto("/cases/")
    row = page.locator("#case-table tbody tr", has_text=case.number)
    text = row.inner_text()
    # number, title, both tracks and time left, in a card no wider than the screen
    assert case.number in text and case.title in text and case.get_state_display() in text
    assert case.get_resolution_display() in text
    assert "当前期限" in text
    assert row.bounding_box()["width"] <= 390


def test_dates_and_files_are_chinese_whatever_the_browser(town, page_for, request, browser, live_server):
    case = _assigned_case(town)
    context = browser.new_context(viewport=SIZES["pc"], base_url=live_server.url, locale="en-US")
    try:
        page = context.new_page()
        _sign_in(page, "office")
        page.goto(f"/cases/{case.pk}/")
        page.locator("#action-progress summary").click()
        date = page.get_by_label("进展日期")
        assert date.get_attribute("type") == "text"
        assert date.input_value() == timezone.localdate().isoformat()
        date.click()
        calendar = page.locator(".flatpickr-calendar.open")
        expect(calendar).to_be_visible()
        assert "周一" in calendar.inner_text() and "月" in calendar.inner_text()
        _shoot(request, page, "date-picker-pc")
        calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)", has_text="1").first.click()
        assert date.input_value().endswith("-01") and len(date.input_value()) == 10
        page.keyboard.press("Escape")
        files = page.locator("#attachments .xf-file")
        assert files.locator("button").inner_text() == "选择文件"
        assert files.locator(".xf-file-name").inner_text() == "未选择文件"
        page.get_by_label("文件", exact=True).set_input_files(
            {"name": "调解协议书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}
        )
        assert files.locator(".xf-file-name").inner_text() == "调解协议书.pdf"
        assert "Choose" not in page.locator("#attachments").inner_text()
        _shoot(request, page, "file-input-pc")
    finally:
        context.close()


def test_several_milestones_at_once_in_place_on_a_phone(town, page_for, request):
    import datetime as dt

    case = _assigned_case(town)
    page = page_for("phone")
    _sign_in(page, "office")
    page.goto(f"/cases/{case.pk}/")
    page.evaluate("window.xfNoReload = 1")
    page.locator("#milestone-add summary").click()
    day = timezone.localdate()
    page.get_by_label("工作节点").fill("现场勘察")
    page.get_by_label("完成时限").fill((day + dt.timedelta(days=3)).isoformat())
    page.get_by_label("第 2 行节点").fill("召开专班会议")
    page.get_by_label("第 2 行时限").fill((day + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="再加一行").click()
    page.get_by_label("第 4 行节点").fill("签订协议")
    page.get_by_label("第 4 行时限").fill((day + dt.timedelta(days=20)).isoformat())
    _fits(page)
    _shoot(request, page, "milestones-form-phone")
    page.locator("#plan-milestones").get_by_role("button", name="添加", exact=True).click()
    expect(page.locator("#plan-milestones .alert-success")).to_contain_text("已添加 3 个工作节点")
    assert page.evaluate("window.xfNoReload") == 1
    assert page.locator("#milestone-add").get_attribute("open") is not None
    assert page.locator("#plan-milestones li.list-group-item").count() == 3
    _fits(page)
    _shoot(request, page, "milestones-added-phone")
