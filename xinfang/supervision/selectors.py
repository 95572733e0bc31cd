"""What the supervision pages and the API read, scoped to the reader."""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from xinfang.core.scoping import get_scoped_or_404, scope
from xinfang.org.models import Department, Village
from xinfang.stability.models import KeyPerson

from .choices import NoticeStatus
from .models import SupervisionNotice, SupervisionReply, SupervisionVisit

_RELATED = ("town", "village", "department", "case", "key_person__petitioner", "issued_by", "closed_by")


def overdue_q(today: dt.date) -> Q:
    return Q(status=NoticeStatus.ISSUED, reply_due__lt=today)


def status_q(status: str, today: dt.date) -> Q | None:
    """The list filter by the status as shown (overdue is an issued notice past its deadline)."""
    if status == NoticeStatus.OVERDUE:
        return overdue_q(today)
    if status == NoticeStatus.ISSUED:
        return Q(status=NoticeStatus.ISSUED, reply_due__gte=today)
    if status in (NoticeStatus.REPLIED, NoticeStatus.CLOSED):
        return Q(status=status)
    return None


def notices(*, user, today: dt.date, status: str = "") -> QuerySet:
    found = scope(SupervisionNotice.objects.all(), user).select_related(*_RELATED)
    if (q := status_q(status, today)) is not None:
        found = found.filter(q)
    return found.order_by("-issued_at", "-id")


def notice_counts(*, user, today: dt.date) -> dict[str, int]:
    found = scope(SupervisionNotice.objects.all(), user)
    return found.aggregate(
        all=Count("pk"),
        issued=Count("pk", filter=status_q(NoticeStatus.ISSUED, today)),
        overdue=Count("pk", filter=overdue_q(today)),
        replied=Count("pk", filter=Q(status=NoticeStatus.REPLIED)),
        closed=Count("pk", filter=Q(status=NoticeStatus.CLOSED)),
    )


def notice_get(*, user, pk: int) -> SupervisionNotice:
    queryset = SupervisionNotice.objects.select_related(*_RELATED).prefetch_related(
        Prefetch("replies", queryset=SupervisionReply.objects.select_related("replied_by")),
        Prefetch("visits", queryset=SupervisionVisit.objects.order_by("-day")),
    )
    return get_scoped_or_404(queryset, user, pk=pk)


def visits(*, user) -> QuerySet:
    return (
        scope(SupervisionVisit.objects.all(), user)
        .select_related("recorded_by")
        .prefetch_related("villages", "departments", "notices")
        .order_by("-day", "-id")
    )


def form_choices(*, user) -> dict:
    """The units, key persons and notices the team picks from."""
    return {
        "villages": list(scope(Village.objects.all(), user).order_by("order", "id")),
        "departments": list(scope(Department.objects.all(), user).order_by("order", "id")),
        "key_persons": list(
            scope(KeyPerson.objects.exclude(status="revoked"), user)
            .select_related("petitioner", "village")
            .order_by("village__order", "id")
        ),
        "notices": list(
            scope(SupervisionNotice.objects.all(), user).select_related("village", "department")[:200]
        ),
    }
