import datetime as dt

from ninja import Router, Schema

from . import selectors
from .services import alert_read

router = Router(tags=["提醒"])


class AlertOut(Schema):
    id: int
    kind: str
    text: str
    case: int | None
    case_number: str
    created_at: dt.datetime
    read_at: dt.datetime | None


def _out(a) -> dict:
    return {
        "id": a.pk,
        "kind": a.kind,
        "text": a.text,
        "case": a.case_id,
        "case_number": a.case.number if a.case_id else "",
        "created_at": a.created_at,
        "read_at": a.read_at,
    }


@router.get("/alerts", response=list[AlertOut], summary="我的提醒（最新 100 条）")
def alerts(request, unread: bool = False):
    return [_out(a) for a in selectors.alert_list(user=request.auth, unread_only=unread)[:100]]


@router.post("/alerts/{alert_id}/read", response=AlertOut, summary="标为已读")
def alert_mark_read(request, alert_id: int):
    return _out(alert_read(alert_id=alert_id, acting_user=request.auth))
