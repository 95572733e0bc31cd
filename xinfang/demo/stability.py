"""The demo town's 稳控: key persons with their task forces, a protection period in progress, today's
contacts (some short, one lost), incidents and follow-ups, so that each page is full for a newcomer.
Built through the stability services, as the office and the grid workers would; run once."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from xinfang.accounts.models import User
from xinfang.cases.models import Case, Petitioner
from xinfang.org.models import Department, Grid, Village
from xinfang.stability.models import FollowUp, KeyPerson
from xinfang.stability.services import (
    contact_log,
    daily_report,
    incident_record,
    key_person_create,
    period_create,
    stay_confirm,
    watch_sync,
)

REASONS = [
    "多次到县信访局上访，扬言进京",
    "宅基地纠纷久拖未决，情绪激动",
    "拆迁补偿诉求未满足，组织他人聚集",
    "涉法涉诉，对判决不服，多次缠访",
    "拖欠工资问题，曾在网上发帖",
]
GROUPS = ["东片拆迁安置户", "", "", "原村办企业职工", ""]


def _moment_today(hours_ago: float) -> dt.datetime:
    """A moment earlier today (never before 00:05, never in the future)."""
    now = timezone.now()
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(0, 5)))
    return max(now - dt.timedelta(hours=hours_ago), start)


@transaction.atomic
def stability_demo(*, town, users: dict[str, User], seed: int = 7) -> dict:
    if KeyPerson.objects.filter(town=town).exists():
        return {}
    rng = random.Random(seed)
    office, grid1, village1 = users["office"], users["grid1"], users["village1"]
    police = Department.objects.filter(town=town, code="paichusuo").select_related("head").first()
    villages = list(Village.objects.filter(town=town).order_by("order", "id")[:6])
    made = []
    for v_index, village in enumerate(villages):
        per_village = 4 if v_index == 0 else 2
        grid = grid1.grid if village.pk == grid1.village_id else Grid.objects.filter(village=village).first()
        petitioners = list(
            Petitioner.objects.filter(town=town, village=village, key_persons__isnull=True)
            .exclude(id_number="")
            .order_by("id")[:per_village]
        )
        for i, petitioner in enumerate(petitioners):
            case = Case.objects.filter(petitions__petitioners=petitioner).order_by("-id").first()
            keepers = (
                [] if (v_index, i) == (1, 1) else [village.contact_leader, village.party_head, grid.worker]
            )
            if keepers and police and police.head and i == 0:
                keepers.append(police.head)
            n = len(made)
            made.append(
                key_person_create(
                    acting_user=office,
                    petitioner_id=petitioner.pk,
                    level=["high", "medium", "high", "low"][i % 4],
                    reasons=REASONS[n % len(REASONS)],
                    keepers=[p.pk for p in keepers],
                    case_id=case.pk if case else None,
                    group=GROUPS[n % len(GROUPS)],
                    measures="包保领导每周走访，网格员每日见面，落实专项救助",
                )
            )
    today = timezone.localdate()
    # In force from today; 零滞留 confirmed for all but one (it may be confirmed up to the first day).
    period = period_create(
        acting_user=office,
        name="全省重大活动保障期",
        start=today,
        end=today + dt.timedelta(days=4),
        level="province",
    )
    for kp in made[:-1]:
        who = grid1 if kp.grid_id == grid1.grid_id else office
        stay_confirm(period_id=period.pk, key_person_id=kp.pk, acting_user=who)
    # Today's contacts: grid1's first key person met three times, the next once, one found lost.
    for kp in made:
        times = 3 if kp is made[0] else rng.choice([0, 1, 2, 3])
        if kp is made[1]:
            times = 1
        who = grid1 if kp.village_id == grid1.village_id and kp.grid_id == grid1.grid_id else office
        for t in range(times):
            contact_log(
                key_person_id=kp.pk,
                acting_user=who,
                at=_moment_today(9 - 3 * t),
                way=["in_person", "phone", "video"][t % 3],
                found="home",
                place="家中" if t == 0 else "",
                note="情绪平稳" if t == 0 else "",
            )
    lost = made[4] if len(made) > 4 else made[-1]
    contact_log(
        key_person_id=lost.pk,
        acting_user=office,
        at=_moment_today(1),
        way="phone",
        found="lost",
        note="电话关机，家人称一早外出，去向不明",
    )
    daily_report(period_id=period.pk, acting_user=village1, all_quiet=True)
    incident_record(
        acting_user=office,
        kind="province_individual",
        occurred_at=timezone.now() - dt.timedelta(days=20),
        level_reached="province",
        place="省信访局",
        key_person_ids=[made[2].pk],
        handling="镇村干部当日赴省接返，落实稳控措施",
    )
    incident_record(
        acting_user=office,
        kind="kp_write",
        occurred_at=timezone.now() - dt.timedelta(days=6),
        level_reached="county",
        place="网络论坛",
        key_person_ids=[made[-2].pk],
        handling="联系发帖人说明政策，帖子已自行删除",
    )
    watch_sync()
    # Some of the due follow-ups were done; the rest wait in the list.
    due = list(FollowUp.objects.filter(watch__town=town, due_on__lte=today).order_by("due_on")[:40])
    for follow_up in due[: len(due) * 2 // 3]:
        FollowUp.objects.filter(pk=follow_up.pk).update(
            done_on=follow_up.due_on, state="stable", note="信访人情绪稳定，无信访意向", done_by=office
        )
    return {"key_persons": len(made), "period": period.name}
