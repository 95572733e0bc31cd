"""Writes of 考核问责: the town's rules as its file is loaded, and the accountability records (only
the supervision team records them; each with its audit row)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.cases.models import Case
from xinfang.core.inputs import control_problem
from xinfang.core.scoping import scope
from xinfang.org.models import Department, Village
from xinfang.supervision.models import SupervisionNotice

from .choices import Measure, UnitKind
from .models import Accountability, ScoringRules

RECORDERS = frozenset({Role.SUPERVISOR})
FORBIDDEN = "问责记录由督查专班（纪委牵头）填写，您的角色不能填写问责记录。"


def rules_store(sender=None, *, town, config, **kwargs) -> None:
    """The `scoring:` section of the file just loaded (org.signals.town_loaded)."""
    ScoringRules.objects.update_or_create(town=town, defaults={"rules": config.scoring.model_dump()})


def _text(errors, field, value, label, limit, *, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = f"请填写{label}。"
    elif len(value) > limit:
        errors[field] = f"{label}太长了，最多 {limit} 个字（现在 {len(value)} 个）。"
    elif problem := control_problem(value):
        errors[field] = f"{label}{problem}。"
    return value


@transaction.atomic
def accountability_record(
    *,
    acting_user,
    unit_kind: str,
    unit_id: int | None,
    person_name: str,
    person_title: str = "",
    reason: str,
    measure: str,
    day: dt.date | None,
    case_ids=(),
    notice_ids=(),
) -> Accountability:
    if acting_user.role not in RECORDERS or acting_user.town_id is None:
        raise PermissionDenied(FORBIDDEN)
    town = acting_user.town
    errors: dict[str, str] = {}
    village = department = None
    if unit_kind == UnitKind.VILLAGE:
        village = Village.objects.filter(town=town, pk=unit_id).first() if unit_id else None
        if village is None:
            errors["unit"] = "请选择本镇的一个村（居）。"
    elif unit_kind == UnitKind.DEPARTMENT:
        department = Department.objects.filter(town=town, pk=unit_id).first() if unit_id else None
        if department is None:
            errors["unit"] = "请选择本镇的一个部门（条线）。"
    else:
        errors["unit_kind"] = "单位类型应为 village 村（居）或 department 部门（条线）。"
    person_name = _text(errors, "person_name", person_name, "被问责人姓名", 40)
    person_title = _text(errors, "person_title", person_title, "职务", 60, required=False)
    reason = _text(errors, "reason", reason, "问责事由", 2000)
    if measure not in Measure.values:
        errors["measure"] = "请选择问责方式：" + "、".join(Measure.labels) + "。"
    today = timezone.localdate()
    if day is None:
        errors["day"] = "请填写问责日期。"
    elif day > today:
        errors["day"] = "问责日期不能晚于今天。"
    elif day < today - dt.timedelta(days=3 * 366):
        errors["day"] = "问责日期不能早于三年前，请核对年份。"
    case_ids, notice_ids = set(case_ids), set(notice_ids)
    cases = list(scope(Case.objects.all(), acting_user).filter(pk__in=case_ids))
    notices = list(SupervisionNotice.objects.filter(town=town, pk__in=notice_ids))
    if len(cases) != len(case_ids):
        errors["cases"] = "相关信访事项中有本镇没有的，请核对编号。"
    if len(notices) != len(notice_ids):
        errors["notices"] = "相关督办单中有本镇没有的，请核对。"
    if errors:
        raise ValidationError(errors)
    record = Accountability.objects.create(
        town=town,
        unit_kind=unit_kind,
        village=village,
        department=department,
        person_name=person_name,
        person_title=person_title,
        reason=reason,
        measure=measure,
        day=day,
        recorded_by=acting_user,
    )
    record.cases.set(cases)
    record.notices.set(notices)
    audit_record(
        event=AuditEventType.CREATE,
        user=acting_user,
        target=record,
        town=town,
        new={
            "unit": record.unit_name,
            "person": person_name,
            "measure": measure,
            "day": day,
            "cases": [c.number for c in cases],
            "notices": [n.number for n in notices],
        },
        detail=f"记录问责（{record.get_measure_display()}）",
    )
    return record
