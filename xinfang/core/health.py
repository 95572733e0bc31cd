"""What /healthz reports: can we reach the database and the job queue, and is a consumer alive."""

import time

from django.db import connection
from huey.constants import EmptyData
from huey.contrib.djhuey import HUEY

HEARTBEAT_KEY = "xinfang:consumer-heartbeat"


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any failure to reach the database is the answer, not a crash
        return {"ok": False, "vendor": connection.vendor, "error": str(exc)[:200]}


def queue_status() -> dict:
    backend = type(HUEY).__name__
    try:
        pending = HUEY.pending_count()
        seen = HUEY.storage.peek_data(HEARTBEAT_KEY)
    except Exception as exc:
        return {"ok": False, "backend": backend, "error": str(exc)[:200]}
    status = {"ok": True, "backend": backend, "pending": pending, "consumer_seen_seconds_ago": None}
    if seen is not EmptyData and seen:
        try:
            status["consumer_seen_seconds_ago"] = round(time.time() - float(seen), 1)
        except (TypeError, ValueError):
            pass
    return status


def health_report() -> dict:
    db, queue = database_status(), queue_status()
    return {"status": "ok" if db["ok"] and queue["ok"] else "error", "database": db, "queue": queue}
