"""The case page of a petition with threat language, in a browser at both sizes, and the office
marking a hit a false positive. `pytest -m browser --screenshots` writes docs/screenshots/case-threat*.png."""

import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from xinfang.cases.models import Petition
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.web.tests.test_browser import _shoot, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CONTENT = (
    "我家承包的六亩地被村里流转给养殖场，合同签了三年，流转费一分没有拿到。"
    "听说隔壁村有人跳楼才解决了问题，我们不想那样。"
    "这次再不解决，我就去北京上访，还要找媒体曝光。"
)


def test_the_case_page_shows_the_threat_and_the_office_dismisses_a_hit(town, page_for, request):
    office = town["office"]
    petition = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="钱某某", village=town["village1"].village),
            title="土地流转费拖欠",
            content=CONTENT,
        ),
        acting_user=office,
    )
    assert [h["phrase"] for h in petition.threat_hits] == ["去北京", "找媒体"]  # not the hearsay

    for size in ("pc", "phone"):
        page = page_for(size)
        _sign_in(page, "office")
        page.goto(f"/cases/{petition.case_id}/")
        banner = page.locator("#threat")
        expect(banner).to_contain_text("扬言事项，立即办理")
        expect(banner.locator("mark")).to_have_count(2)
        expect(banner.locator("mark").first).to_have_text("去北京")
        # nothing overflows the screen sideways
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        _shoot(request, page, "case-threat" if size == "pc" else "case-threat-phone")

    hit = banner.locator("li.xf-threat-hit", has_text="媒体炒作")
    hit.get_by_text("“找媒体”不是扬言？标为误报").click()
    hit.get_by_label("误报理由").fill("信访人说的是向镇里反映，不是找媒体")
    hit.get_by_role("button", name="标为误报").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("已将“找媒体”标为误报，事项仍为扬言事项。")
    expect(page.locator("#threat mark")).to_have_count(1)
    expect(page.locator(f"#threat-dismissed-{petition.pk}")).to_contain_text("找媒体")
    stored = Petition.objects.get(pk=petition.pk)
    assert stored.has_threat and stored.threat_hits[1]["dismissed"]["reason"].startswith("信访人说的是")
