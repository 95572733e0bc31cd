"""稳控 through the API with what the fuzz test sends: control characters, ids and offsets beyond 64
bits, numbers for times, years before 2000, counts beyond any incident. Each is a Chinese 422 (not a
500, not a stored row); the services hold the same bounds for the pages."""

import pytest
from django.core.exceptions import ValidationError

from xinfang.core.tests.test_api_input import api_client, assert_chinese_error
from xinfang.stability.models import Contact, FollowUp, Incident, KeyPerson, ProtectionPeriod
from xinfang.stability.services import follow_up_record, incident_record

from .conftest import at
from .test_watch import _resolved

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


def test_a_control_character_in_a_key_person_filter_is_refused(cast):
    # On PostgreSQL the NUL reached the query and answered 500.
    body = assert_chinese_error(api_client(cast, "office").get("/api/v1/key-persons?status=%00kept"), 422)
    assert body["errors"][0]["field"] == "status"


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/key-persons/{HUGE}",
        f"/api/v1/key-persons?offset={HUGE}",
        f"/api/v1/key-persons?village={HUGE}",
        f"/api/v1/petitioners?q=某&offset={HUGE}",
        f"/api/v1/incidents?offset={HUGE}",
        f"/api/v1/follow-ups?offset={HUGE}",
        f"/api/v1/protection-periods/{HUGE}/board",
    ],
)
def test_ids_and_offsets_beyond_64_bits_are_refused(cast, url):
    assert_chinese_error(api_client(cast, "office").get(url), 422)


def test_a_tag_with_a_control_character_is_refused_and_nothing_is_listed(cast, make_key_person):
    petitioner = make_key_person().petitioner
    KeyPerson.objects.all().delete()
    response = api_client(cast, "office").post(
        "/api/v1/key-persons",
        {"petitioner": petitioner.pk, "level": "high", "reasons": "多次上访", "tags": ["缠访\x00"]},
        content_type="application/json",
    )
    body = assert_chinese_error(response, 422)
    assert body["errors"][0]["field"] == "tags"
    assert not KeyPerson.objects.exists()


INCIDENT = {"kind": "kp_leave", "occurred_at": "2026-05-01T09:00:00+08:00", "level_reached": "county"}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"persons_count": 10**30}, "persons_count"),
        ({"occurred_at": "0001-01-01T00:00:00+14:00"}, "occurred_at"),
        ({"occurred_at": 12345}, "occurred_at"),  # was read as 1970-01-01
        ({"handling": "已劝返\x00"}, "handling"),
    ],
)
def test_an_incident_out_of_bounds_is_refused_and_not_stored(cast, change, field):
    with at("2026-05-02 09:00"):
        response = api_client(cast, "office").post(
            "/api/v1/incidents", {**INCIDENT, **change}, content_type="application/json"
        )
    body = assert_chinese_error(response, 422)
    assert field in {e["field"] for e in body["errors"]}
    assert not Incident.objects.exists()


def test_the_incident_service_bounds_the_count_and_the_year_for_the_pages_too(cast):
    with at("2026-05-02 09:00"):
        with pytest.raises(ValidationError) as count:
            incident_record(acting_user=cast["office"], **INCIDENT, persons_count=10**12)
        with pytest.raises(ValidationError) as year:
            incident_record(
                acting_user=cast["office"], **{**INCIDENT, "occurred_at": "0001-01-01T00:00:00+14:00"}
            )
    assert "人数最多为 10000" in count.value.message_dict["persons_count"][0]
    assert "2000-01-01" in year.value.message_dict["occurred_at"][0]
    assert not Incident.objects.exists()


def test_a_contact_note_with_a_nul_is_refused(cast, make_key_person):
    with at("2026-05-02 09:00"):
        kp = make_key_person()
        response = api_client(cast, "village1").post(
            f"/api/v1/key-persons/{kp.pk}/contacts",
            {"way": "in_person", "status": "home", "note": "在家\x00"},
            content_type="application/json",
        )
    assert_chinese_error(response, 422)
    assert not Contact.objects.exists()


def test_a_protection_period_in_the_year_1_is_refused(cast):
    response = api_client(cast, "office").post(
        "/api/v1/protection-periods",
        {"name": "两会", "start": "0001-01-01", "end": "0001-01-02", "level": "national"},
        content_type="application/json",
    )
    body = assert_chinese_error(response, 422)
    assert {e["field"] for e in body["errors"]} == {"start", "end"}
    assert not ProtectionPeriod.objects.exists()


def test_a_follow_up_cannot_be_dated_before_the_case_was_resolved(cast):
    case = _resolved(cast)
    follow_up = FollowUp.objects.filter(watch__case=case).order_by("seq").first()
    with at("2026-05-10 09:00"):
        response = api_client(cast, "village1").post(
            f"/api/v1/follow-ups/{follow_up.pk}",
            {"state": "stable", "note": "情绪稳定", "on": "2001-01-01"},
            content_type="application/json",
        )
        body = assert_chinese_error(response, 422)
        assert "2026-04-10" in body["errors"][0]["message"]
        with pytest.raises(ValidationError):
            follow_up_record(
                follow_up_id=follow_up.pk,
                acting_user=cast["grid1"],
                state="stable",
                note="稳定",
                on="2026-04-01",
            )
    follow_up.refresh_from_db()
    assert follow_up.done_on is None


def test_the_key_person_service_refuses_a_control_character_for_the_pages_too(cast, make_key_person):
    """The page's form reaches the service without the API's schema: the service checks text itself."""
    from xinfang.stability.services import key_person_update

    kp = make_key_person()
    with pytest.raises(ValidationError) as refused:
        key_person_update(key_person_id=kp.pk, acting_user=cast["office"], reasons="多次上访\x00")
    assert "控制字符" in refused.value.message_dict["reasons"][0]
    kp.refresh_from_db()
    assert "\x00" not in kp.reasons
