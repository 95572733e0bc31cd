"""The warning rule of the meeting cadences (会议频次): a period that ended with fewer meetings than
required (red), and a period nearly over and still short (yellow). The engine (xinfang.warnings)
stores what is new and sends it; this only says what it finds."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.accounts.models import User
from xinfang.warnings.choices import Level
from xinfang.warnings.registry import Finding, rule

from .selectors import cadence_rows

# A period that ended this many days ago or less is reported (the scan runs daily; older shortfalls
# were reported when they ended).
ENDED_WITHIN_DAYS = 35
# A period that ends within this many days and is still short gets a yellow warning.
NEARLY_OVER_DAYS = 7


def _who(row) -> str:
    return f"{row['leader_name']}（包案领导）" if row["leader_id"] else "镇"


@rule(
    "meeting_cadence_missed",
    "会议频次不足",
    level=Level.RED,
    roles=(Role.OFFICE,),
    description="工作专班会议（各包案领导每月）、联席会议（每月）、向党委会报告（每季度）少于规定次数："
    "期末未达到为红色；期末前 7 天仍不足为黄色。",
    ended_within_days=ENDED_WITHIN_DAYS,
    nearly_over_days=NEARLY_OVER_DAYS,
)
def cadence_missed(town, now: dt.datetime):
    today = timezone.localtime(now).date() if timezone.is_aware(now) else now.date()
    rows = cadence_rows(town, today - dt.timedelta(days=ENDED_WITHIN_DAYS), today, today=today)
    leaders = {r["leader_id"] for r in rows if r["leader_id"] and r["short"]}
    users: dict[int, list[int]] = {}
    for user_id, person_id in User.objects.filter(
        person_id__in=leaders, is_active=True, role=Role.LEADER
    ).values_list("pk", "person_id"):
        users.setdefault(person_id, []).append(user_id)
    for r in rows:
        if not r["short"]:
            continue
        days_left = (r["period_end"] - today).days
        if r["ended"]:
            if (today - r["period_end"]).days > ENDED_WITHIN_DAYS:
                continue
            state, level = "missed", Level.RED
            text = (
                f"{r['label']}{_who(r)}{r['name']}召开 {r['held']} 次，"
                f"少于规定的 {r['required']} 次，请说明原因并及时补开。"
            )
        elif days_left < NEARLY_OVER_DAYS:
            state, level = "nearly", Level.YELLOW
            text = (
                f"{r['label']}还剩 {days_left + 1} 天，{_who(r)}{r['name']}已召开 {r['held']} 次，"
                f"规定至少 {r['required']} 次，请抓紧安排。"
            )
        else:
            continue
        start = r["period_start"]
        yield Finding(
            subject=f"cadence:{r['code']}:{r['leader_id'] or 'town'}:{start.isoformat()}",
            state=state,
            text=text,
            level=level,
            user_ids=tuple(users.get(r["leader_id"], ())),
            url=f"{reverse('meetings:cadence')}?year={start.year}&month={start.month}",
        )
