"""The warning rule of 督查督办: a notice not replied by its deadline (督办单逾期未回复) goes up to
the office (the escalation the plan asks for) and to the supervision team, and back to the unit
addressed; a week later it fires again, red."""

from django.urls import reverse
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.warnings.choices import Level
from xinfang.warnings.registry import Finding, rule

from .models import SupervisionNotice
from .selectors import overdue_q

RED_AFTER_DAYS = 7


@rule(
    "supervision_reply_overdue",
    "督办单逾期未回复",
    level=Level.ORANGE,
    roles=(Role.OFFICE, Role.SUPERVISOR, Role.VILLAGE, Role.DEPARTMENT),
    description=(
        f"督办单超过回复期限仍未回复：报联席办、督查专班并提醒被督办单位；逾期 {RED_AFTER_DAYS} 日升为红色。"
    ),
    red_after_days=RED_AFTER_DAYS,
)
def overdue_replies(town, now):
    today = timezone.localtime(now).date()
    found = (
        SupervisionNotice.objects.filter(overdue_q(today), town=town)
        .select_related("village", "department")
        .order_by("reply_due", "id")
    )
    for notice in found:
        late = notice.days_overdue(today)
        red = late >= RED_AFTER_DAYS
        yield Finding(
            subject=f"supervision_notice:{notice.pk}",
            state=f"overdue_{RED_AFTER_DAYS}d" if red else "overdue",
            level=Level.RED if red else Level.ORANGE,
            text=(
                f"督办单 {notice.number}（{notice.unit_name}）回复期限 {notice.reply_due:%Y-%m-%d}，"
                f"已逾期 {late} 日未回复：{notice.theme}"
            ),
            case_id=notice.case_id,
            key_person_id=notice.key_person_id,
            village_id=notice.village_id,
            department_id=notice.department_id,
            user_ids=(notice.issued_by_id,),
            url=reverse("supervision:notice", args=[notice.pk]),
        )
