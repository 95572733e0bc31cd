"""In the browser, as the office: a joint meeting names the owner of a case waiting for it and the
case page shows it. `pytest -m browser --screenshots` writes the meeting and cadence pages to
docs/screenshots/."""

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from xinfang.cases.transitions import case_accept
from xinfang.core.testing import cast_ensure
from xinfang.demo.history import history_generate
from xinfang.demo.meetings import meetings_demo
from xinfang.org.models import Person
from xinfang.web.tests.test_browser import _shoot, _sign_in

from .factories import register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo(transactional_db):
    cast = cast_ensure()
    town = cast["office"].town
    history_generate(town=town, clerk=cast["office"], cases=80, days=120, seed=5)
    meetings_demo(town=town, users=cast)
    return cast


def test_a_joint_meeting_names_the_owner_of_a_waiting_case_and_the_case_shows_it(demo, page_for, request):
    office = demo["office"]
    case = register(demo, threat=True, title="扬言进京的征地补偿诉求")
    case_accept(case_id=case.pk, acting_user=office)
    leader = Person.objects.filter(town=office.town, is_leader=True).order_by("id")[3]

    page = page_for("pc")
    _sign_in(page, "office")
    page.goto("/meetings/new/?kind=joint")
    page.get_by_label("会议日期").fill(timezone.localdate().isoformat())
    page.get_by_label("地点").fill("镇三楼会议室")
    page.get_by_label("议题").fill("研究特殊重大信访事项的包案")
    page.get_by_label("会议决定").fill("该事项由联席会议确定包案领导，七日内制定化稳方案。")
    page.get_by_label(f"{case.number}的包案领导").select_option(str(leader.pk))
    page.get_by_role("button", name="保存会议记录").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("已记录信访工作联席会议")
    expect(page.locator("#owner-decisions")).to_contain_text(leader.name)
    _shoot(request, page, "meetings-joint-meeting-pc")

    page.locator("#owner-decisions").get_by_role("link", name=case.number).click()
    page.wait_for_load_state()
    ownership = page.locator("#ownership")
    expect(ownership).to_contain_text(leader.name)
    today = timezone.localdate()
    expect(ownership).to_contain_text(f"由{today.month}月{today.day}日联席会议确定")
    # From there the case goes on to assignment with the decided owner proposed.
    expect(page.locator("#ownership-proposal")).to_contain_text("联席会议确定")
    expect(page.locator("#assign-leader option:checked")).to_contain_text(leader.name)


def test_the_cadence_pages(demo, page_for, request):
    page = page_for("pc")
    _sign_in(page, "leader1")
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    page.goto(f"/meetings/cadence/?year={last_month.year}&month={last_month.month}")
    expect(page.locator("#cadence-table")).to_contain_text("工作专班会议")
    expect(page.locator("#cadence-table tr.table-danger").first).to_be_visible()
    expect(page.locator("#cadence-table .badge.text-bg-success").first).to_be_visible()
    _shoot(request, page, "meetings-cadence-pc")
    page.locator("#year-view-link").click()
    page.wait_for_load_state()
    expect(page.locator("#cadence-year td.table-danger").first).to_be_visible()
    _shoot(request, page, "meetings-cadence-year-pc")
    phone = page_for("phone")
    _sign_in(phone, "office")
    phone.goto("/meetings/cadence/")
    expect(phone.locator("#cadence-table")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    _shoot(request, phone, "meetings-cadence-phone")


def test_the_pages_fit_a_phone(demo, page_for, request):
    from xinfang.meetings.models import Meeting, Reception

    phone = page_for("phone")
    _sign_in(phone, "office")
    meeting = Meeting.objects.filter(kind="task_force").exclude(tasks=None).first()
    reception = Reception.objects.order_by("held_on").first()
    for url, name in [
        ("/meetings/", "meetings-list-phone"),
        ("/meetings/new/", "meetings-new-phone"),
        (f"/meetings/{meeting.pk}/", "meetings-task-force-phone"),
        (f"/meetings/receptions/{reception.pk}/", "meetings-reception-phone"),
        ("/cases/batch-assign/", "cases-batch-assign-phone"),
    ]:
        phone.goto(url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (url, width)
        _shoot(request, phone, name)
    pc = page_for("pc")
    _sign_in(pc, "office")
    pc.goto("/cases/batch-assign/")
    expect(pc.locator("#batch-table")).to_be_visible()
    _shoot(request, pc, "cases-batch-assign-pc")
