"""Demo reports: the office finds last month's bulletin already made in its downloads list."""

from django.utils import timezone

from xinfang.reports.models import ReportJob
from xinfang.reports.services import report_request, report_run


def reports_demo(*, users) -> int:
    office = users["office"]
    if ReportJob.objects.filter(created_by=office).exists():
        return 0
    today = timezone.localdate()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    job = report_request(acting_user=office, kind="bulletin", params={"year": year, "month": month})
    report_run(job.pk)
    return 1
