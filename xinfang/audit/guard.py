"""Database triggers that make the audit table append-only, whatever code runs against it."""

# `INSERT OR REPLACE` (and `REPLACE INTO`) deletes the row it collides with and inserts the new one;
# SQLite fires no DELETE trigger for that unless recursive triggers are on. A BEFORE INSERT trigger
# that refuses an id already taken stops it before anything is removed.
SQLITE_NO_REPLACE = (
    "CREATE TRIGGER IF NOT EXISTS audit_no_replace BEFORE INSERT ON audit_auditevent "
    "WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_auditevent WHERE id = NEW.id) "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
)
SQLITE_CREATE = [
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
    SQLITE_NO_REPLACE,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_delete",
    "DROP TRIGGER IF EXISTS audit_no_replace",
]

POSTGRES_CREATE = [
    """
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit log is append-only';
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS audit_no_change ON audit_auditevent",
    "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_no_change ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
]


def install_no_replace(schema_editor):
    """SQLite only: PostgreSQL has no REPLACE, and its INSERT … ON CONFLICT DO UPDATE is an UPDATE,
    which the trigger above already refuses."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_REPLACE)


def uninstall_no_replace(schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_replace")


def install(schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def uninstall(schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)
