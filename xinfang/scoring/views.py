"""The pages of 考核问责: the ranking, the facts behind each score, the Excel file, the
accountability records. Thin: selectors read, services write."""

import datetime as dt
import re
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.cases.models import Case
from xinfang.core.access import roles_required
from xinfang.core.scoping import scope
from xinfang.org.models import Department, Town, Village
from xinfang.supervision.models import SupervisionNotice

from . import selectors, services
from .choices import Measure, UnitKind
from .excel import ranking_workbook
from .models import READERS
from .rules import BadPeriod, period_of, period_parse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _params(request):
    """(town, period, kind) from the query; a bad period falls back to this month, with a message."""
    g = request.GET
    town = selectors.town_for(request.user, g.get("town"))
    today = timezone.localdate()
    period = period_of(today)
    if g.get("period"):
        try:
            period = period_parse(g["period"])
        except BadPeriod as exc:
            messages.error(request, str(exc))
    kind = g.get("kind") if g.get("kind") in UnitKind.values else UnitKind.VILLAGE
    return town, period, kind, today


def _recent_periods(today: dt.date) -> list[tuple[str, str]]:
    months = []
    year, month = today.year, today.month
    for _ in range(6):
        months.append((f"{year}-{month:02d}", f"{year}年{month}月"))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    quarter = (today.month - 1) // 3 + 1
    return months + [
        (f"{today.year}-Q{quarter}", f"{today.year}年本季度"),
        (str(today.year), f"{today.year}年全年"),
    ]


@require_GET
@roles_required(*READERS)
def ranking(request):
    town, period, kind, today = _params(request)
    r = selectors.ranking(town=town, period=period, kind=kind, today=today)
    query = {"period": period.code, "kind": kind}
    if request.user.role == Role.COUNTY:
        query["town"] = town.code
    return render(
        request,
        "scoring/ranking.html",
        {
            "r": r,
            "rows": [{"s": s, "cells": [s.by_key[key] for key, _ in r.columns]} for s in r.scores],
            "kinds": UnitKind.choices,
            "periods": _recent_periods(today),
            "query": urlencode(query),
            "towns": list(scope(Town.objects.all(), request.user).order_by("code"))
            if request.user.role == Role.COUNTY
            else [],
        },
    )


@require_GET
@roles_required(*READERS)
def facts(request, kind: str, unit_id: int, key: str):
    town, period, _, today = _params(request)
    if kind not in UnitKind.values:
        raise Http404("单位类型不存在")
    unit_name, item, found = selectors.unit_facts(
        town=town, period=period, kind=kind, unit_id=unit_id, key=key, today=today
    )
    back = {"period": period.code, "kind": kind}
    if request.user.role == Role.COUNTY:
        back["town"] = town.code
    return render(
        request,
        "scoring/facts.html",
        {
            "town": town,
            "period": period,
            "unit_name": unit_name,
            "item": item,
            "facts": found,
            "back": urlencode(back),
        },
    )


@require_GET
@roles_required(*READERS)
def ranking_export(request):
    town, period, kind, today = _params(request)
    r = selectors.ranking(town=town, period=period, kind=kind, today=today)
    content = ranking_workbook(r)
    audit_record(
        event=AuditEventType.EXPORT,
        user=request.user,
        town=town,
        detail=f"导出考核排名（{UnitKind(kind).label}，{period.label}）",
    )
    name = f"考核排名-{town.name}-{UnitKind(kind).label}-{period.code}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    return response


def _ints(values) -> list[int]:
    out = []
    for v in values:
        try:
            n = int(str(v).strip())
        except ValueError:
            n = 0
        out.append(n if 1 <= n <= 2**63 - 1 else 0)
    return out


def _case_ids(user, text: str) -> list[int]:
    """Case numbers typed one per line (or separated by 、，, and spaces); an unknown one is 0."""
    found = scope(Case.objects.all(), user)
    ids = []
    for token in [t for t in re.split(r"[\s,，、;；]+", text or "") if t]:
        case = found.filter(number=token).first()
        ids.append(case.pk if case else 0)
    return ids


@roles_required(*READERS)
def accountability_list(request):
    user = request.user
    data, errors = {}, {}
    can_record = user.role in services.RECORDERS
    if request.method == "POST":
        if not can_record:
            messages.error(request, f"未完成：{services.FORBIDDEN}")
            return render(request, "web/forbidden.html", status=403)
        data = request.POST
        unit_kind = data.get("unit_kind", "")
        unit = data.get("village") if unit_kind == UnitKind.VILLAGE else data.get("department")
        try:
            day = dt.date.fromisoformat(data.get("day", "").strip())
        except ValueError:
            day = None
        try:
            record = services.accountability_record(
                acting_user=user,
                unit_kind=unit_kind,
                unit_id=(_ints([unit]) or [0])[0] if unit else None,
                person_name=data.get("person_name", ""),
                person_title=data.get("person_title", ""),
                reason=data.get("reason", ""),
                measure=data.get("measure", ""),
                day=day,
                case_ids=_case_ids(user, data.get("cases", "")),
                notice_ids=_ints(data.getlist("notices")),
            )
        except ValidationError as exc:
            errors = {field: problems[0] for field, problems in exc.message_dict.items()}
            for problem in errors.values():
                messages.error(request, problem)
        except PermissionDenied as exc:
            messages.error(request, f"未完成：{exc}")
            return render(request, "web/forbidden.html", status=403)
        else:
            messages.success(
                request, f"已记录对{record.person_name}的问责（{record.get_measure_display()}）。"
            )
            return redirect("scoring:accountability")
    page = Paginator(selectors.accountabilities(user=user), 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "data": data,
        "errors": errors,
        "can_record": can_record,
        "today": timezone.localdate(),
    }
    if can_record:
        context.update(
            measures=Measure.choices,
            villages=list(Village.objects.filter(town=user.town).order_by("order", "id")),
            departments=list(Department.objects.filter(town=user.town).order_by("order", "id")),
            notices=list(
                SupervisionNotice.objects.filter(town=user.town).select_related("village", "department")[:200]
            ),
            picked={str(v) for v in data.getlist("notices")} if data else set(),
        )
    return render(request, "scoring/accountability.html", context, status=422 if errors else 200)
