"""A small history of the demo town with every metric's value worked out by hand (test_fixture.py),
built only through the services a clerk's clicks call."""

import datetime as dt

from django.utils import timezone

from xinfang.attachments.models import Attachment
from xinfang.cases import transitions as t
from xinfang.cases.models import Case
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.testing import accept_and_assign, on
from xinfang.org.models import Category

REPLY = {"decision": "explain", "facts": "经核实，已按政策答复", "basis": "《信访工作条例》第三十二条"}


def register(cast, *, name, village_of="village1", channel="visit", case=None, **extra) -> Case:
    """One petition received now (under `on(...)`), on `case` when given (a repeat)."""
    return petition_register(
        data=PetitionIn(
            channel=channel,
            received_at=timezone.now(),
            petitioner=PetitionerIn(name=name, village=cast[village_of].village),
            title=f"{name}反映问题",
            content="要求解决。",
            category=Category.objects.filter(lead=cast["dept1"].department).first(),
            case_id=case.pk if case else None,
            **extra,
        ),
        acting_user=cast["office"],
    ).case


def assign(cast, case, **extra):
    return accept_and_assign(cast, case, override_reason="联席会议确定", **extra)


def reply(cast, case, day: dt.date):
    return t.case_reply(
        case_id=case.pk, acting_user=cast["office"], **REPLY, delivered_on=day, delivery_way="post"
    )


def rate(cast, case, office: str, unit: str):
    reason = "对答复不满意" if "dissatisfied" in (office, unit) else ""
    return t.case_rate(
        case_id=case.pk, acting_user=cast["office"], office_rating=office, unit_rating=unit, reason=reason
    )


def evidence(cast, case):
    """A mediation agreement on file (the row the check reads; the file itself plays no part here)."""
    Attachment.objects.create(
        case=case,
        kind="mediation_agreement",
        name="调解协议书.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        path="x/none.pdf",
        uploaded_by=cast["office"],
    )


def resolve(cast, case, signed: dt.date):
    evidence(cast, case)
    t.case_resolve(
        case_id=case.pk, acting_user=cast["office"], text="签订调解协议，息诉罢访", signed_on=signed
    )
    return t.case_verify(case_id=case.pk, acting_user=cast["office"], approve=True)


def build(cast) -> dict:
    """The history of test_fixture.py; returns the cases and key persons by letter."""
    from xinfang.stability.services import incident_record, key_person_create, period_create, stay_confirm

    x = {}
    # Last year (2025): three prominent cases, left registered.
    with on("2025-03-01"):
        x["F"] = register(cast, name="己某", skip_level="city")
    with on("2025-04-01"):
        x["G"] = register(cast, name="集体甲", persons_count=6)
    with on("2025-05-01"):
        x["H"] = register(cast, name="扬言甲", has_threat=True)
    # This year.
    with on("2026-01-05"):
        x["A"] = register(cast, name="甲某")
    with on("2026-01-06"):
        assign(cast, x["A"])
    with on("2026-02-10"):
        reply(cast, x["A"], dt.date(2026, 2, 10))
    with on("2026-02-15"):
        rate(cast, x["A"], "satisfied", "basic")
    with on("2026-02-01"):
        x["B"] = register(cast, name="乙某", channel="online", skip_level="county")
    with on("2026-03-05"):
        assign(cast, x["B"])
    with on("2026-03-10"):
        register(cast, name="乙某", channel="online", case=x["B"])
    with on("2026-03-15"):
        t.case_stabilize(case_id=x["B"].pk, acting_user=cast["office"], text="专班每周走访，情绪稳定")
    with on("2026-03-02"):
        x["C"] = register(cast, name="丙某", channel="letter")
    with on("2026-03-03"):
        assign(cast, x["C"])
    with on("2026-03-20"):
        reply(cast, x["C"], dt.date(2026, 3, 20))
    with on("2026-03-25"):
        rate(cast, x["C"], "dissatisfied", "satisfied")
    with on("2026-04-01"):
        resolve(cast, x["C"], dt.date(2026, 3, 31))
    with on("2026-04-01"):
        x["E"] = register(cast, name="戊某", village_of="village2")
    with on("2026-04-05"):
        t.case_not_accept(case_id=x["E"].pk, acting_user=cast["office"], reason="不属于信访事项")
    with on("2026-04-20"):
        x["I"] = register(cast, name="庚某")
        assign(cast, x["I"])
    with on("2026-05-01"):
        reply(cast, x["I"], dt.date(2026, 5, 1))
    with on("2026-05-20"):
        x["D"] = register(cast, name="丁某", persons_count=6)
    keepers = [cast["leader1"].person.pk, cast["village1"].village.party_head.pk, cast["grid1"].person.pk]
    with on("2026-04-08"):
        for letter, case in (("K", x["B"]), ("K2", x["C"])):
            x[letter] = key_person_create(
                acting_user=cast["office"],
                petitioner_id=case.petitions.order_by("pk").first().petitioners.get().pk,
                level="medium",
                reasons="多次上访",
                keepers=keepers,
                case_id=case.pk,
            )
    with on("2026-04-10"):
        incident_record(
            acting_user=cast["office"],
            kind="extreme",
            occurred_at=timezone.now(),
            level_reached="town",
            key_person_ids=[x["K"].pk],
            case_ids=[x["B"].pk],
            handling="当场劝离",
        )
    with on("2026-06-01"):
        period = period_create(
            acting_user=cast["office"],
            name="端午",
            start="2026-06-10",
            end="2026-06-12",
            level="county",
            key_person_ids=[x["K2"].pk],
        )
    with on("2026-06-05"):
        stay_confirm(
            period_id=period.pk,
            key_person_id=x["K2"].pk,
            acting_user=cast["leader1"],
            in_place=False,
            note="外出务工，已电话联系",
        )
    return x
