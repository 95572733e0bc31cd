import datetime as dt
from decimal import Decimal

from ninja import Field, Router, Schema, Status

from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.cases.selectors import case_get
from xinfang.core.schemas import Amount, ErrorOut, Id, InSchema

from . import selectors
from .choices import ReliefKind
from .models import Relief
from .services import TOTALS_ROLES, relief_record

router = Router(tags=["专项救助"])
KIND_HELP = "救助类型：" + "、".join(f"{value} {label}" for value, label in ReliefKind.choices)


class ReliefIn(InSchema):
    kind: str = Field("", max_length=20, description=KIND_HELP)
    # Text is passed on to the service, which explains in Chinese what is wrong with it and holds the
    # amount to the column's 12 digits, 2 of them decimals.
    amount: Amount | None = Field(
        None, description="金额（元），大于 0，最多两位小数，不超过 9,999,999,999.99"
    )
    # As text, read by the service: a JSON number is no date.
    given_on: str | None = Field(
        None,
        max_length=40,
        json_schema_extra={"format": "date"},
        description="救助日期，如 2026-01-31；不晚于今天，不早于首次信访日期",
    )
    approved_by: str = Field("", description="批准人（必填）")
    approval_number: str = Field("", description="批准文号（可不填）")
    note: str = Field("", description="说明（可不填）")
    petitioner: Id | None = Field(None, description="救助对象：本事项信访人的编号（id），可不填")


class ReliefOut(Schema):
    id: int
    case: int
    case_number: str
    petitioner: int | None
    petitioner_name: str
    kind: str
    kind_label: str
    amount: Decimal = Field(..., description='金额（元），以字符串表示，如 "2000.00"')
    given_on: dt.date
    approved_by: str
    approval_number: str
    note: str
    recorded_by: str
    recorded_at: dt.datetime


class ReliefListOut(Schema):
    items: list[ReliefOut]
    count: int
    total: Decimal = Field(..., description="合计金额（元）")


class PeriodOut(Schema):
    period: str
    year: int
    number: int
    label: str
    start: dt.date
    end: dt.date


class KindTotal(Schema):
    kind: str
    label: str
    count: int
    amount: Decimal


class VillageTotal(Schema):
    village: int | None = Field(None, description="村（居）编号；未定村（居）为 null")
    label: str
    count: int
    amount: Decimal


class TotalsOut(Schema):
    period: PeriodOut
    count: int
    amount: Decimal
    by_kind: list[KindTotal]
    by_village: list[VillageTotal]


def _relief(r: Relief) -> dict:
    return {
        "id": r.pk,
        "case": r.case_id,
        "case_number": r.case.number,
        "petitioner": r.petitioner_id,
        "petitioner_name": r.petitioner.name if r.petitioner_id else "",
        "kind": r.kind,
        "kind_label": r.get_kind_display(),
        "amount": r.amount,
        "given_on": r.given_on,
        "approved_by": r.approved_by,
        "approval_number": r.approval_number,
        "note": r.note,
        "recorded_by": r.recorded_by.display_name,
        "recorded_at": r.recorded_at,
    }


@router.get("/cases/{case_id}/reliefs", response=ReliefListOut, summary="一个信访事项的专项救助")
def relief_index(request, case_id: Id):
    case = case_get(user=request.user, pk=case_id)
    reliefs = list(selectors.relief_list(user=request.user, case_id=case.pk).select_related("case"))
    return {
        "items": [_relief(r) for r in reliefs],
        "count": len(reliefs),
        "total": selectors.relief_total(reliefs),
    }


@router.post(
    "/cases/{case_id}/reliefs",
    response={201: ReliefOut, 403: ErrorOut, 422: ErrorOut},
    summary="录入专项救助（联席办、镇领导、村（居）可录入；其他角色只读，返回 403）",
)
def relief_create(request, case_id: Id, body: ReliefIn):
    relief = relief_record(case_id=case_id, acting_user=request.user, **body.dict())
    return Status(201, _relief(relief))


@router.get(
    "/reliefs/totals",
    response={200: TotalsOut, 403: ErrorOut, 422: ErrorOut},
    summary="专项救助统计：一个月、季度或年度的笔数与金额，按类型和村（居）分列",
)
def relief_totals(
    request,
    period: str = "month",
    year: int | None = None,
    number: int | None = None,
):
    """period：month（月）、quarter（季度）、year（年）；number：月份 1–12 或季度 1–4；不填为当前期间。"""
    if request.user.role not in TOTALS_ROLES:
        detail = f"{request.user.get_role_display()}不能查看专项救助统计。"
        audit_record(event=AuditEventType.DENIED, user=request.user, success=False, detail=detail)
        return Status(403, {"detail": detail})
    chosen = selectors.period_parse(period, year, number)
    summary = selectors.totals(user=request.user, period=chosen)
    return {
        "period": {
            "period": chosen.kind,
            "year": chosen.year,
            "number": chosen.number,
            "label": chosen.label,
            "start": chosen.start,
            "end": chosen.end,
        },
        **summary,
    }
