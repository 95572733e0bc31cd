"""The audit log cannot be rewritten by inserting over an existing row: SQLite's INSERT OR REPLACE
(and REPLACE INTO), PostgreSQL's INSERT … ON CONFLICT DO UPDATE. New rows still go in."""

import pytest
from django.db import DatabaseError, connection, transaction

from xinfang.audit.models import AuditEvent
from xinfang.audit.services import audit_record

pytestmark = pytest.mark.django_db

COLUMNS = "id, created_at, username, event, target_type, target_id, target_repr, success, detail"


@pytest.fixture
def row(cast):
    return audit_record(event="update", user=cast["office"], detail="原始记录")


def _values(pk: int) -> str:
    return f"{pk}, '2026-01-01 00:00:00', 'forger', 'update', '', '', '', true, '改写的记录'"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="REPLACE is SQLite's")
@pytest.mark.parametrize("verb", ["INSERT OR REPLACE INTO", "REPLACE INTO"])
def test_sqlite_refuses_to_replace_a_row(row, verb):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"{verb} audit_auditevent ({COLUMNS}) VALUES ({_values(row.pk)})")
    kept = AuditEvent.objects.get(pk=row.pk)
    assert kept.detail == "原始记录" and kept.username == "office"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ON CONFLICT DO UPDATE on PostgreSQL")
def test_postgresql_refuses_an_upsert_over_a_row(row):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO audit_auditevent ({COLUMNS}) VALUES ({_values(row.pk)}) "
                "ON CONFLICT (id) DO UPDATE SET detail = EXCLUDED.detail, username = EXCLUDED.username"
            )
    kept = AuditEvent.objects.get(pk=row.pk)
    assert kept.detail == "原始记录" and kept.username == "office"


def test_an_insert_with_a_new_id_still_goes_in(row):
    verb = "INSERT OR REPLACE INTO" if connection.vendor == "sqlite" else "INSERT INTO"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"{verb} audit_auditevent ({COLUMNS}) VALUES ({_values(row.pk + 1000)})")
    assert AuditEvent.objects.get(pk=row.pk + 1000).detail == "改写的记录"
    assert AuditEvent.objects.get(pk=row.pk).detail == "原始记录"
    assert audit_record(event="update", detail="之后的记录").pk != row.pk
