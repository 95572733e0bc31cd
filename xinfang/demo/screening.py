"""The demo town's 排查 and 研判: a finished campaign round (zero reports, items, one unit missing),
items converted in one step, the current rolling round half reported, and a chain of assessments
escalated from a grid to the town. Built through the screening services; run once."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xinfang.accounts.models import User
from xinfang.cases.services import id_number_problem
from xinfang.org.models import Category, Department, Village
from xinfang.screening import rules, services
from xinfang.screening.models import ScreeningItem, ScreeningRound, UnitReport


def _id_number(body17: str) -> str:
    """A demo ID number whose check digit is right (the ledger refuses any other)."""
    return next(body17 + c for c in "0123456789X" if not id_number_problem(body17 + c))


def _backdate(report: UnitReport, when: dt.datetime) -> None:
    # Reported in time, on the round's days (the services stamp "now").
    UnitReport.objects.filter(pk=report.pk).update(submitted_at=when)


@transaction.atomic
def screening_demo(*, town, users: dict[str, User]) -> dict:
    if ScreeningRound.objects.filter(town=town).exists():
        return {}
    office, village1, grid1, dept1 = users["office"], users["village1"], users["grid1"], users["dept1"]
    today = timezone.localdate()
    start = today - dt.timedelta(days=21)
    rnd = services.round_create(
        acting_user=office,
        name=f"{start.year} 年矛盾纠纷风险隐患集中排查",
        kind="campaign",
        start=start,
        end=start + dt.timedelta(days=9),
        due=start + dt.timedelta(days=10),
        note="聚焦重点领域、重点群体、重点问题、重点人员，一件不漏、清仓见底",
    )
    in_time = timezone.make_aware(dt.datetime.combine(start + dt.timedelta(days=8), dt.time(16, 30)))
    villages = list(Village.objects.filter(town=town).order_by("order", "id"))
    land = Category.objects.filter(town=town).order_by("order", "id").first()
    v1, v2 = villages[0], villages[1]
    person = _id_number("32128319650315003")

    def report(user, **kw):
        rep = UnitReport.objects.get(
            round=rnd,
            **(
                {"unit_kind": "grid", "grid_id": user.grid_id}
                if user.role == "grid"
                else {"unit_kind": "village", "village_id": user.village_id}
                if user.role == "village"
                else {"unit_kind": "department", "department_id": user.department_id}
            ),
        )
        services.report_submit(acting_user=user, report_id=rep.pk, **kw)
        _backdate(rep, in_time)
        return rep

    report(
        village1,
        items=[
            services.ItemIn(
                kind="dispute",
                title="土地流转费拖欠",
                description="三组 12 户反映 2025 年度土地流转费未按时支付，曾到村委会聚集。",
                risk_level="medium",
                category_id=land.pk if land else None,
                department_id=dept1.department_id,
                person_name="钱某某",
                person_id_number=person,
                persons_count=12,
            ),
            services.ItemIn(
                kind="hazard",
                title="老旧危房安置",
                description="两户居住危房，安置方案未谈妥，雨季存在安全隐患。",
                risk_level="low",
            ),
        ],
    )
    report(
        grid1,
        items=[
            services.ItemIn(
                kind="movement",
                title="信访人近期频繁外出",
                description="网格内信访人孙某某近一周三次外出，自称去县城办事，情绪不稳。",
                risk_level="high",
                person_name="孙某某",
                person_id_number=_id_number("32128319720808004"),
            )
        ],
    )
    report(
        dept1,
        items=[
            services.ItemIn(
                kind="dispute",
                title="土地流转费拖欠（条线排查）",
                description=f"{v1.name}流转费拖欠涉及 15 户，部分农户表示要到县里反映。",
                risk_level="high",
                village_id=v1.pk,
                category_id=land.pk if land else None,
                person_name="李某某",
            ),
            services.ItemIn(
                kind="hazard",
                title="养殖场污染隐患",
                description=f"{v2.name}一处养殖场废水外排，周边村民有意见。",
                risk_level="medium",
                village_id=v2.pk,
            ),
        ],
    )
    # Everyone else reports zero, except one village: the missing unit.
    zero_users = {
        "village": {u.village_id: u for u in User.objects.filter(town=town, role="village")},
        "grid": {u.grid_id: u for u in User.objects.filter(town=town, role="grid")},
        "department": {u.department_id: u for u in User.objects.filter(town=town, role="department")},
    }
    missing = villages[-1]
    for rep in UnitReport.objects.filter(round=rnd, submitted_at=None).select_related("village", "grid"):
        if rep.unit_kind == "village" and rep.village_id == missing.pk:
            continue
        # Units without a demo account: their zero report as a clerk of the unit would send it.
        UnitReport.objects.filter(pk=rep.pk).update(
            submitted_at=in_time - dt.timedelta(hours=rep.pk % 40),
            is_zero=True,
            statement=rules.config(town)["zero_statement"],
            reporter=zero_users.get(rep.unit_kind, {}).get(
                rep.village_id or rep.grid_id or rep.department_id
            ),
        )

    dispute, hazard = ScreeningItem.objects.filter(round=rnd, report__unit_kind="village").order_by("id")[:2]
    services.item_to_case(acting_user=office, item_id=dispute.pk)
    services.item_close(
        acting_user=office, item_id=hazard.pk, reason="已纳入危房改造计划，由村委会落实过渡安置"
    )

    movement = ScreeningItem.objects.get(round=rnd, report__unit_kind="grid")
    held = today - dt.timedelta(days=3)
    details = {
        "conclusion": "情绪不稳，有进京苗头",
        "next_step": "网格员每日见面，报村研判",
        "participants": "网格员、村民小组长",
    }
    grid_a = services.assessment_record(
        acting_user=grid1, item_id=movement.pk, risk_level="high", held_on=held, **details
    )
    village_a = services.assessment_escalate(
        acting_user=grid1, assessment_id=grid_a.pk, reason="有越级上访苗头"
    )
    services.assessment_complete(
        acting_user=village1,
        assessment_id=village_a.pk,
        risk_level="high",
        conclusion="诉求涉及征地补偿，村级无法解决",
        next_step="提请条线研判，明确政策口径",
        participants="村党总支书记、村委会主任、网格员",
        held_on=held,
    )
    line = services.assessment_escalate(
        acting_user=village1,
        assessment_id=village_a.pk,
        reason="涉及征地补偿政策",
        department_id=dept1.department_id or Department.objects.filter(town=town).first().pk,
    )

    rolling = services.rolling_round_ensure(town=town, today=today)
    if rolling is not None and rolling.start <= today:
        services.report_submit(
            acting_user=village1,
            report_id=UnitReport.objects.get(
                round=rolling, unit_kind="village", village_id=village1.village_id
            ).pk,
            zero=True,
        )
    return {"rounds": ScreeningRound.objects.filter(town=town).count(), "pending": line.get_level_display()}
