"""Recording relief given on a case: checks, the row, the case event and the audit row in one transaction."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.cases.choices import CaseEventType
from xinfang.cases.models import Case, CaseEvent, Petitioner
from xinfang.core.scoping import get_scoped_or_404

from .choices import ReliefKind
from .models import Relief

# Who may record relief on a case they can see; departments, grid workers, supervisors and the county
# only read it.
RECORD_ROLES = frozenset({Role.OFFICE, Role.LEADER, Role.VILLAGE})
# Who may read the totals across cases (the page /relief/ and the totals API).
TOTALS_ROLES = frozenset({Role.OFFICE, Role.LEADER, Role.SUPERVISOR, Role.COUNTY})

# Decimal(12, 2): up to 9,999,999,999.99 yuan.
AMOUNT_MAX = Decimal("9999999999.99")
APPROVED_BY_MAX = 60
APPROVAL_NUMBER_MAX = 60
NOTE_MAX = 500


def yuan(amount) -> str:
    """1234.5 → "1,234.50"."""
    return f"{Decimal(amount or 0):,.2f}"


def _amount(value, errors: dict) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors["amount"] = "请填写救助金额（元）。"
        return None
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(",", "").replace("，", "").removesuffix("元").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        errors["amount"] = f"救助金额“{value}”不是数字，请填写以元为单位的金额，如 2000 或 1500.50。"
        return None
    # The size first: quantizing 1e30 to cents overflows the decimal context (InvalidOperation).
    if not amount.is_finite():
        errors["amount"] = "救助金额应为以元为单位的数字，如 2000 或 1500.50。"
    elif amount <= 0:
        errors["amount"] = "救助金额必须大于 0 元。"
    elif amount > AMOUNT_MAX:
        errors["amount"] = f"救助金额过大，最多 {yuan(AMOUNT_MAX)} 元，请核对。"
    elif amount != amount.quantize(Decimal("0.01")):
        errors["amount"] = "救助金额最多精确到分（小数点后两位）。"
    else:
        return amount.quantize(Decimal("0.01"))
    return None


def _given_on(value, case: Case, errors: dict) -> dt.date | None:
    if value in (None, ""):
        errors["given_on"] = "请填写救助日期。"
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            errors["given_on"] = f"救助日期“{value}”格式不正确，应为 2026-01-31 这样的形式。"
            return None
    today = timezone.localdate()
    first = timezone.localtime(case.received_at).date()
    if value > today:
        errors["given_on"] = f"救助日期不能晚于今天（{today:%Y-%m-%d}）。"
    elif value < first:
        errors["given_on"] = f"救助日期不能早于该事项首次信访的日期（{first:%Y-%m-%d}）。"
    else:
        return value
    return None


def _petitioner(value, case: Case, errors: dict) -> Petitioner | None:
    if value in (None, ""):
        return None
    if isinstance(value, Petitioner):
        value = value.pk
    on_case = Petitioner.objects.filter(petitions__case=case).distinct()
    person = on_case.filter(pk=value).first() if str(value).strip().isdigit() else None
    if person is None:
        errors["petitioner"] = "所选救助对象不是本事项的信访人，请从本事项的信访人中选择，或不填。"
    return person


def _text(value, field: str, limit: int, errors: dict, *, required: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = required
    elif len(value) > limit:
        errors[field] = f"内容过长（{len(value)} 字），最多 {limit} 字。"
    return value


def relief_record(
    *,
    case_id: int,
    acting_user,
    kind: str,
    amount,
    given_on,
    approved_by: str,
    approval_number: str = "",
    note: str = "",
    petitioner=None,
) -> Relief:
    """Record relief given on a case.

    `amount` may be a Decimal, an int or the text a person typed ("2,000.50"); `given_on` a date or
    "2026-01-31"; `petitioner` a Petitioner, its id or None (then the case's petitioners in general).
    Raises Http404 when the case is out of the user's scope, PermissionDenied for a read-only role, and
    ValidationError({field: Chinese message}) with every problem of the input at once; then nothing is
    stored.
    """
    with transaction.atomic():
        case = get_scoped_or_404(Case.objects.select_related("town"), acting_user, pk=case_id)
        if acting_user.role not in RECORD_ROLES:
            raise PermissionDenied(f"{acting_user.get_role_display()}只能查看救助记录，不能录入。")
        errors: dict[str, str] = {}
        if kind not in ReliefKind.values:
            errors["kind"] = "请选择救助类型（" + "、".join(ReliefKind.labels) + "）。"
        amount = _amount(amount, errors)
        given_on = _given_on(given_on, case, errors)
        approved_by = _text(
            approved_by, "approved_by", APPROVED_BY_MAX, errors, required="请填写批准人（谁批准的这笔救助）。"
        )
        approval_number = _text(approval_number, "approval_number", APPROVAL_NUMBER_MAX, errors)
        note = _text(note, "note", NOTE_MAX, errors)
        person = _petitioner(petitioner, case, errors)
        if errors:
            raise ValidationError(errors, code="invalid")
        relief = Relief.objects.create(
            case=case,
            petitioner=person,
            kind=kind,
            amount=amount,
            given_on=given_on,
            approved_by=approved_by,
            approval_number=approval_number,
            note=note,
            recorded_by=acting_user,
        )
        label = relief.get_kind_display()
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventType.RELIEF,
            at=timezone.now(),
            user=acting_user,
            data={
                "relief": relief.pk,
                "text": f"{label} {yuan(amount)} 元（{given_on:%Y-%m-%d}）",
                "kind": kind,
                "amount": str(amount),
                "given_on": given_on.isoformat(),
                "approved_by": approved_by + (f"（{approval_number}）" if approval_number else ""),
            },
        )
        audit_record(
            event=AuditEventType.CREATE,
            user=acting_user,
            target=relief,
            town=case.town,
            new={
                "kind": kind,
                "amount": amount,
                "given_on": given_on,
                "approved_by": approved_by,
                "approval_number": approval_number,
                "petitioner": person.pk if person else None,
            },
            detail=f"录入专项救助（{label}）",
        )
    return relief
