"""Schemathesis against /api/v1/openapi.json, in process: every operation, called with an office token
and with a village token, with data that fits the schema and data that does not, and with the path
pointing at real objects of the demo town as well as at made-up ids.

Each answer must be no 5xx, a status the document lists for the operation, the declared content type,
and a body that conforms to the declared schema. Hypothesis runs derandomized (the same examples on
every run) with a bounded number of examples per operation, so this stays a few minutes on two cores.
"""

import datetime as dt
import time
from functools import cache

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.api import api
from xinfang.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

# Examples per operation and role: data that fits the schema, data that does not, and data that fits
# with the path naming real objects (operations with a path parameter only).
EXAMPLES = {"positive": 15, "negative": 10, "real objects": 10}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = ["office", "village1"]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _labels() -> list[str]:
    schema = api.get_openapi_schema()
    return sorted(f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops)


@cache
def _schema():
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def in_process_wsgi():
    """Requests go through Django's WSGI handler in this thread, on the test's database connection:
    the handler must not close that connection after each request (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def town_objects(cast, settings, tmp_path):
    """A case of village1 at work: accepted, assigned (two notices), with a milestone, a relief and an
    attachment; its petitioner a key person kept by the village's people, in a protection period; and a
    second case of village1 resolved, on the rebound watch with its follow-ups: so that fuzzed calls
    reach real objects and not only 404s."""
    from xinfang.attachments.services import attachment_add
    from xinfang.attachments.tests.files import pdf_bytes, upload
    from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
    from xinfang.cases.testing import accept_and_assign
    from xinfang.plans.services import milestone_add
    from xinfang.relief.services import relief_record

    settings.XINFANG_ATTACHMENT_DIR = tmp_path
    office = cast["office"]
    case = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=dt.datetime(2026, 11, 2, 9, tzinfo=SHANGHAI),
            petitioner=PetitionerIn(name="周某某", phone="13912345678", village=cast["village1"].village),
            title="土地流转费拖欠",
            content="土地流转费两年未付。",
        ),
        acting_user=office,
    ).case
    accept_and_assign(cast, case, plan="上门稳控")
    milestone = milestone_add(case_id=case.pk, acting_user=office, title="召开专班会议", due_on="2099-01-01")
    relief_record(
        case_id=case.pk,
        acting_user=office,
        kind="temporary",
        amount="1000",
        given_on="2026-11-10",
        approved_by="镇长",
    )
    attachment = attachment_add(
        case_id=case.pk, acting_user=office, file=upload("协议.pdf", pdf_bytes()), kind="mediation_agreement"
    )
    notice = case.notices.filter(target="village").first()
    from xinfang.alerts.services import alerts_send

    (alert,) = alerts_send(case=case, recipients=[office], kind="rebound", text="化解后反弹（模糊测试）")
    key_person, period, follow_up = _stability_objects(cast, case)
    meeting, task, reception = _meeting_objects(cast, case)
    rnd, screening_item, assessment = _screening_objects(cast)
    threat_petition, warning = _threat_objects(cast)
    from xinfang.reports.services import report_request

    report = report_request(acting_user=office, kind="ledger")
    return {
        "report_id": report.pk,
        "round_id": rnd.pk,
        "item_id": screening_item.pk,
        "assessment_id": assessment.pk,
        "petition_id": threat_petition.pk,
        "index": 0,
        "warning_id": warning.pk,
        "meeting_id": meeting.pk,
        "task_id": task.pk,
        "reception_id": reception.pk,
        "alert_id": alert.pk,
        "case_id": case.pk,
        "milestone_id": milestone.pk,
        "notice_id": notice.pk,
        "attachment_id": attachment.pk,
        "village_id": cast["village1"].village_id,
        "action": "progress",
        "key_person_id": key_person.pk,
        "period_id": period.pk,
        "follow_up_id": follow_up.pk,
        # 考核问责: one item of one village's score
        "kind": "village",
        "unit_id": cast["village1"].village_id,
        "key": "overdue_cases",
    }


def _screening_objects(cast):
    """A screening round in which village1's grid worker reported an item, assessed at grid level."""
    from xinfang.screening.models import UnitReport
    from xinfang.screening.services import ItemIn, assessment_record, report_submit, round_create

    rnd = round_create(
        acting_user=cast["office"],
        name="模糊测试集中排查",
        start=dt.date(2026, 11, 2),
        end=dt.date(2099, 1, 1),
        due=dt.date(2099, 1, 1),
    )
    grid = cast["grid1"]
    report = UnitReport.objects.get(round=rnd, unit_kind="grid", grid_id=grid.grid_id)
    item_in = ItemIn(
        kind="dispute", title="宅基地纠纷", description="两户因宅基地界址争执。", risk_level="medium"
    )
    report_submit(acting_user=grid, report_id=report.pk, items=[item_in])
    found = rnd.items.get()
    assessment = assessment_record(
        acting_user=grid,
        item_id=found.pk,
        risk_level="medium",
        conclusion="矛盾可控",
        next_step="三日内入户调解",
        participants="网格员",
    )
    return rnd, found, assessment


