"""The job queue part of /healthz, on the real storages a deployment uses (not the test's memory queue)."""

import os

import pytest
from huey import RedisHuey, SqliteHuey

from xinfang.core import health, tasks

STORAGES = ["sqlite"] + (["redis"] if os.environ.get("REDIS_URL") else [])


@pytest.fixture(params=STORAGES)
def real_queue(request, tmp_path, monkeypatch):
    if request.param == "redis":
        queue = RedisHuey("xinfang-test", url=os.environ["REDIS_URL"])
        queue.flush()
    else:
        queue = SqliteHuey("xinfang-test", filename=str(tmp_path / "huey.sqlite3"))
    monkeypatch.setattr(health, "HUEY", queue)
    monkeypatch.setattr(tasks, "HUEY", queue)
    yield queue
    queue.flush()


def test_the_queue_is_reported_with_its_backlog_and_whether_a_consumer_runs(real_queue):
    status = health.queue_status()
    assert status["ok"] is True and status["pending"] == 0
    assert status["consumer_seen_seconds_ago"] is None

    tasks.consumer_heartbeat.call_local()

    @real_queue.task()
    def waiting():
        return None

    waiting()
    status = health.queue_status()
    assert status["pending"] == 1
    assert 0 <= status["consumer_seen_seconds_ago"] < 5


def test_an_unreachable_queue_makes_healthz_fail(monkeypatch, db):
    broken = RedisHuey("xinfang-test", url="redis://127.0.0.1:1/0")
    monkeypatch.setattr(health, "HUEY", broken)
    report = health.health_report()
    assert report["status"] == "error" and report["queue"]["ok"] is False
    assert report["database"]["ok"] is True
