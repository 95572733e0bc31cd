"""已化解·防反弹: a resolved case enters the watch by itself; follow-ups come due; a watched
petitioner's new petition is a rebound incident told to the owner at once."""

import pytest

from xinfang.alerts.models import Alert
from xinfang.attachments.services import attachment_add
from xinfang.attachments.tests.files import pdf_bytes, upload
from xinfang.cases.models import Case
from xinfang.cases.testing import accept_and_assign
from xinfang.cases.transitions import case_act
from xinfang.stability import selectors
from xinfang.stability.models import Incident, Watch
from xinfang.stability.services import follow_up_record, watch_sync
from xinfang.stability.tasks import follow_ups_due_tell

from .conftest import at, register

pytestmark = pytest.mark.django_db


def _resolved(cast, name="化解某") -> Case:
    with at("2026-03-02 09:00"):
        case = register(cast, name=name, id_number="110101199003074514").case
        accept_and_assign(cast, case, override_reason="由联系该村的领导包案")
    with at("2026-04-10 09:00"):
        attachment_add(
            case_id=case.pk,
            acting_user=cast["office"],
            file=upload("调解协议书.pdf", pdf_bytes()),
            kind="mediation_agreement",
        )
        case_act(
            action="resolve",
            case_id=case.pk,
            acting_user=cast["office"],
            data={"text": "签订调解协议", "signed_on": "2026-04-09"},
        )
        case_act(action="verify", case_id=case.pk, acting_user=cast["office"], data={"approve": True})
        watch_sync()
    return Case.objects.get(pk=case.pk)


def test_a_resolved_case_enters_the_watch_and_a_follow_up_comes_due(cast):
    case = _resolved(cast)
    watch = Watch.objects.get(case=case)
    dates = [f.due_on.isoformat() for f in watch.follow_ups.all()]
    assert dates[0] == "2026-05-10" and len(dates) == 6  # monthly, six months (town setting)
    with at("2026-05-09 09:00"):
        assert follow_ups_due_tell() == []
        assert not selectors.follow_ups(user=cast["office"], due=True).exists()
    with at("2026-05-10 08:30"):
        told = follow_ups_due_tell()
        assert [f.seq for f in told] == [1]
        assert follow_ups_due_tell() == []  # told once
        assert [f.seq for f in selectors.follow_ups(user=cast["village1"], due=True)] == [1]
        recipients = {a.recipient.username for a in Alert.objects.filter(kind="follow_up_due")}
        assert recipients == {"leader1", "village1", "office"}
        follow_up_record(follow_up_id=told[0].pk, acting_user=cast["grid1"], state="stable", note="情绪稳定")
        assert not selectors.follow_ups(user=cast["office"], due=True).exists()


def test_a_watched_petitioners_new_petition_records_a_rebound_and_tells_the_owner(cast):
    case = _resolved(cast)
    with at("2026-06-01 10:00"):
        new = register(cast, name="化解某", id_number="110101199003074514", title="化解某反映宅基地纠纷").case
    assert new.pk != case.pk
    incident = Incident.objects.get(kind="rebound")
    assert set(incident.cases.values_list("pk", flat=True)) == {case.pk, new.pk}
    watch = Watch.objects.get(case=case)
    assert watch.status == "rebounded" and watch.incident == incident
    told = {a.recipient.username for a in Alert.objects.filter(kind="rebound_incident")}
    assert "leader1" in told and "office" in told


def test_a_rebound_on_the_watched_case_itself_is_recorded_once(cast):
    case = _resolved(cast)
    with at("2026-06-01 10:00"):
        register(cast, name="化解某", id_number="110101199003074514", case_id=case.pk)
        watch_sync()
    assert Incident.objects.filter(kind="rebound").count() == 1
    # the cases app told the owner of the rebound already: no second alert to them
    assert not Alert.objects.filter(kind="rebound_incident", recipient=cast["leader1"]).exists()
    assert Alert.objects.filter(kind="rebound", recipient=cast["leader1"]).exists()


def test_a_case_resolved_and_rebounded_before_the_job_ran_is_still_recorded(cast):
    with at("2026-03-02 09:00"):
        case = register(cast, name="速反某").case
    Case.objects.filter(pk=case.pk).update(resolution="resolved", resolved_on="2026-04-10")
    with at("2026-04-11 10:00"):
        register(cast, name="速反某", case_id=case.pk)
    assert Incident.objects.filter(kind="rebound", cases=case).count() == 1
