"""Random histories for the property tests: petitions and steps drawn by a seeded generator and taken
through the services, day after day, as clerks would (refused steps are simply not taken)."""

import datetime as dt
import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xinfang.cases import transitions as t
from xinfang.cases.choices import CaseState
from xinfang.cases.models import Case
from xinfang.cases.testing import on
from xinfang.plans.services import plan_save, task_force_set
from xinfang.stability.choices import IncidentKind

from .town import assign, evidence, register

REFUSED = (
    t.TransitionRefused,
    t.TransitionInvalid,
    t.TransitionForbidden,
    ValidationError,
    PermissionDenied,
)
CHANNELS = ["visit", "visit", "letter", "phone", "online", "online"]
NAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"
# The statutory path moves on more often than the office marks or refuses.
WEIGHTS = {
    "accept": 8, "assign": 8, "reply": 6, "deliver": 6, "rate": 8, "verify": 5, "resolve": 2,
    "stabilize": 2, "close": 2, "review_answer": 2, "hearing_end": 3, "not_accept": 0.5,
    "mark_major": 0.2, "mark_prominent": 0.4, "hearing": 0.2, "to_legal": 0.3,
}  # fmt: skip


def _five_haves(cast, case: Case) -> None:
    village = cast["village1"].village
    task_force_set(
        case_id=case.pk, acting_user=cast["office"], members=[(village.contact_leader, "组长", True)]
    )
    plan_save(
        case_id=case.pk,
        acting_user=cast["office"],
        judgement="reasonable",
        measures="按政策解决",
        rebound_measures="每月回访",
    )


def _register(cast, rng: random.Random, cases: list, day: dt.date) -> None:
    if cases and rng.random() < 0.25:
        case = rng.choice(cases)
        first = case.petitions.order_by("pk").first().petitioners.first()
        register(
            cast,
            name=first.name,
            village_of="village1" if first.village_id == cast["village1"].village_id else "village2",
            channel=rng.choice(CHANNELS),
            case=case,
            skip_level=rng.choice(["", "", "", "", "county", "province"]),
        )
        return
    extra = {}
    roll = rng.random()
    if roll < 0.08:
        # An accusation naming leader1: hidden from leader1, confined from the villages.
        extra = {"kind": "accusation", "accused_persons": [cast["leader1"].person]}
    elif roll < 0.14:
        extra = {"kind": "accusation", "accused_villages": [cast["village2"].village]}
    name = rng.choice(NAMES) + rng.choice(["某", "某某", "甲", "乙"]) + str(rng.randrange(40))
    cases.append(
        register(
            cast,
            name=name,
            village_of=rng.choice(["village1", "village1", "village2"]),
            channel=rng.choice(CHANNELS),
            skip_level=rng.choice(["", "", "", "", "", "county", "city"]),
            persons_count=rng.choice([1, 1, 1, 1, 2, 6]),
            has_threat=rng.random() < 0.05,
            **extra,
        )
    )


def _step(cast, rng: random.Random, case: Case, day: dt.date) -> None:
    office = cast["office"]
    case.refresh_from_db()
    offered = t.actions_offered(case, office)
    if not offered:
        return
    action = rng.choices(offered, weights=[WEIGHTS.get(a, 1) for a in offered])[0]
    if action == "assign":
        assign(cast, case, accept=False, resolve_by=day + dt.timedelta(days=rng.randrange(20, 90)))
        return
    if action == "resolve":
        evidence(cast, case)
        _five_haves(cast, case)
    rating = ["satisfied", "satisfied", "basic", "dissatisfied"]
    data = {
        "reason": "理由",
        "text": "情况说明",
        "decision": "explain",
        "facts": "经核实",
        "basis": "依据",
        "days": 30,
        "approved_by": "镇长",
        "organ": "泰兴市人民法院",
        "office_rating": rng.choice(rating),
        "unit_rating": rng.choice(rating),
        "way": "post",
        "delivery_way": "post",
        "signed_on": day.isoformat(),
        "approve": rng.random() < 0.8,
    }
    if action == "reply" and rng.random() < 0.7:
        data["delivered_on"] = day.isoformat()
    t.case_act(action=action, case_id=case.pk, acting_user=office, data=data)


def _incident(cast, rng: random.Random, cases: list) -> None:
    from xinfang.stability.services import incident_record

    case = rng.choice(cases)
    incident_record(
        acting_user=cast["office"],
        kind=rng.choice(IncidentKind.values),
        occurred_at=timezone.now(),
        level_reached="county",
        case_ids=[case.pk],
        handling="已处置",
    )


def history(cast, seed: int, *, start=dt.date(2026, 3, 1), days=40, per_day=3, steps=6) -> list[Case]:
    """A random history of `days` days from `start`; returns the cases."""
    rng = random.Random(seed)
    cases: list[Case] = []
    for i in range(days):
        day = start + dt.timedelta(days=i)
        with on(day.isoformat()):
            for _ in range(rng.randint(0, per_day)):
                try:
                    _register(cast, rng, cases, day)
                except REFUSED:
                    pass
            for case in rng.sample(cases, k=min(len(cases), steps)):
                try:
                    _step(cast, rng, case, day)
                except REFUSED:
                    pass
            if cases and rng.random() < 0.15:
                _incident(cast, rng, cases)
    return cases


def open_cases(cases) -> int:
    return Case.objects.filter(pk__in=[c.pk for c in cases], state__in=[CaseState.REGISTERED]).count()
