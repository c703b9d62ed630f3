"""The step log is append-only in the database itself, as the audit log is.

UPDATE is refused on every database. DELETE and TRUNCATE are refused on PostgreSQL, TRUNCATE
except for the owner's test flush (see audit 0003, ``log_truncate_allowed``); SQLite keeps
DELETE so Django's test flush can empty the table.
"""

from django.db import migrations

POSTGRES_UP = """
CREATE FUNCTION step_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND log_truncate_allowed(TG_RELID) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The step log is append-only.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER step_log_no_update BEFORE UPDATE OR DELETE ON orders_steplog
    FOR EACH ROW EXECUTE FUNCTION step_log_append_only();
CREATE TRIGGER step_log_no_truncate BEFORE TRUNCATE ON orders_steplog
    FOR EACH STATEMENT EXECUTE FUNCTION step_log_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS step_log_no_truncate ON orders_steplog;
DROP TRIGGER IF EXISTS step_log_no_update ON orders_steplog;
DROP FUNCTION IF EXISTS step_log_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER step_log_no_update BEFORE UPDATE ON orders_steplog
BEGIN SELECT RAISE(ABORT, 'The step log is append-only.'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS step_log_no_update;"


def forwards(apps, schema_editor):
    sql = POSTGRES_UP if schema_editor.connection.vendor == "postgresql" else SQLITE_UP
    schema_editor.execute(sql)


def backwards(apps, schema_editor):
    sql = POSTGRES_DOWN if schema_editor.connection.vendor == "postgresql" else SQLITE_DOWN
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0005_order_imports"),
        ("audit", "0003_audit_log_refuses_truncate"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
