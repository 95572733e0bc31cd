"""SQLite with the audit log's append-only triggers respected by `flush`.

The audit table refuses UPDATE and DELETE through triggers (see the audit app's migrations). On
PostgreSQL `flush` empties tables with TRUNCATE, which row triggers do not see; on SQLite it uses
DELETE, which they do. `flush` wipes the whole database by design (tests between transactional
cases, `manage.py flush`), so here it drops the guard, empties, and puts the guard back in the same
script. No other code path touches the triggers.
"""

from django.db.backends.sqlite3 import base, operations

from xinfang.audit.guard import SQLITE_CREATE, SQLITE_DROP


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not any(t == "audit_auditevent" for t in tables):
            return statements
        return [*SQLITE_DROP, *statements, *SQLITE_CREATE]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
