"""The office's desk work in a browser, at an office PC's 1366×768 and a phone's 390×844 (issue 10,
items 2 and 4): registering a group's visit with its representatives and printing the receipt, and
assigning with the 责任人 picker. `--screenshots` writes docs/screenshots/."""

import pytest
from django.utils import timezone

from xinfang.web.tests.test_browser import _shoot, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = ["pc", "phone"]


def no_sideways_scroll(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.evaluate("() => window.innerWidth")
    assert width <= viewport, f"the page is {width}px wide in a {viewport}px window"


@pytest.mark.parametrize("size", SIZES)
def test_the_office_registers_a_group_visit_and_prints_the_receipt(town, page_for, request, size):
    cast, open_page = town, page_for
    from xinfang.cases.models import Petition

    page = open_page(size)
    _sign_in(page, "office")
    page.goto("/cases/new/")
    # a new clerk starts from a visit
    assert page.get_by_label("信访渠道").input_value() == "visit"
    matter = page.get_by_label("具体事项")
    assert matter.is_disabled()  # until a category is chosen
    page.get_by_label("问题类别").select_option(label="农业农村类")
    shown = matter.locator("optgroup:not([hidden]) option").all_inner_texts()
    assert "土地承包" in shown and "拆迁安置补偿" not in shown
    matter.select_option(label="土地承包")
    assert not page.locator("#representatives").evaluate("d => d.open")
    page.get_by_label("人数").fill("6")
    assert page.locator("#representatives").evaluate("d => d.open")
    page.get_by_label("信访人姓名").fill("赵某某")
    page.get_by_label("手机号", exact=True).fill("13912345678")
    page.get_by_label("所在村（居）").select_option(label=cast["village1"].village.name)
    page.get_by_label("第2位代表：姓名").fill("钱某某")
    page.get_by_label("第2位代表：手机").fill("13800001111")
    page.get_by_label("第3位代表：姓名").fill("孙某某")
    page.get_by_label("事项（一句话）").fill("土地承包费未按合同支付")
    page.get_by_label("诉求内容").fill("六户承包户反映村集体两年未结算土地承包费。")
    no_sideways_scroll(page)
    _shoot(request, page, f"case-register-group-{size}")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_load_state()
    success = page.locator(".alert-success")
    assert "已登记为新事项" in success.inner_text()
    petition = Petition.objects.order_by("-id").first()
    assert sorted(p.name for p in petition.petitioners.all()) == ["孙某某", "赵某某", "钱某某"]
    assert petition.case.matter == "土地承包"

    with page.context.expect_page() as opened:
        success.get_by_role("link", name="打印登记回执").click()
    receipt = opened.value
    receipt.wait_for_load_state()
    text = receipt.locator("#receipt").inner_text()
    assert petition.case.number in text and petition.query_code in text and "139****5678" in text
    assert "/query/" in text
    # in the order they were registered: the petitioner first, then the representatives
    assert text.index("赵某某") < text.index("钱某某") < text.index("孙某某")
    no_sideways_scroll(receipt)
    _shoot(request, receipt, f"case-receipt-{size}")
    # the next registration starts from the channel used last
    page.goto("/cases/new/")
    assert page.get_by_label("信访渠道").input_value() == "visit"


@pytest.mark.parametrize("size", SIZES)
def test_the_office_assigns_with_the_picker_one_person_at_a_time(town, page_for, request, size):
    cast, open_page = town, page_for
    from xinfang.cases.models import Case
    from xinfang.cases.ownership import ownership_propose
    from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
    from xinfang.cases.transitions import case_accept
    from xinfang.org.models import Category

    office, village = cast["office"], cast["village1"].village
    case = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="钱某某", village=village),
            title="土地承包费未按合同支付",
            content="村集体发包的土地承包费两年未结算。",
            category=Category.objects.get(town=office.town, code="nongcun"),
        ),
        acting_user=office,
    ).case
    case_accept(case_id=case.pk, acting_user=office)
    proposed = list(ownership_propose(Case.objects.get(pk=case.pk)).responsible_persons)
    assert len(proposed) >= 2

    page = open_page(size)
    _sign_in(page, "office")
    page.goto(f"/cases/{case.pk}/")
    page.locator("#action-assign summary").click()
    form = page.locator("#action-assign")
    chips = form.locator(".xf-chip")
    assert chips.count() == len(proposed)  # pre-filled with the proposal
    assert form.locator("select[name=responsible_persons]").is_hidden()
    # remove one with its ×: the others stay
    removed = proposed[0]
    form.get_by_role("button", name=f"移除 {removed.name}", exact=False).first.click()
    assert chips.count() == len(proposed) - 1
    # find one more by name and add them
    other = cast["village2"].village.party_head
    search = form.get_by_label("责任人")
    search.fill(other.name)
    form.locator(".xf-picker-option", has_text=other.name).first.click()
    assert chips.count() == len(proposed)
    search.fill(cast["village2"].village.name)  # a unit's name lists its people under it
    assert form.locator(".xf-picker-results").inner_text().count(cast["village2"].village.name) >= 1
    no_sideways_scroll(page)
    _shoot(request, page, f"case-assign-picker-{size}")
    search.press("Escape")
    form.get_by_role("button", name="交办").click()
    page.wait_for_load_state()
    assert "交办已完成" in page.locator(".alert-success").inner_text()
    got = set(Case.objects.get(pk=case.pk).responsible_persons.values_list("pk", flat=True))
    assert got == {p.pk for p in proposed[1:]} | {other.pk}