def _threat_objects(cast):
    """A petition of village1 whose text threatens (a detected hit), and the red warning it raised."""
    from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
    from xinfang.warnings.models import Warning

    petition = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=dt.datetime(2026, 11, 3, 9, tzinfo=SHANGHAI),
            petitioner=PetitionerIn(name="吴某某", village=cast["village1"].village),
            title="补偿款未发放",
            content="补偿款再不发放，我就去北京上访。",
        ),
        acting_user=cast["office"],
    )
    return petition, Warning.objects.get(rule="threat", case=petition.case)


def _meeting_objects(cast, case):
    """A joint meeting that discussed `case`, with a follow-up task, and a reception day."""
    from xinfang.meetings.services import MeetingIn, TaskIn, meeting_create, reception_create

    office = cast["office"]
    leader = cast["leader1"].person
    meeting = meeting_create(
        acting_user=office,
        data=MeetingIn(
            kind="joint",
            held_on=dt.date(2026, 11, 20),
            place="镇会议室",
            case_ids=[case.pk],
            tasks=[TaskIn(what="入户走访", owner_id=leader.pk, due_on=dt.date(2099, 1, 1))],
        ),
    )
    reception = reception_create(
        acting_user=office, held_on=dt.date(2026, 11, 15), place="接待室", leader_id=leader.pk
    )
    return meeting, meeting.tasks.get(), reception


def _stability_objects(cast, case):
    """The petitioner of `case` a key person of village1 with keepers, a protection period from today,
    and a resolved case of village1 whose watch has its follow-ups."""
    from xinfang.attachments.services import attachment_add
    from xinfang.attachments.tests.files import pdf_bytes, upload
    from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
    from xinfang.cases.testing import accept_and_assign
    from xinfang.cases.transitions import case_act
    from xinfang.stability.models import FollowUp
    from xinfang.stability.services import key_person_create, period_create, watch_sync

    office = cast["office"]
    village = cast["village1"].village
    key_person = key_person_create(
        acting_user=office,
        petitioner_id=case.petitions.get().petitioners.get().pk,
        level="high",
        reasons="多次到县上访（模糊测试）",
        keepers=[cast["leader1"].person_id, village.party_head_id, cast["grid1"].person_id],
        case_id=case.pk,
    )
    today = timezone.localdate()
    period = period_create(
        acting_user=office,
        name="模糊测试保障期",
        start=today,
        end=today + dt.timedelta(days=7),
        level="county",
    )
    resolved = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=dt.datetime(2026, 11, 3, 9, tzinfo=SHANGHAI),
            petitioner=PetitionerIn(name="吴某某", phone="13912345679", village=village),
            title="宅基地纠纷",
            content="宅基地界址纠纷。",
        ),
        acting_user=office,
    ).case
    accept_and_assign(cast, resolved, override_reason="由联系该村的领导包案")
    attachment_add(
        case_id=resolved.pk,
        acting_user=office,
        file=upload("调解协议书.pdf", pdf_bytes()),
        kind="mediation_agreement",
    )
    case_act(
        action="resolve",
        case_id=resolved.pk,
        acting_user=office,
        data={"text": "签订调解协议", "signed_on": today.isoformat()},
    )
    case_act(action="verify", case_id=resolved.pk, acting_user=office, data={"approve": True})
    watch_sync()
    return key_person, period, FollowUp.objects.filter(watch__case=resolved).order_by("seq").first()


def _run(operation, strategy, examples: int, headers: dict) -> int:
    calls = 0

    @hypothesis_settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        nonlocal calls
        calls += 1
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
    return calls


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", _labels())
def test_every_operation_answers_within_its_schema(cast, town_objects, in_process_wsgi, role, label):
    operation = _schema().find_operation_by_label(label)
    assert operation is not None, label
    _, raw = ApiToken.issue(user=cast[role], name="schemathesis")
    headers = {"Authorization": f"Bearer {raw}"}
    path_names = {p.name for p in operation.path_parameters}
    strategies = {
        "positive": operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        "negative": operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    }
    if path_names:
        strategies["real objects"] = operation.as_strategy(
            path_parameters={name: town_objects[name] for name in path_names}
        )
    started = time.perf_counter()
    calls = {
        mode: _run(operation, strategy, EXAMPLES[mode], headers) for mode, strategy in strategies.items()
    }
    elapsed = time.perf_counter() - started
    print(f"\n{role:9} {label}: {sum(calls.values())} calls {calls} in {elapsed:.1f} s")
