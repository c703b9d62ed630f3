from typing import Any

from django.core.management.base import BaseCommand

from gendan.crm.keeping import period_roll, period_start_current


class Command(BaseCommand):
    help = (
        "Move the RFM period to today: purchases that left it are taken off the figures. "
        "Run it daily soon after midnight (batches of events also do it when due)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        before = period_start_current()
        after = period_roll()
        self.stdout.write(f"RFM period starts {after:%Y-%m-%d} (was {before:%Y-%m-%d}).")
