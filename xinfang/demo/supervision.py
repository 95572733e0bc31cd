"""The demo town's 督查督办 and 考核问责: notices overdue, replied, waiting and closed, a supervision
visit and an accountability record, so that the pages and the ranking are full for a newcomer. Built
through the services as the team and the units would; the dates are then set back, as if the work
had been done over the last weeks. Run once."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xinfang.accounts.models import User
from xinfang.cases.models import Case
from xinfang.scoring.services import accountability_record
from xinfang.stability.models import KeyPerson
from xinfang.supervision.models import SupervisionNotice, SupervisionReply
from xinfang.supervision.services import notice_close, notice_issue, notice_reply, visit_record


def _back(notice, *, issued_days: int, due_days: int) -> None:
    now = timezone.now()
    SupervisionNotice.objects.filter(pk=notice.pk).update(
        issued_at=now - dt.timedelta(days=issued_days),
        reply_due=timezone.localdate() - dt.timedelta(days=due_days),
    )


def _replied(notice, *, days: int) -> None:
    at = timezone.now() - dt.timedelta(days=days)
    SupervisionReply.objects.filter(notice=notice).update(replied_at=at)
    SupervisionNotice.objects.filter(pk=notice.pk).update(first_reply_at=at)


@transaction.atomic
def supervision_demo(*, town, users: dict[str, User]) -> dict:
    if SupervisionNotice.objects.filter(town=town).exists():
        return {}
    team, village1, village2, dept1 = (
        users["supervisor"],
        users["village1"],
        users["village2"],
        users["dept1"],
    )
    today = timezone.localdate()
    week = today + dt.timedelta(days=7)
    in_hand = Case.objects.filter(town=town, ledger_from__isnull=False, resolution__in=["open", "stabilized"])
    case_v1 = in_hand.filter(village=village1.village).order_by("ledger_from", "id").first()
    case_d1 = (
        in_hand.filter(lead_department=dept1.department).exclude(pk=getattr(case_v1, "pk", None)).first()
    )
    key_person = KeyPerson.objects.filter(town=town, village=village2.village).first()

    overdue = notice_issue(
        acting_user=team,
        unit_kind="village",
        unit_id=village1.village_id,
        subject="case" if case_v1 else "theme",
        case_id=case_v1.pk if case_v1 else None,
        theme="突出问题化稳方案未按节点推进，积案久拖未决",
        requirements="请村（居）党组织负责人牵头，会同包案领导和牵头部门，于期限内书面报告化解进展、"
        "未按节点推进的原因及下一步措施。",
        reply_due=week,
    )
    _back(overdue, issued_days=12, due_days=5)

    replied = notice_issue(
        acting_user=team,
        unit_kind="department",
        unit_id=dept1.department_id,
        subject="case" if case_d1 else "theme",
        case_id=case_d1.pk if case_d1 else None,
        theme="处理意见未按期出具",
        requirements="请说明未按期出具处理意见的原因，落实责任人，限期出具并送达。",
        reply_due=week,
    )
    notice_reply(
        acting_user=dept1,
        notice_id=replied.pk,
        text="已召开专题会议，明确责任人，处理意见已于本周出具并送达信访人；下一步做好回访。",
    )
    _back(replied, issued_days=8, due_days=1)
    _replied(replied, days=3)

    waiting = notice_issue(
        acting_user=team,
        unit_kind="village",
        unit_id=village2.village_id,
        subject="key_person" if key_person else "theme",
        key_person_id=key_person.pk if key_person else None,
        theme="重点人员见面记录不全",
        requirements="请落实“一日三见面”，补齐见面记录，发现异常立即报告。",
        reply_due=today + dt.timedelta(days=5),
    )
    SupervisionNotice.objects.filter(pk=waiting.pk).update(issued_at=timezone.now() - dt.timedelta(days=2))

    closed = notice_issue(
        acting_user=team,
        unit_kind="department",
        unit_id=dept1.department_id,
        subject="theme",
        theme="排查台账未按期报送",
        requirements="请补报本轮排查台账（含零报告）。",
        reply_due=week,
    )
    notice_reply(
        acting_user=dept1, notice_id=closed.pk, text="已补报排查台账，本轮无新增矛盾纠纷（零报告）。"
    )
    notice_close(acting_user=team, notice_id=closed.pk, note="已补报到位，同意办结。")
    _back(closed, issued_days=20, due_days=13)
    _replied(closed, days=15)
    SupervisionNotice.objects.filter(pk=closed.pk).update(closed_at=timezone.now() - dt.timedelta(days=10))

    visit = visit_record(
        acting_user=team,
        day=today - dt.timedelta(days=6),
        village_ids=[village1.village_id],
        department_ids=[dept1.department_id],
        findings="抽查突出问题台账 6 件，化稳方案均已制定；2 件未按节点推进，见面记录有漏记。",
        problems="积案化解进度滞后，专班会议记录不规范。",
        notice_ids=[overdue.pk],
    )
    record = accountability_record(
        acting_user=team,
        unit_kind="village",
        unit_id=village1.village_id,
        person_name=village1.village.party_head.name,
        person_title="村（居）党组织负责人",
        reason="督办单逾期未回复，突出问题化稳方案未按节点推进。",
        measure="talk",
        day=today - dt.timedelta(days=1),
        case_ids=[case_v1.pk] if case_v1 else [],
        notice_ids=[overdue.pk],
    )
    return {"notices": 4, "visit": visit.pk, "accountability": record.pk}
