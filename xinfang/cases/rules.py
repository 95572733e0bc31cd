"""The rules of a case that are pure functions of its fields and the day: which deadline matters now,
whether it is prominent, how its rating stands. Services call them on every write; lists call the
query forms."""

import datetime as dt

from django.db.models import F, Q
from django.utils import timezone

from .choices import (
    CONCLUDED_STATES,
    OPEN_STATES,
    UNRESOLVED,
    CaseState,
    ProminentRule,
    Rating,
    RatingStatus,
)

# Stages whose clock is the handling limit (60 days, + extension, + hearing pauses).
HANDLING_STATES = frozenset({CaseState.ASSIGNED, CaseState.HANDLING, CaseState.EXTENDED})


def statutory_due(case) -> dt.date | None:
    """The statutory deadline of the present stage, if it has one."""
    state = case.state
    if state == CaseState.REGISTERED:
        return case.notify_due
    if state == CaseState.ACCEPTED:
        return case.route_due
    if state in HANDLING_STATES:
        return case.handling_due
    if state == CaseState.REPLIED:
        return case.rating_due  # None until the opinion is delivered
    if state == CaseState.RATED:
        return case.review_request_due
    if state in (CaseState.REVIEW, CaseState.RE_REVIEW):
        return case.review_due
    return None


def current_due(case) -> dt.date | None:
    """The deadline the case is watched against now: the statutory one while that track runs, then,
    for a prominent case not yet resolved, its resolve-by date (解决时限)."""
    due = statutory_due(case)
    if due is None and case.ledger_from is not None and case.resolution in UNRESOLVED:
        return case.resolve_by
    return due


def awaiting_delivery(case) -> bool:
    """An opinion is out but the petitioner has not yet received it: no window runs yet."""
    return case.state == CaseState.REPLIED and case.delivered_on is None


def concluded_unresolved(case) -> bool:
    """已办结未化解: the statutory path has concluded, the matter is not resolved."""
    return case.state in CONCLUDED_STATES and case.resolution in UNRESOLVED


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


def prominent_since(case, town, today: dt.date) -> dt.date | None:
    """The day a day-independent rule first made the case prominent: the first petition's day for
    what it said itself (collective, skip-level, threat), the day of the change otherwise (a repeat,
    a rebound, the office's mark). Once prominent, a case stays so until it is resolved."""
    if case.prominent_since is not None:
        return case.prominent_since
    if not prominent_stored(case, town):
        return None
    received = timezone.localtime(case.received_at).date()
    return received if case.repeat_count == 0 and not case.prominent_marked else max(received, today)


def backlog_from(case, town) -> dt.date | None:
    """积案: the day after the handling limit, if the opinion was not out by then. A late opinion does
    not take the case off the ledger; only 化解 does."""
    if ProminentRule.BACKLOG not in (town.prominent_rules or []) or not case.handling_due:
        return None
    if case.replied_on is not None and case.replied_on <= case.handling_due:
        return None
    if case.replied_on is None and case.state not in OPEN_STATES:
        return None  # left the statutory path without an opinion (不予受理): not a backlog
    return case.handling_due + dt.timedelta(days=1)


def ledger_from(case, town, today: dt.date | None = None) -> dt.date | None:
    """The day from which the case is on the prominent ledger. A case not accepted is no petition
    matter of the town and has no ledger day."""
    if case.state == CaseState.NOT_ACCEPTED:
        return None
    days = [d for d in (case.prominent_since, backlog_from(case, town)) if d is not None]
    return min(days) if days else None


def is_backlog(case, today: dt.date) -> bool:
    """积案: the handling limit passed before the opinion, and the matter is not resolved."""
    return bool(
        case.resolution in UNRESOLVED
        and case.state != CaseState.NOT_ACCEPTED
        and case.handling_due
        and case.handling_due < today
        and (case.replied_on is None or case.replied_on > case.handling_due)
    )


def backlog_q(today: dt.date) -> Q:
    return (
        Q(resolution__in=UNRESOLVED, handling_due__lt=today)
        & ~Q(state=CaseState.NOT_ACCEPTED)
        & (Q(replied_on__isnull=True) | Q(replied_on__gt=F("handling_due")))
    )


def prominent_q(today: dt.date, prefix: str = "") -> Q:
    """On the prominent ledger today: prominent by now and not yet checked off as resolved."""
    return Q(**{f"{prefix}ledger_from__lte": today, f"{prefix}resolution__in": UNRESOLVED})


def in_hand_q(today: dt.date, prefix: str = "") -> Q:
    """Somebody still has work on it: the statutory path runs, or it is on the prominent ledger."""
    return Q(**{f"{prefix}state__in": OPEN_STATES}) | prominent_q(today, prefix)


def concluded_unresolved_q(today: dt.date) -> Q:
    """已办结未化解 on the ledger: the statutory path has concluded, the matter is still on the ledger."""
    return prominent_q(today) & Q(state__in=CONCLUDED_STATES)


def in_hand(case, today: dt.date) -> bool:
    return case.state in OPEN_STATES or on_ledger(case, today)


def on_ledger(case, today: dt.date) -> bool:
    """On the prominent ledger today: from `ledger_from` until 对账销号."""
    return case.ledger_from is not None and case.ledger_from <= today and case.resolution in UNRESOLVED


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


def derive(case, town, today: dt.date) -> None:
    """The stored fields that follow from the others; every write sets them the same way."""
    case.prominent = prominent_stored(case, town)
    case.prominent_since = prominent_since(case, town, today)
    case.ledger_from = ledger_from(case, town)
    case.due_on = current_due(case)
