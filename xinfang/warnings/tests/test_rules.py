"""The rules other than the case clocks, under frozen time: threat at registration, group forming,
repeat, rebound, skip-level, key persons, unacknowledged notices; and the town's settings."""

import datetime as dt

import pytest

from xinfang.alerts.models import Alert
from xinfang.cases.models import Case
from xinfang.cases.testing import accept_and_assign
from xinfang.notices.models import AssignmentNotice
from xinfang.org.models import Category
from xinfang.stability.models import KeyPerson
from xinfang.stability.services import contact_log, period_create, stay_confirm
from xinfang.warnings.models import Warning

from .conftest import at, inbox_of, register

pytestmark = pytest.mark.django_db


def _only(rule):
    return list(Warning.objects.filter(rule=rule).order_by("id"))


# --- 扬言 ---------------------------------------------------------------------------------------


def test_a_threat_petition_raises_a_red_warning_at_once_to_the_office(cast):
    with at("2026-05-04 09:00"):
        petition = register(cast, name="扬言某", has_threat=True)
    [w] = _only("threat")
    assert w.level == "red" and w.case_id == petition.case_id
    assert w.text.startswith("扬言事项立即办理") and petition.case.number in w.text
    assert "office" in inbox_of(w)
    alert = Alert.objects.get(warning=w, recipient=cast["office"])
    assert alert.level == "red" and alert.url == f"/warnings/{w.pk}/" and alert.read_at is None
    # Nothing for a petition without threat language.
    with at("2026-05-04 10:00"):
        register(cast, name="平和某")
    assert len(_only("threat")) == 1


def test_a_threat_on_an_assigned_case_reaches_its_owner_too(cast):
    with at("2026-05-04 09:00"):
        case = register(cast, name="包案扬言某").case
        accept_and_assign(cast, case, override_reason="由联系该村的领导包案")
        case.refresh_from_db()
        register(cast, name="包案扬言某", case_id=case.pk, has_threat=True)
    [w] = _only("threat")
    owner_accounts = set(
        Alert.objects.filter(warning=w, recipient__person=case.lead_leader).values_list(
            "recipient__username", flat=True
        )
    )
    assert owner_accounts and owner_accounts <= inbox_of(w)


