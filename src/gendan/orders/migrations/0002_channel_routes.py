"""O-30: decoration firms, group buys and walk-in owners follow the route closest to them.

These rows are the defaults; change them in the admin (Channel routes).
"""

from django.db import migrations

DEFAULTS = [
    # A decoration firm with a standing agreement pays per contract, like a project.
    ("decorator", False, "project"),
    ("decorator", True, "project_install"),
    # Group buys and the company's own homeowners pay before dispatch or on delivery.
    ("group_buy", False, "dealer"),
    ("group_buy", True, "dealer_install"),
    ("retail", False, "dealer"),
    ("retail", True, "dealer_install"),
    ("online", False, "dealer"),
    ("online", True, "dealer_install"),
    ("homeowner", False, "dealer"),
    ("homeowner", True, "dealer_install"),
]


def forwards(apps, schema_editor):
    ChannelRoute = apps.get_model("orders", "ChannelRoute")
    for channel, with_installation, route in DEFAULTS:
        ChannelRoute.objects.get_or_create(
            channel=channel, with_installation=with_installation, defaults={"route": route}
        )


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
