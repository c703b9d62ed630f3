"""Why a step was passed over, as a code (orders/skips.py), read in the reader's language.

Entries written before keep their reason as text in ``note``: the step log is append-only,
so they are not rewritten; orders/skips.py reads those texts as their codes.

SQLite adds the column by rebuilding the table, which drops its append-only trigger
(0006); it is made again here. PostgreSQL adds the column in place and keeps its triggers.
"""

from django.db import migrations, models

# As 0006 makes it.
SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS step_log_no_update BEFORE UPDATE ON orders_steplog
BEGIN SELECT RAISE(ABORT, 'The step log is append-only.'); END;
"""


def trigger_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0012_step_sent_back"),
    ]

    operations = [
        migrations.AddField(
            model_name="steplog",
            name="skip_reason",
            field=models.CharField(blank=True, max_length=40, verbose_name="skipped because"),
        ),
        migrations.RunPython(trigger_again, migrations.RunPython.noop),
    ]
