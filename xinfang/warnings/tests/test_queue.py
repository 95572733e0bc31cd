"""The scan as the job queue runs it, on the storages a deployment uses: SQLite always, Redis when
REDIS_URL is set (CI sets it). The task is enqueued, taken off the queue and run as a consumer would,
and its warnings are in the inbox."""

import datetime as dt
import os

import pytest
from huey import RedisHuey, SqliteHuey

from xinfang.alerts.models import Alert
from xinfang.cases.models import Case
from xinfang.warnings import tasks
from xinfang.warnings.models import Warning

from .conftest import at, register

STORAGES = ["sqlite"] + (["redis"] if os.environ.get("REDIS_URL") else [])
pytestmark = pytest.mark.django_db


@pytest.fixture(params=STORAGES)
def real_queue(request, tmp_path):
    if request.param == "redis":
        queue = RedisHuey("xinfang-warnings-test", url=os.environ["REDIS_URL"])
    else:
        queue = SqliteHuey("xinfang-warnings-test", filename=str(tmp_path / "huey.sqlite3"))
    queue.flush()
    yield queue
    queue.flush()


def test_the_periodic_scan_runs_off_the_queue_and_its_warnings_arrive(real_queue, cast):
    with at("2026-05-01 09:00"):
        case = register(cast, name="队列某").case
    Case.objects.filter(pk=case.pk).update(
        state="handling", accepted_on=dt.date(2026, 5, 1), handling_due=dt.date(2026, 5, 3)
    )
    # The same function the periodic task calls, registered on the real queue.
    scan = real_queue.task(name="warnings_scan_often")(tasks.warnings_scan_often.func)
    with at("2026-05-04 10:00"):
        result = scan()
        assert real_queue.pending_count() == 1
        task = real_queue.dequeue()
        real_queue.execute(task)
    assert real_queue.pending_count() == 0
    assert result.get() >= 1
    w = Warning.objects.get(subject=f"case:{case.pk}:handling")
    assert w.level == "red"
    assert Alert.objects.filter(warning=w, recipient=cast["office"], read_at__isnull=True).exists()
