"""The audit log refuses TRUNCATE too (PostgreSQL; SQLite has no TRUNCATE).

A row trigger does not fire on TRUNCATE, so 0002 left it open. A statement trigger now
refuses it, except in a session of the tables' owner that has set
``gendan.allow_log_truncate = on``: the test settings set it for the test database's flush
(Django empties tables with TRUNCATE on PostgreSQL). The application's own role does not own
the tables (README, *Running in production*), so it can neither pass this check nor drop the
trigger; any role may set the variable, which is why ownership is checked as well.
"""

from django.db import migrations

POSTGRES_UP = """
CREATE FUNCTION log_truncate_allowed(log regclass) RETURNS boolean AS $$
    SELECT coalesce(current_setting('gendan.allow_log_truncate', true), '') = 'on'
        AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = log), 'MEMBER');
$$ LANGUAGE sql STABLE;
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND log_truncate_allowed(TG_RELID) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only.';
END;
$$ LANGUAGE plpgsql;
DROP FUNCTION IF EXISTS log_truncate_allowed(regclass);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [migrations.RunPython(forwards, backwards)]
