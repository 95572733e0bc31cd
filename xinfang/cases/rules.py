"""The rules of a case that are pure functions of its fields and the day: which deadline matters now,
whether it is prominent, how its rating stands. Services call them on every write; lists call the
query forms."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from .choices import OPEN_STATES, CaseState, ProminentRule, Rating, RatingStatus

# Stages whose clock is the handling limit (60 days, + extension, + hearing pauses).
HANDLING_STATES = frozenset(
    {CaseState.ASSIGNED, CaseState.HANDLING, CaseState.EXTENDED, CaseState.STABILIZED}
)


def current_due(case) -> dt.date | None:
    """The deadline the case is watched against in its present state."""
    state = case.state
    if state == CaseState.REGISTERED:
        return case.notify_due
    if state == CaseState.ACCEPTED:
        return case.route_due
    if state in HANDLING_STATES:
        return case.handling_due
    if state == CaseState.REPLIED:
        return case.rating_due
    if state == CaseState.RATED:
        return case.review_request_due
    if state in (CaseState.REVIEW, CaseState.RE_REVIEW):
        return case.review_due
    return None


def prominent_stored(case, town) -> bool:
    """The prominent rules that do not depend on the day; a backlog is added at query time."""
    rules = set(town.prominent_rules or [])
    return bool(
        case.prominent_marked
        or (ProminentRule.REPEAT in rules and case.repeat_count >= town.prominent_repeat_min)
        or (ProminentRule.COLLECTIVE in rules and case.is_collective)
        or (ProminentRule.SKIP_LEVEL in rules and case.skip_level)
        or (ProminentRule.THREAT in rules and case.has_threat)
        or case.rebound
    )


def ledger_from(case, town) -> dt.date | None:
    """The day from which the case is on the prominent ledger, whatever day it is now."""
    if prominent_stored(case, town):
        return timezone.localtime(case.received_at).date()
    if (
        ProminentRule.BACKLOG in (town.prominent_rules or [])
        and case.handling_due
        and case.replied_on is None
        and case.state in OPEN_STATES - {CaseState.VERIFYING}
    ):
        return case.handling_due + dt.timedelta(days=1)
    return None


def is_backlog(case, today: dt.date) -> bool:
    """积案: still open past its handling limit."""
    return bool(
        case.state in OPEN_STATES
        and case.state != CaseState.VERIFYING
        and case.handling_due
        and case.handling_due < today
        and case.replied_on is None
    )


def backlog_q(today: dt.date) -> Q:
    return Q(state__in=OPEN_STATES - {CaseState.VERIFYING}, handling_due__lt=today, replied_on__isnull=True)


def prominent_q(today: dt.date) -> Q:
    return Q(ledger_from__lte=today)


def on_ledger(case, today: dt.date) -> bool:
    """Prominent today: `ledger_from` is set whenever a day-independent rule applies, and to the day
    after the handling limit for a backlog."""
    return case.ledger_from is not None and case.ledger_from <= today


def prominent_reasons(case, town, today: dt.date) -> list[str]:
    """Why a case is on the ledger, in the words of the plan."""
    rules = set(town.prominent_rules or [])
    reasons = []
    if case.prominent_marked:
        reasons.append(f"联席办列入：{case.prominent_note}" if case.prominent_note else "联席办列入")
    if ProminentRule.REPEAT in rules and case.repeat_count >= town.prominent_repeat_min:
        reasons.append(f"重复信访 {case.repeat_count} 次")
    if ProminentRule.COLLECTIVE in rules and case.is_collective:
        reasons.append("集体访")
    if ProminentRule.SKIP_LEVEL in rules and case.skip_level:
        reasons.append(f"越级到{case.get_skip_level_display()}")
    if ProminentRule.THREAT in rules and case.has_threat:
        reasons.append("扬言")
    if case.rebound:
        reasons.append("化解后反弹")
    if ProminentRule.BACKLOG in rules and is_backlog(case, today):
        reasons.append("积案（超过办理期限）")
    return reasons


def rating_status(case, today: dt.date) -> str:
    if case.office_rating or case.unit_rating:
        return RatingStatus.RATED
    if case.replied_on is None:
        return RatingStatus.NONE
    if case.rating_due and today > case.rating_due:
        return RatingStatus.OVERDUE
    return RatingStatus.PENDING


def satisfied(rating: str, *, basic_counts: bool) -> bool:
    return rating == Rating.SATISFIED or (basic_counts and rating == Rating.BASIC)
