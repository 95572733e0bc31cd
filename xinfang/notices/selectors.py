"""Reads of assignment notices, always through the scoping function."""

from django.db.models import Count, F, Q
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.core.scoping import get_scoped_or_404, scope

from .choices import NoticeTarget
from .models import AssignmentNotice


def notice_list(*, user):
    return scope(AssignmentNotice.objects.all(), user).select_related(
        "case", "village", "department", "acknowledged_by"
    )


def _own_unit(queryset, user):
    """A village clerk's and a department's inbox: the notices addressed to their own unit."""
    if user.role == Role.VILLAGE:
        return queryset.filter(target=NoticeTarget.VILLAGE, village_id=user.village_id)
    if user.role == Role.DEPARTMENT:
        return queryset.filter(target=NoticeTarget.DEPARTMENT, department_id=user.department_id)
    return queryset


_OPEN = Q(acknowledged_at__isnull=True, withdrawn_at__isnull=True)


def _overdue(now) -> Q:
    return _OPEN & Q(ack_due_at__lt=now)


def inbox(*, user, overdue: bool = False, pending: bool = False, now=None):
    """The notices the user receives (a village or department: their unit's), or for the office
    every notice of the town; pending first, the nearest deadline first, then the latest signed,
    withdrawn ones last.
    `overdue`: only the notices not acknowledged in time; `pending`: only those not yet acknowledged."""
    queryset = _own_unit(notice_list(user=user), user)
    if pending:
        queryset = queryset.filter(_OPEN)
    if overdue:
        queryset = queryset.filter(_overdue(now or timezone.now()))
    return queryset.order_by(
        F("withdrawn_at").asc(nulls_first=True),
        F("acknowledged_at").desc(nulls_first=True),
        "ack_due_at",
        "id",
    )


def notice_counts(*, user, now=None) -> dict[str, int]:
    """{"pending": not yet acknowledged, "overdue": of those, past their time}, in one query."""
    now = now or timezone.now()
    # Only the open notices are read (the partial index notice_open holds them: a few thousand of a
    # town's hundred thousand and more), then their cases for the scope.
    counts = (
        _own_unit(scope(AssignmentNotice.objects.filter(_OPEN), user), user)
        .order_by()
        .aggregate(pending=Count("pk"), overdue=Count("pk", filter=Q(ack_due_at__lt=now)))
    )
    return counts


def notices_for_case(*, user, case_id: int):
    return notice_list(user=user).filter(case_id=case_id).order_by("sent_at", "target", "id")


def notice_get(*, user, pk: int) -> AssignmentNotice:
    queryset = AssignmentNotice.objects.select_related(
        "case__town", "case__lead_leader", "case__lead_department", "village", "department", "acknowledged_by"
    )
    return get_scoped_or_404(queryset, user, pk=pk)
