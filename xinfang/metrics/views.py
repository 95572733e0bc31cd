"""The page behind a number: the same list as the drill-down API, for a reader in the browser."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.utils import timezone

from xinfang.accounts.choices import WORK_ROLES
from xinfang.core.access import roles_required

from . import selectors

PAGE = 50


def _day(value: str | None, default: dt.date) -> dt.date:
    if not value:
        return default
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"日期“{value[:20]}”无法识别，请写成 2026-01-31 的形式。") from None
    if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise ValidationError("日期应在 2000-01-01 至 2100-12-31 之间。")
    return day


def _id(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise ValidationError("单位编号应为正整数。")
    return int(value)


@roles_required(*WORK_ROLES)
def metric_items(request, key: str):
    today = timezone.localdate()
    get = request.GET
    try:
        start = _day(get.get("from"), today.replace(month=1, day=1))
        end = _day(get.get("to"), today)
        if start > end:
            raise ValidationError("起始日期不能晚于截止日期。")
        unit = {name: _id(get.get(name)) for name in ("village", "line", "owner", "town")}
        part = "denominator" if get.get("part") == "denominator" else "numerator"
    except ValidationError as exc:
        return render(request, "web/bad_request.html", {"reason": exc.messages[0]}, status=400)
    try:
        metric = next(
            (m for m in selectors.metrics_for(request.user, start, end, **unit) if m.key == key), None
        )
    except ValidationError as exc:
        return render(request, "web/bad_request.html", {"reason": exc.messages[0]}, status=400)
    kind, queryset = selectors.drill_queryset(request.user, key, start, end, part=part, **unit)
    page = Paginator(queryset, PAGE).get_page(get.get("page"))
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in get.items() if k != "page"})
    return render(
        request,
        "metrics/items.html",
        {
            "metric": metric,
            "part": part,
            "start": start,
            "end": selectors.clamp(start, end)[1],
            "page": page,
            "rows": [selectors._item(kind, row) for row in page.object_list],
            "query": query.urlencode(),
        },
    )
