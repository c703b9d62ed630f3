from django.db import migrations

# On PostgreSQL the adds to cart of each statement are counted per item and day by the
# database too (E-12), beside the figures' trigger of migration 0004, so that a file imported
# by COPY and INSERT ... SELECT (gendan.crm.copying) is counted without Python reading it.
# It does what gendan.crm.keeping.item_days_add does on SQLite.
COUNT_CARTS = r"""
CREATE OR REPLACE FUNCTION crm_event_count_carts() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    tz text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM new_events WHERE kind = 'add_to_cart' AND item <> '') THEN
        RETURN NULL;
    END IF;
    SELECT time_zone INTO tz FROM crm_figuresstate WHERE id = 1;
    INSERT INTO crm_itemday (item, day, carts)
    SELECT item, (at AT TIME ZONE tz)::date, count(*) FROM new_events
    WHERE kind = 'add_to_cart' AND item <> ''
    GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (item, day) DO UPDATE SET carts = crm_itemday.carts + excluded.carts;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER crm_event_count_carts AFTER INSERT ON crm_event
REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT
EXECUTE FUNCTION crm_event_count_carts();
"""

DROP_COUNT_CARTS = """
DROP TRIGGER IF EXISTS crm_event_count_carts ON crm_event;
DROP FUNCTION IF EXISTS crm_event_count_carts();
"""


def trigger_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(COUNT_CARTS)


def trigger_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_COUNT_CARTS)


class Migration(migrations.Migration):
    dependencies = [("crm", "0007_event_customer_index_dropped")]

    operations = [migrations.RunPython(trigger_create, trigger_drop)]
