"""A notice not acknowledged within the town's time (24 hours by default) is listed for the office;
not a minute before."""

import datetime as dt

import pytest

from xinfang.notices.services import notice_acknowledge
from xinfang.notices.timing import duration_text

from .conftest import SENT, at

pytestmark = pytest.mark.django_db
ALMOST = SENT + dt.timedelta(hours=23, minutes=59)
PASSED = SENT + dt.timedelta(hours=24, minutes=1)
DAY_LATER = SENT + dt.timedelta(days=2, hours=3)


def overdue_units(client) -> set[str]:
    response = client.get("/api/v1/notices?overdue=true")
    assert response.status_code == 200
    return {n["unit"] for n in response.json()["items"]}


def test_durations_read_as_chinese():
    assert duration_text(dt.timedelta(seconds=30)) == "不到 1 分钟"
    assert duration_text(dt.timedelta(minutes=12)) == "12 分钟"
    assert duration_text(dt.timedelta(hours=5, minutes=20)) == "5 小时 20 分钟"
    assert duration_text(dt.timedelta(hours=3)) == "3 小时"
    assert duration_text(dt.timedelta(days=2, hours=3, minutes=7)) == "2 天 3 小时"


def test_an_unacknowledged_notice_is_listed_after_the_time_passes_not_before(
    client_as, cast, village_notice, line_notice
):
    office = client_as("office")
    with at(ALMOST):
        assert overdue_units(office) == set()
        page = office.get("/notices/?overdue=1").content.decode()
        assert "没有超时未签收的交办单" in page
        assert "超时未签收 <strong>0</strong> 件" in office.get("/").content.decode()
    with at(PASSED):
        assert overdue_units(office) == {cast["village1"].village.name, "镇建设和生态环境局"}
        page = office.get("/notices/?overdue=1").content.decode()
        assert page.count("超时未签收</span>") == 2
        assert "已发出 1 天，超时 1 分钟" in page
        assert "超时未签收 <strong>2</strong> 件" in office.get("/").content.decode()


def test_an_acknowledged_notice_leaves_the_list(client_as, cast, village_notice, line_notice):
    with at(SENT + dt.timedelta(hours=3)):
        notice_acknowledge(notice_id=village_notice.pk, acting_user=cast["village1"])
    with at(DAY_LATER):
        assert overdue_units(client_as("office")) == {"镇建设和生态环境局"}
        item = client_as("office").get("/api/v1/notices?overdue=true").json()["items"][0]
        assert item["status"] == "overdue" and item["status_label"] == "超时未签收"
        assert item["timing"] == "已发出 2 天 3 小时，超时 1 天 3 小时"


def test_a_late_acknowledgement_is_kept_as_late(client_as, cast, line_notice):
    with at(DAY_LATER):
        notice_acknowledge(notice_id=line_notice.pk, acting_user=cast["dept1"])
        item = next(
            i for i in client_as("office").get("/api/v1/notices").json()["items"] if i["id"] == line_notice.pk
        )
    assert item["status"] == "acknowledged"
    assert item["timing"] == "发出后 2 天 3 小时 签收（超时 1 天 3 小时）"
    assert "超过签收时限" in line_notice.case.events.get(kind="notice_acknowledged").summary()


def test_the_receiving_units_see_their_overdue_notices_too(client_as, cast, village_notice, line_notice):
    with at(PASSED):
        assert overdue_units(client_as("village1")) == {cast["village1"].village.name}
        assert overdue_units(client_as("dept1")) == {"镇建设和生态环境局"}
        assert overdue_units(client_as("village2")) == set()
        home = client_as("village1").get("/").content.decode()
        assert "待签收交办单 <strong>1</strong> 件" in home and "其中超时未签收 <strong>1</strong> 件" in home


def test_an_objection_withdraws_the_unsigned_notices_and_reassignment_sends_new_ones(
    client_as, cast, assigned, village_notice, line_notice
):
    from xinfang.audit.models import AuditEvent
    from xinfang.cases.transitions import case_object
    from xinfang.notices.models import AssignmentNotice
    from xinfang.org.models import Department

    from .conftest import assign, notices_of

    with at(SENT + dt.timedelta(hours=2)):
        notice_acknowledge(notice_id=village_notice.pk, acting_user=cast["village1"])
    with at(SENT + dt.timedelta(hours=5)):
        case_object(case_id=assigned.pk, acting_user=cast["dept1"], reason="该事项属于自然资源部门职责")
    line = AssignmentNotice.objects.get(pk=line_notice.pk)
    assert line.withdrawn_at is not None and "交办异议" in line.withdrawn_reason
    assert AssignmentNotice.objects.get(pk=village_notice.pk).withdrawn_at is None  # signed: kept as it was
    assert AuditEvent.objects.filter(target_id=str(line.pk), detail="撤回交办单").count() == 1
    with at(DAY_LATER):  # past the 24 hours: a withdrawn notice is not chased
        assert overdue_units(client_as("office")) == set()
        item = next(
            i for i in client_as("dept1").get("/api/v1/notices").json()["items"] if i["id"] == line.pk
        )
        assert item["status"] == "withdrawn" and item["status_label"] == "已撤回"
        assert item["timing"].startswith("2026-08-04 15:00 撤回：")  # local time, as sent at 10:00
        response = client_as("dept1").post(f"/api/v1/notices/{line.pk}/acknowledge")
        assert (
            response.status_code == 409
            and "已于" in response.json()["detail"]
            and "撤回" in response.json()["detail"]
        )
        page = client_as("office").get(f"/cases/{assigned.pk}/").content.decode()
        assert "已撤回" in page and "撤回交办单：镇建设和生态环境局" in page
    other = Department.objects.filter(town=assigned.town).order_by("order", "id")[1]
    assign(cast, assigned, department=other, moment=DAY_LATER, accept=False)
    fresh = notices_of(assigned)
    assert fresh["department"].department == other and fresh["department"].withdrawn_at is None
    assert fresh["village"].pk != village_notice.pk
