"""一日三见面: contacts, who is short of them, and 失联 told at once (frozen time)."""

import pytest

from xinfang.alerts.models import Alert
from xinfang.stability import selectors
from xinfang.stability.services import contact_log, period_create
from xinfang.stability.tasks import contacts_short_tell

from .conftest import at

pytestmark = pytest.mark.django_db


def test_it_lists_a_key_person_short_of_todays_contacts_and_tells_the_keepers(cast, make_key_person):
    with at("2026-05-04 08:00"):
        met = make_key_person("已见某")
        short = make_key_person("未见某")
        contact_log(key_person_id=met.pk, acting_user=cast["grid1"], way="in_person", found="home")
    with at("2026-05-04 20:00"):
        listed = contacts_short_tell()
        names = [s.key_person.petitioner.name for s in listed]
        assert "未见某" in names and "已见某" not in names
        assert [s.key_person.pk for s in selectors.short_today(user=cast["office"])] == [short.pk]
    told = Alert.objects.filter(kind="contact_short", text__contains="未见某")
    assert {a.recipient.username for a in told} == {"leader1", "grid1"}  # the keepers with accounts
    assert "要求每日 1 次，已见 0 次" in told.first().text
    assert not Alert.objects.filter(kind="contact_short", text__contains="已见某").exists()


def test_a_medium_key_person_met_two_days_ago_is_not_short_yet(cast, make_key_person):
    with at("2026-05-02 10:00"):
        kp = make_key_person("中风险某", level="medium")
        contact_log(key_person_id=kp.pk, acting_user=cast["grid1"], way="phone", found="home")
    with at("2026-05-04 20:00"):
        assert kp.pk not in [s.key_person.pk for s in contacts_short_tell()]
    with at("2026-05-05 20:00"):
        assert kp.pk in [s.key_person.pk for s in contacts_short_tell()]


def test_lost_tells_the_owner_the_office_and_the_police_liaison_at_once(cast, make_key_person, police):
    with at("2026-05-04 09:00"):
        kp = make_key_person("失联某", police_user=police)
        contact_log(
            key_person_id=kp.pk,
            acting_user=cast["grid1"],
            way="in_person",
            found="lost",
            place="家中无人",
            note="邻居称昨晚离家，电话关机",
        )
    told = {a.recipient.username for a in Alert.objects.filter(kind="contact_lost")}
    assert told == {"leader1", "office", "police1"}
    kp.refresh_from_db()
    assert kp.status == "lost" and kp.last_found == "lost"
    alarm = kp.alarms.get()
    assert alarm.closed_at is None
    # the follow-up is recorded until closed
    from xinfang.stability.services import alarm_step

    with at("2026-05-04 11:00"):
        alarm_step(alarm_id=alarm.pk, acting_user=police, text="已协查，在邻县亲戚家")
        contact_log(key_person_id=kp.pk, acting_user=cast["grid1"], way="video", found="home", note="已返回")
        alarm_step(alarm_id=alarm.pk, acting_user=cast["office"], text="已返家，落实稳控", close=True)
    alarm.refresh_from_db()
    kp.refresh_from_db()
    assert alarm.closed_at and len(alarm.steps) == 2 and kp.status == "in_control"


def test_a_period_raises_required_contacts_to_three_and_they_fall_back_after_it(cast, make_key_person):
    with at("2026-05-01 09:00"):
        kp = make_key_person("节点某", level="low")
        period_create(
            acting_user=cast["office"],
            name="全国两会",
            start="2026-05-03",
            end="2026-05-05",
            level="national",
        )

    def need_on(day):
        with at(f"{day} 21:00"):
            standing = selectors.standings([type(kp).objects.get(pk=kp.pk)])[0]
            return standing.need.contacts, standing.need.days

    assert need_on("2026-05-02") == (1, 7)
    assert need_on("2026-05-03") == (3, 1)
    assert need_on("2026-05-05") == (3, 1)
    assert need_on("2026-05-06") == (1, 7)
    with at("2026-05-04 13:00"):
        for hour in ("08:00", "12:00"):
            contact_log(
                key_person_id=kp.pk,
                acting_user=cast["grid1"],
                at=f"2026-05-04T{hour}",
                way="in_person",
                found="home",
            )
    with at("2026-05-04 20:00"):
        short = {s.key_person.pk: s for s in contacts_short_tell()}
        assert short[kp.pk].met == 2 and short[kp.pk].missing == 1
    with at("2026-05-06 20:00"):
        assert kp.pk not in {s.key_person.pk for s in contacts_short_tell()}


def test_bad_contact_input_is_refused_in_chinese_and_nothing_is_stored(cast, make_key_person):
    from django.core.exceptions import PermissionDenied, ValidationError

    with at("2026-05-04 09:00"):
        kp = make_key_person()
        with pytest.raises(ValidationError) as exc:
            contact_log(key_person_id=kp.pk, acting_user=cast["grid1"], way="letter", found="home")
        assert "见面方式" in str(exc.value)
        with pytest.raises(ValidationError) as exc:
            contact_log(key_person_id=kp.pk, acting_user=cast["grid1"], way="phone", found="lost")
        assert "请简要写明情况" in str(exc.value)
        with pytest.raises(PermissionDenied):
            contact_log(key_person_id=kp.pk, acting_user=cast["supervisor"], way="phone", found="home")
    assert not kp.contacts.exists()
