"""Indexes for the customer search (issue 12): trigrams on PostgreSQL, plain ones elsewhere.

``name__icontains`` is ``UPPER(name) LIKE UPPER('%q%')`` on PostgreSQL: a trigram index on
the same expression serves it, as trigrams on mobile and landline serve a phone's last digits.
Queries shorter than a trigram match at the start of a name: a pattern index serves them.
"""

from django.db import migrations

INDEXES = {
    "parties_customer_name_trgm": "USING gin (UPPER(name) gin_trgm_ops)",
    "parties_customer_mobile_trgm": "USING gin (mobile gin_trgm_ops)",
    "parties_customer_landline_trgm": "USING gin (landline gin_trgm_ops)",
    "parties_customer_name_prefix": "(UPPER(name) text_pattern_ops)",
}


def indexes_create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, how in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON parties_customer {how}")


def indexes_drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("parties", "0005_customer_sales_rep"),
    ]

    operations = [migrations.RunPython(indexes_create, indexes_drop)]
