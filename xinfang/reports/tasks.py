"""Reports are made by the job queue: a year's Word report or a 100,000-row ledger takes seconds, longer
than a page may keep the reader waiting. In tests huey runs immediately (settings_test)."""

from huey.contrib.djhuey import db_task

from .services import report_run


@db_task()
def report_make(job_id: int) -> None:
    report_run(job_id)
