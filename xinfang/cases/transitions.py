"""The state machine: one service per transition. Each checks its rule and the version the user
saw, writes the change, the case event and the audit row in one transaction, or refuses in Chinese."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core.scoping import get_scoped_or_404
from xinfang.workcal.services import add_calendar_days

from .choices import CaseEventType, CaseState
from .models import Case, CaseEvent


class TransitionRefused(Exception):
    """The case is not in a state that allows this step (409)."""


class EditConflict(Exception):
    """Somebody else changed the case since the user loaded it (409)."""


class TransitionInvalid(Exception):
    """The step's own input is wrong (422); `errors` maps fields to Chinese messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(errors.values()))


def _locked(case_id: int, user, expected_version: int | None) -> Case:
    queryset = Case.objects.select_for_update(of=("self",)).select_related("town__time_limits")
    case = get_scoped_or_404(queryset, user, pk=case_id)
    if expected_version is not None and case.version != expected_version:
        raise EditConflict(
            f"该事项在您打开之后已被他人修改（您看到的是第 {expected_version} 版，"
            f"现在是第 {case.version} 版），为避免覆盖他人的工作，本次操作未保存。"
            "请刷新页面查看最新情况后再操作。"
        )
    return case


def _require(case: Case, allowed: set[str], action: str) -> None:
    if case.state not in allowed:
        names = "、".join(CaseState(s).label for s in sorted(allowed))
        raise TransitionRefused(
            f"当前状态为“{case.get_state_display()}”，不能{action}（只有处于“{names}”的事项可以{action}）。"
        )


def _record(case: Case, *, user, kind: str, data: dict, old_state: str) -> None:
    case.version += 1
    case.save()
    CaseEvent.objects.create(case=case, kind=kind, at=timezone.now(), user=user, data=data)
    audit_record(
        event=AuditEventType.UPDATE,
        user=user,
        target=case,
        old={"state": old_state},
        new={"state": case.state, **data},
        detail=CaseEventType(kind).label,
    )


@transaction.atomic
def case_accept(
    *, case_id: int, acting_user, expected_version: int | None = None, on: dt.date | None = None
) -> Case:
    case = _locked(case_id, acting_user, expected_version)
    _require(case, {CaseState.REGISTERED}, "受理")
    on = on or timezone.localdate()
    if on < timezone.localtime(case.received_at).date():
        raise TransitionInvalid({"on": "受理日期不能早于收到信访的日期。"})
    if on > timezone.localdate():
        raise TransitionInvalid({"on": "受理日期不能晚于今天。"})
    old = case.state
    case.state = CaseState.ACCEPTED
    case.accepted_on = on
    case.handling_due = add_calendar_days(on, case.town.time_limits.handling_days)
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.ACCEPTED,
        data={"accepted_on": on.isoformat(), "handling_due": case.handling_due.isoformat()},
        old_state=old,
    )
    return case


@transaction.atomic
def case_not_accept(*, case_id: int, acting_user, reason: str, expected_version: int | None = None) -> Case:
    case = _locked(case_id, acting_user, expected_version)
    _require(case, {CaseState.REGISTERED}, "作出不予受理决定")
    if not (reason or "").strip():
        raise TransitionInvalid({"reason": "请填写不予受理的理由（将写入不予受理告知书）。"})
    old = case.state
    case.state = CaseState.NOT_ACCEPTED
    case.not_accepted_reason = reason.strip()
    _record(
        case,
        user=acting_user,
        kind=CaseEventType.NOT_ACCEPTED,
        data={"reason": reason.strip()},
        old_state=old,
    )
    return case


ACTIONS = {"accept": case_accept, "not_accept": case_not_accept}


def case_act(
    *, action: str, case_id: int, acting_user, expected_version: int | None = None, reason: str = "", on=None
) -> Case:
    """The one entry for the API and the case page: runs the named step with the inputs it takes."""
    if action == "accept":
        return case_accept(case_id=case_id, acting_user=acting_user, expected_version=expected_version, on=on)
    if action == "not_accept":
        return case_not_accept(
            case_id=case_id, acting_user=acting_user, expected_version=expected_version, reason=reason
        )
    raise KeyError(action)
