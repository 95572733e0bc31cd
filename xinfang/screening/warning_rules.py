"""The warning rules of 排查 and 研判, registered with the engine in ScreeningConfig.ready(). Each
scanner only says what it finds; the engine stores what is new and tells the named people."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.accounts.models import User
from xinfang.warnings.choices import Level
from xinfang.warnings.registry import Finding, rule

from . import rules, selectors


def _grid_workers(grid_ids) -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = {}
    for pk, grid_id in User.objects.filter(role=Role.GRID, grid_id__in=grid_ids, is_active=True).values_list(
        "pk", "grid_id"
    ):
        found.setdefault(grid_id, []).append(pk)
    return {k: tuple(v) for k, v in found.items()}


@rule(
    "screening_missing_report",
    "排查未报送",
    level=Level.YELLOW,
    roles=(Role.OFFICE, Role.VILLAGE, Role.DEPARTMENT),
    description="排查轮次报送期限已过，仍有村（居）、网格或部门未报送排查情况（含零报告）",
    # Read by the engine once a day (its periodic scan); a plain parameter where it is not.
    cadence="daily",
)
def scan_missing_reports(town, now: dt.datetime):
    today = timezone.localtime(now).date()
    lookback = today - dt.timedelta(days=rules.config(town)["warn_lookback_days"])
    missing = [
        m for m in selectors.missing_reports(town, lookback, today, today=today) if m["submitted_at"] is None
    ]
    workers = _grid_workers({m["grid_id"] for m in missing if m["grid_id"]})
    for m in missing:
        yield Finding(
            subject=f"screening_report:{m['report_id']}",
            state="missing",
            text=(
                f"“{m['round']}”报送期限 {m['due']:%Y-%m-%d} 已过，"
                f"{m['unit']}尚未报送排查情况（无事项也须报零报告）。"
            ),
            village_id=m["village_id"] if m["unit_kind"] == "village" else None,
            department_id=m["department_id"],
            user_ids=workers.get(m["grid_id"], ()) if m["grid_id"] else (),
            url=reverse("screening:round", args=[m["round_id"]]),
        )


@rule(
    "assessment_missing",
    "研判缺失",
    level=Level.YELLOW,
    roles=(Role.OFFICE, Role.VILLAGE, Role.DEPARTMENT),
    description="研判周期（战时每日、常态每周）已结束，某级研判单位没有研判记录",
    cadence="daily",
)
def scan_missing_assessments(town, now: dt.datetime):
    today = timezone.localtime(now).date()
    lookback = today - dt.timedelta(days=rules.config(town)["warn_lookback_days"])
    missing = selectors.missing_assessments(town, lookback, today - dt.timedelta(days=1), today=today)
    workers = _grid_workers({m["grid_id"] for m in missing if m["grid_id"]})
    for m in missing:
        unit = m["grid_id"] or m["village_id"] or m["department_id"] or town.pk
        yield Finding(
            subject=f"assessment:{m['level']}:{unit}:{m['window_start']:%Y-%m-%d}",
            state="missing",
            text=f"{m['unit']}{m['window']}没有{m['level_label']}记录。",
            level=Level.ORANGE if m["cadence"] == "wartime" else None,
            village_id=m["village_id"] if m["level"] == "village" else None,
            department_id=m["department_id"],
            user_ids=workers.get(m["grid_id"], ()) if m["grid_id"] else (),
            url=reverse("screening:missing-assessments"),
        )
