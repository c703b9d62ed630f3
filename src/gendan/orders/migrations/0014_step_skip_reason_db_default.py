"""The skip reason defaults to "" in the database too: a row written by SQL without it (the
app role's own insert, another tool) stays valid. As in 0013, SQLite rebuilds the table and
loses its append-only trigger, which is made again."""

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
        ("orders", "0013_step_skip_reason"),
    ]

    operations = [
        migrations.AlterField(
            model_name="steplog",
            name="skip_reason",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=40,
                verbose_name="skipped because",
            ),
        ),
        migrations.RunPython(trigger_again, migrations.RunPython.noop),
    ]  # fmt: skip
