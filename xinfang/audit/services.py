"""Writing the audit log. Callers write inside the transaction of the change they record."""

import datetime
import decimal
import uuid

from django.db import models

from xinfang.core.middleware import client_ip, current_request

from .choices import AuditEventType
from .models import AuditEvent


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model) -> dict:
    """Field values of an object as JSON-ready data, many-to-many included."""
    data = {}
    for f in obj._meta.concrete_fields:
        if f.generated:  # derived by the database from fields that are recorded
            continue
        data[f.attname] = _plain(f.value_from_object(obj))
    if obj.pk is not None:
        for f in obj._meta.many_to_many:
            data[f.name] = sorted(v.pk for v in f.value_from_object(obj))
    data.pop("password", None)
    return data


def diff(old: dict | None, new: dict | None) -> tuple[dict | None, dict | None]:
    """Only the fields that changed, so a row says what happened rather than everything."""
    if not old or not new:
        return old, new
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new.get(k) for k in keys}


def _label(target) -> str:
    """How the log names an object. A case is named by its number only: the audit administrator
    sees that a case changed, never what it is about (三员分立)."""
    if target is None:
        return ""
    return str(getattr(target, "audit_label", target))[:200]


def audit_record(
    *,
    event: AuditEventType | str,
    user=None,
    target: models.Model | None = None,
    success: bool = True,
    old: dict | None = None,
    new: dict | None = None,
    detail: str = "",
    username: str | None = None,
    town=None,
    request=None,
) -> AuditEvent:
    request = request if request is not None else current_request.get()
    if user is None and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            user = request.user
    if town is None:
        town = getattr(target, "town", None) if target is not None and hasattr(target, "town_id") else None
        if town is None and user is not None:
            town = user.town
    # A town is its own town (compared by label: the audit log sits below the organisation app).
    if target is not None and target._meta.label == "org.Town":
        town = target
    return AuditEvent.objects.create(
        user=user,
        username=username if username is not None else (user.username if user else ""),
        town=town,
        ip_address=client_ip(request),
        event=event,
        target_type=target._meta.verbose_name if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_repr=_label(target),
        success=success,
        old_values=_plain(old) if old is not None else None,
        new_values=_plain(new) if new is not None else None,
        detail=detail,
    )
