"""The demo town's 预警: the scan run once over the generated history (fast: a few hundred cases), the
threat petitions of the last month raised as they would have been at registration, and a few warnings
already acknowledged and handled, so that the inbox and the board show each state. Safe to run again."""

import datetime as dt

from django.utils import timezone

from xinfang.cases.models import Petition
from xinfang.warnings.engine import findings_store, warnings_scan
from xinfang.warnings.models import Warning
from xinfang.warnings.rules import threat_finding
from xinfang.warnings.services import warning_acknowledge, warning_handle


def warnings_demo(*, town, users) -> dict:
    recent = Petition.objects.filter(
        case__town=town, has_threat=True, received_at__gte=timezone.now() - dt.timedelta(days=30)
    ).select_related("case")
    threats = findings_store(town, "threat", [threat_finding(p) for p in recent])
    result = warnings_scan(towns=[town])
    office = users["office"]
    if not Warning.objects.filter(town=town, handled_at__isnull=False).exists():
        older = list(
            Warning.objects.filter(town=town, inbox__recipient=office).order_by("created_at", "id")[:3]
        )
        for w in older[:2]:
            warning_acknowledge(warning_id=w.pk, acting_user=office)
        if older:
            warning_handle(
                warning_id=older[0].pk, acting_user=office, note="已电话督促责任单位，当日上门核实情况。"
            )
    return {"new": result.new + len(threats), "total": Warning.objects.filter(town=town).count()}
