"""Protection periods: 零滞留 before, 零登记 during, the daily reports of every village."""

import pytest
from django.core.exceptions import ValidationError

from xinfang.alerts.models import Alert
from xinfang.stability import selectors
from xinfang.stability.models import Incident
from xinfang.stability.services import daily_report, period_create, registration_record, stay_confirm
from xinfang.stability.tasks import daily_reports_missing_tell

from .conftest import at, register

pytestmark = pytest.mark.django_db
ID = "110101199003074645"


@pytest.fixture
def period(cast, make_key_person):
    with at("2026-05-01 09:00"):
        kp = make_key_person("节点某", id_number=ID)
        return kp, period_create(
            acting_user=cast["office"],
            name="全国两会",
            start="2026-05-03",
            end="2026-05-05",
            level="national",
        )


def test_a_registration_during_a_period_breaks_zero_registration_and_raises_an_incident(cast, period):
    kp, p = period
    with at("2026-05-04 15:00"):
        board = selectors.board(user=cast["office"], period=p)
        assert board.registrations == []
        registration_record(
            period_id=p.pk,
            key_person_id=kp.pk,
            acting_user=cast["office"],
            level="province",
            place="省信访局",
        )
        board = selectors.board(user=cast["office"], period=p)
    assert len(board.registrations) == 1
    incident = Incident.objects.get(kind="registration")
    assert list(incident.key_persons.all()) == [kp] and incident.period == p
    assert board.rows[0].incidents == 1 and board.stable_rate == 0
    told = {a.recipient.username for a in Alert.objects.filter(kind="zero_registration")}
    assert {"office", "leader1", "grid1"} <= told


def test_a_petition_referred_from_the_province_during_the_period_is_a_registration(cast, period):
    kp, p = period
    with at("2026-05-04 10:00"):
        register(
            cast,
            name="节点某",
            id_number=ID,
            case_id=kp.case_id,
            channel="referral",
            referral_level="province",
        )
    registration = p.registrations.get()
    assert registration.key_person == kp and registration.level == "province"
    assert registration.petition is not None and registration.incident.kind == "registration"


def test_a_petition_outside_the_period_is_no_registration(cast, period):
    kp, p = period
    with at("2026-05-07 10:00"):
        register(
            cast,
            name="节点某",
            id_number=ID,
            case_id=kp.case_id,
            channel="referral",
            referral_level="province",
        )
    assert not p.registrations.exists()


def test_zero_stranded_is_confirmed_before_the_start_and_who_confirmed_it(cast, period):
    kp, p = period
    with at("2026-05-02 18:00"):
        stay_confirm(period_id=p.pk, key_person_id=kp.pk, acting_user=cast["grid1"])
        board = selectors.board(user=cast["office"], period=p)
    assert board.before and board.unconfirmed == 0 and board.rows[0].stay.confirmed_by == cast["grid1"]
    with at("2026-05-04 09:00"), pytest.raises(ValidationError, match="零滞留须在保障期开始"):
        stay_confirm(period_id=p.pk, key_person_id=kp.pk, acting_user=cast["grid1"])


def test_villages_that_sent_no_daily_report_are_listed_by_the_end_of_the_day(cast, period):
    _, p = period
    with at("2026-05-04 17:00"):
        daily_report(period_id=p.pk, acting_user=cast["village1"], all_quiet=True)  # a zero report counts
        with pytest.raises(ValidationError, match="请写明情况"):
            daily_report(period_id=p.pk, acting_user=cast["village2"], all_quiet=False)
    with at("2026-05-04 18:00"):
        missing = daily_reports_missing_tell()[p.pk]
    names = [v.name for v in missing]
    assert cast["village1"].village.name not in names and cast["village2"].village.name in names
    told = Alert.objects.filter(kind="daily_report_missing")
    assert {"village2", "office"} <= {a.recipient.username for a in told}
    assert "village1" not in {a.recipient.username for a in told}
