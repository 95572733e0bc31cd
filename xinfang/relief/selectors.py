"""Reads of relief, always through the scoping function: one case's list and the totals of a period."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.core.scoping import scope

from .choices import PeriodKind, ReliefKind
from .models import Relief

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
QUARTERS = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
YEAR_MIN, YEAR_MAX = 2000, 2100


def _money(amount) -> Decimal:
    """A sum as the database gives it (SQLite: 300 rather than 300.00), in yuan and fen."""
    return Decimal(amount or 0).quantize(CENT)


def relief_list(*, user, case_id: int):
    return scope(Relief.objects.filter(case_id=case_id), user).select_related("recorded_by", "petitioner")


def relief_total(reliefs) -> Decimal:
    return sum((r.amount for r in reliefs), ZERO)


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, year
    year: int
    number: int  # the month (1–12) or quarter (1–4); 1 for a year
    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}年{self.number}月"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}年{QUARTERS[self.number]}"
        return f"{self.year}年"

    def query(self) -> str:
        return f"period={self.kind}&year={self.year}&number={self.number}"

    def shifted(self, step: int) -> "Period":
        """The period before (-1) or after (+1) this one."""
        if self.kind == PeriodKind.YEAR:
            return period_of(self.kind, self.year + step, 1)
        per_year = 12 if self.kind == PeriodKind.MONTH else 4
        index = self.year * per_year + self.number - 1 + step
        return period_of(self.kind, index // per_year, index % per_year + 1)


def period_of(kind: str, year: int, number: int = 1) -> Period:
    """The period, or ValidationError({field: Chinese message})."""
    if kind not in PeriodKind.values:
        raise ValidationError({"period": "统计周期只能是 month（月）、quarter（季度）或 year（年）。"})
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError({"year": f"年份应在 {YEAR_MIN} 至 {YEAR_MAX} 之间。"})
    if kind == PeriodKind.MONTH:
        if not 1 <= number <= 12:
            raise ValidationError({"number": "月份应在 1 至 12 之间。"})
        start = dt.date(year, number, 1)
        end = (dt.date(year + number // 12, number % 12 + 1, 1)) - dt.timedelta(days=1)
    elif kind == PeriodKind.QUARTER:
        if not 1 <= number <= 4:
            raise ValidationError({"number": "季度应在 1 至 4 之间。"})
        start = dt.date(year, 3 * number - 2, 1)
        end = dt.date(year + number // 4, (3 * number) % 12 + 1, 1) - dt.timedelta(days=1)
    else:
        number = 1
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return Period(kind=kind, year=year, number=number, start=start, end=end)


def period_current(kind: str = PeriodKind.MONTH, today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    number = {PeriodKind.MONTH: today.month, PeriodKind.QUARTER: (today.month - 1) // 3 + 1}.get(kind, 1)
    return period_of(kind, today.year, number)


def period_parse(kind, year, number, today: dt.date | None = None) -> Period:
    """The period named by strings from a query (missing parts: the current one), or ValidationError."""
    kind = kind or PeriodKind.MONTH
    current = period_current(kind if kind in PeriodKind.values else PeriodKind.MONTH, today)
    try:
        year = int(year) if year not in (None, "") else current.year
    except (TypeError, ValueError):
        raise ValidationError({"year": "年份应为整数，如 2026。"}) from None
    try:
        number = int(number) if number not in (None, "") else current.number
    except (TypeError, ValueError):
        raise ValidationError({"number": "月份或季度应为整数。"}) from None
    return period_of(kind, year, number)


def reliefs_in(*, user, period: Period):
    """The reliefs given in the period that the user may see, oldest first."""
    return (
        scope(Relief.objects.filter(given_on__range=(period.start, period.end)), user)
        .select_related("case__village", "case__town", "petitioner", "recorded_by")
        .order_by("given_on", "id")
    )


def _village_label(row: dict, across_towns: bool) -> str:
    name = row["case__village__name"] or "未定村（居）"
    return f"{row['case__town__name']} · {name}" if across_towns else name


def totals(*, user, period: Period) -> dict:
    """Count and sum of the period, by kind (every kind, zeros included) and by village.

    {"count", "amount", "by_kind": [{"kind", "label", "count", "amount"}],
     "by_village": [{"village", "label", "count", "amount"}]}
    """
    reliefs = scope(Relief.objects.filter(given_on__range=(period.start, period.end)), user)
    overall = reliefs.aggregate(count=Count("pk"), amount=Sum("amount"))
    kinds = {
        row["kind"]: row
        for row in reliefs.order_by().values("kind").annotate(count=Count("pk"), amount=Sum("amount"))
    }
    by_kind = [
        {
            "kind": value,
            "label": label,
            "count": kinds.get(value, {}).get("count", 0),
            "amount": _money(kinds.get(value, {}).get("amount")),
        }
        for value, label in ReliefKind.choices
    ]
    across_towns = user.role == Role.COUNTY
    rows = (
        reliefs.order_by()
        .values(
            "case__town__name",
            "case__town_id",
            "case__village_id",
            "case__village__name",
            "case__village__order",
        )
        .annotate(count=Count("pk"), amount=Sum("amount"))
    )
    by_village = sorted(
        (
            {
                "village": row["case__village_id"],
                "label": _village_label(row, across_towns),
                "count": row["count"],
                "amount": _money(row["amount"]),
                "_order": (
                    row["case__town_id"],
                    row["case__village_id"] is None,
                    row["case__village__order"] or 0,
                    row["case__village_id"] or 0,
                ),
            }
            for row in rows
        ),
        key=lambda r: r["_order"],
    )
    for row in by_village:
        row.pop("_order")
    return {
        "count": overall["count"],
        "amount": _money(overall["amount"]),
        "by_kind": by_kind,
        "by_village": by_village,
    }