def test_a_threat_through_the_api_is_in_the_office_inbox_when_the_answer_comes(cast, client_as):
    village = cast["village1"].village
    with at("2026-05-04 09:00"):
        response = client_as("office").post(
            "/api/v1/petitions",
            {
                "channel": "visit",
                "received_at": "2026-05-04T08:30:00+08:00",
                "petitioner": {"name": "接口扬言某", "village": village.name},
                "title": "反映征地补偿",
                "content": "补偿不到位就去北京上访。",
                "has_threat": True,
            },
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    assert response.json()["case"]["has_threat"] is True
    inbox = client_as("office").get("/api/v1/warnings?level=red").json()
    assert [i["rule"] for i in inbox["items"]] == ["threat"]
    assert inbox["items"][0]["object"]["type"] == "case"


def test_the_threat_rule_can_be_switched_off_by_the_town(cast, fenjie):
    fenjie.warnings = {"rules": {"threat": {"enabled": False}}}
    fenjie.save(update_fields=["warnings"])
    with at("2026-05-04 09:00"):
        register(cast, name="关闭某", has_threat=True)
    assert _only("threat") == []


# --- 群体动向 ----------------------------------------------------------------------------------


def test_three_petitions_of_one_category_from_one_village_in_seven_days_are_a_group(cast, scan):
    category = Category.objects.filter(lead=cast["dept1"].department).first()
    for day, name in [("2026-05-01", "甲某"), ("2026-05-04", "乙某")]:
        with at(f"{day} 09:00"):
            register(cast, name=name)
    with at("2026-05-05 10:00"):
        scan(rules={"group_forming"})
    assert _only("group_forming") == []  # two
    with at("2026-05-06 09:00"):
        register(cast, name="丙某")
        scan(rules={"group_forming"})
        scan(rules={"group_forming"})
    [w] = _only("group_forming")
    village = cast["village1"].village
    assert w.level == "orange" and w.village_id == village.pk
    assert w.subject == f"group:village:{village.pk}:category:{category.pk}"
    assert f"{village.name}近 7 日" in w.text and "3 次" in w.text
    assert inbox_of(w) >= {"office", "village1", "leader1"} and "village2" not in inbox_of(w)
    # Eight days after the first, only two are left in the window: nothing more.
    with at("2026-05-09 10:00"):
        scan(rules={"group_forming"})
    assert len(_only("group_forming")) == 1


def test_the_group_size_and_window_are_the_towns_settings(cast, fenjie, scan):
    fenjie.warnings = {"rules": {"group_forming": {"params": {"count": 2, "days": 3}, "level": "red"}}}
    fenjie.save(update_fields=["warnings"])
    with at("2026-05-01 09:00"):
        register(cast, name="甲某")
    with at("2026-05-02 09:00"):
        register(cast, name="乙某")
        scan(rules={"group_forming"})
    assert [w.level for w in _only("group_forming")] == ["red"]


# --- 重复、反弹、越级 --------------------------------------------------------------------------


def test_a_repeat_petition_is_a_yellow_warning(cast, scan):
    with at("2026-05-01 09:00"):
        case = register(cast, name="重复某").case
    with at("2026-05-03 09:00"):
        register(cast, name="重复某", case_id=case.pk)
        scan(rules={"repeat_petition"})
    [w] = _only("repeat_petition")
    assert w.level == "yellow" and w.case_id == case.pk and "累计重复 1 次" in w.text
    # Older than the look-back: the scan does not look at it any more, and it is not sent again.
    with at("2026-05-20 09:00"):
        assert scan(rules={"repeat_petition"}).found == 0


def test_a_rebound_goes_on_the_board_without_a_second_inbox_copy(cast, scan):
    with at("2026-05-01 09:00"):
        case = register(cast, name="反弹某").case
    with at("2026-05-03 09:00"):
        Case.objects.filter(pk=case.pk).update(rebound=True, rebound_at=dt.datetime.now(dt.UTC))
        scan(rules={"rebound"})
    [w] = _only("rebound")
    assert w.level == "orange" and w.inbox.count() == 0
    assert client_sees(cast, w)


def client_sees(cast, w):
    from xinfang.warnings.selectors import board

    return board(user=cast["office"]).filter(pk=w.pk).exists()


@pytest.mark.parametrize("level, colour", [("national", "red"), ("province", "orange"), ("county", "yellow")])
def test_a_skip_level_petition_is_coloured_by_how_high_it_went(cast, scan, level, colour):
    with at("2026-05-01 09:00"):
        register(cast, name="越级某", skip_level=level)
        scan(rules={"skip_level"})
    [w] = _only("skip_level")
    assert w.level == colour and w.state == f"skip:{level}"
    assert {"office", "leader1"} <= inbox_of(w)


# --- 重点人员 ----------------------------------------------------------------------------------


def test_a_lost_key_person_is_red_to_the_office_the_village_and_the_keepers(cast, scan, make_key_person):
    with at("2026-05-04 09:00"):
        kp = make_key_person("失联某")
        scan(rules={"key_person_lost"})
        assert _only("key_person_lost") == []
        contact_log(
            key_person_id=kp.pk,
            acting_user=cast["grid1"],
            way="in_person",
            found="lost",
            place="家中无人",
            note="电话关机",
        )
    with at("2026-05-04 09:10"):
        scan(rules={"key_person_lost"})
        scan(rules={"key_person_lost"})
    [w] = _only("key_person_lost")
    assert w.level == "red" and w.key_person_id == kp.pk and "失联" in w.text
    assert {"office", "village1", "leader1", "grid1"} <= inbox_of(w)
    assert w.url == f"/stability/key-persons/{kp.pk}/"


def test_contacts_short_is_told_in_the_evening_scan_yellow_or_orange_in_a_period(cast, scan, make_key_person):
    with at("2026-05-04 08:00"):
        kp = make_key_person("未见某")
        scan(cadence="often")
    assert _only("key_person_contacts_short") == []  # not an often rule
    with at("2026-05-04 19:00"):
        scan()
    assert _only("key_person_contacts_short") == []  # the day is not over: from 20:00
    with at("2026-05-04 20:00"):
        scan(cadence="evening")
    [w] = _only("key_person_contacts_short")
    assert w.level == "yellow" and w.state == "2026-05-04" and "还差 1 次" in w.text
    assert {"leader1", "grid1", "village1"} <= inbox_of(w)
    with at("2026-05-05 08:00"):
        period_create(
            acting_user=cast["office"],
            name="五月保障期",
            start="2026-05-05",
            end="2026-05-10",
            level="province",
        )
    with at("2026-05-05 20:00"):
        scan(cadence="evening")
    assert [w.level for w in _only("key_person_contacts_short")] == ["yellow", "orange"]
    assert kp.pk == _only("key_person_contacts_short")[1].key_person_id


def test_a_key_person_away_in_a_protection_period_is_red(cast, scan, make_key_person):
    with at("2026-05-04 08:00"):
        kp = make_key_person("外出某")
        period = period_create(
            acting_user=cast["office"],
            name="两会保障期",
            start="2026-05-04",
            end="2026-05-10",
            level="national",
        )
        scan(rules={"key_person_outside_period"})
        assert _only("key_person_outside_period") == []
        stay_confirm(
            period_id=period.pk,
            key_person_id=kp.pk,
            acting_user=cast["village1"],
            in_place=False,
            note="去外地务工",
        )
        scan(rules={"key_person_outside_period"})
    [w] = _only("key_person_outside_period")
    assert w.level == "red" and "两会保障期" in w.text and "去外地务工" in w.text
    assert {"office", "leader1", "village1"} <= inbox_of(w)
    # After the period: no more.
    KeyPerson.objects.filter(pk=kp.pk).update(status="away")
    with at("2026-05-12 08:00"):
        scan(rules={"key_person_outside_period"})
    assert len(_only("key_person_outside_period")) == 1


# --- 交办单 ------------------------------------------------------------------------------------


def test_a_notice_not_acknowledged_in_time_is_orange_to_the_receiving_unit(cast, scan):
    with at("2026-05-04 09:00"):
        case = register(cast, name="签收某").case
        accept_and_assign(cast, case, override_reason="由联系该村的领导包案")
    notices = list(AssignmentNotice.objects.filter(case=case))
    assert notices
    with at("2026-05-05 08:00"):  # within the 24 hours
        scan(rules={"notice_unacknowledged"})
    assert _only("notice_unacknowledged") == []
    with at("2026-05-05 10:00"):
        scan(rules={"notice_unacknowledged"})
    warnings = _only("notice_unacknowledged")
    assert len(warnings) == len(notices) and {w.level for w in warnings} == {"orange"}
    told = set().union(*(inbox_of(w) for w in warnings))
    assert "office" in told and ({"village1", "dept1"} & told)


def test_roles_and_level_are_the_towns_settings(cast, fenjie, scan):
    fenjie.warnings = {"rules": {"repeat_petition": {"roles": ["leader"], "level": "orange"}}}
    fenjie.save(update_fields=["warnings"])
    with at("2026-05-01 09:00"):
        case = register(cast, name="设置某").case
        register(cast, name="设置某", case_id=case.pk)
        scan(rules={"repeat_petition"})
    [w] = _only("repeat_petition")
    assert w.level == "orange" and inbox_of(w) == {"leader1"}
