import datetime as dt

import pytest
from django.utils import timezone

from xinfang.cases.choices import CaseEventType, Resolution
from xinfang.cases.models import Case, CaseEvent
from xinfang.stability.models import Incident
from xinfang.stability.tests.conftest import SHANGHAI, at, register  # noqa: F401
from xinfang.supervision.services import notice_issue, notice_reply


@pytest.fixture(autouse=True)
def storage(tmp_path, settings):
    settings.XINFANG_ATTACHMENT_DIR = tmp_path


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def november(cast):
    """A hand-built November 2026 for village1's village (V1), village2's (V2) and dept1's line (D1):

    case A (V1, D1): handling limit 11-10 missed (no opinion); on the ledger since 11-01, open;
                      rebounded 11-25; in a 五不 incident on 11-12 (V1)
    case B (V1, D1): on the ledger since 10-01, resolved 11-20; rated 满意 11-15
    case C (V1, no line): rated 基本满意 11-18
    case D (V2, no line): rated 不满意 11-03
    notice to V1, due 11-09, never replied; notice to V2, due 11-09, replied 11-06
    and things outside the month or the town that must not count.
    """
    v1, v2, d1 = cast["village1"].village, cast["village2"].village, cast["dept1"].department
    # The town level's own assessments count against no unit: the screening tests below set levels.
    town = v1.town
    town.screening = {**(town.screening or {}), "assessment_levels": ["town"]}
    town.save(update_fields=["screening"])
    with at("2026-10-01 09:00"):
        a = register(cast, name="甲某某").case
        b = register(cast, name="乙某某").case
        c = register(cast, name="丙某某").case
        d = register(cast, name="丁某某", village_of="village2").case
        e = register(cast, name="戊某某").case
    blank = {
        "handling_due": None,
        "replied_on": None,
        "resolve_by": None,
        "ledger_from": None,
        "resolution": Resolution.OPEN,
        "unit_rating": "",
        "rated_on": None,
        "lead_department": None,
        "lead_leader": None,
    }
    Case.objects.filter(pk__in=[a.pk, b.pk, c.pk, d.pk, e.pk]).update(**blank)
    Case.objects.filter(pk=a.pk).update(
        village=v1, lead_department=d1, handling_due=dt.date(2026, 11, 10), ledger_from=dt.date(2026, 11, 1)
    )
    Case.objects.filter(pk=b.pk).update(
        village=v1,
        lead_department=d1,
        ledger_from=dt.date(2026, 10, 1),
        resolution=Resolution.RESOLVED,
        resolved_on=dt.date(2026, 11, 20),
        unit_rating="satisfied",
        rated_on=dt.date(2026, 11, 15),
        handling_due=dt.date(2026, 11, 5),
        replied_on=dt.date(2026, 11, 4),  # on time: not overdue
    )
    Case.objects.filter(pk=c.pk).update(village=v1, unit_rating="basic", rated_on=dt.date(2026, 11, 18))
    Case.objects.filter(pk=d.pk).update(village=v2, unit_rating="dissatisfied", rated_on=dt.date(2026, 11, 3))
    # outside the month: a limit missed in October, a rating in December
    Case.objects.filter(pk=e.pk).update(
        village=v1,
        handling_due=dt.date(2026, 10, 20),
        unit_rating="dissatisfied",
        rated_on=dt.date(2026, 12, 1),
    )
    CaseEvent.objects.create(case=a, kind=CaseEventType.REBOUND, at=_moment("2026-11-25 10:00"), data={})
    CaseEvent.objects.create(case=b, kind=CaseEventType.REBOUND, at=_moment("2026-10-31 23:00"), data={})
    incident = Incident.objects.create(
        town=v1.town,
        kind="beijing_individual",
        occurred_at=_moment("2026-11-12 08:00"),
        village=v1,
        level_reached="national",
        persons_count=1,
    )
    incident.cases.set([a])
    with at("2026-11-02 10:00"):
        late = notice_issue(
            acting_user=cast["supervisor"],
            unit_kind="village",
            unit_id=v1.pk,
            subject="case",
            case_id=a.pk,
            theme="积案未化解",
            requirements="请报告化解进展。",
            reply_due=dt.date(2026, 11, 9),
        )
        on_time = notice_issue(
            acting_user=cast["supervisor"],
            unit_kind="village",
            unit_id=v2.pk,
            subject="theme",
            theme="排查台账不全",
            requirements="请补齐台账。",
            reply_due=dt.date(2026, 11, 9),
        )
    with at("2026-11-06 10:00"):
        notice_reply(acting_user=cast["village2"], notice_id=on_time.pk, text="已补齐")
    return {
        "a": a,
        "b": b,
        "c": c,
        "d": d,
        "e": e,
        "v1": v1,
        "v2": v2,
        "d1": d1,
        "late": late,
        "now": timezone.now,
    }
