from typing import Any

from django.core.management.base import BaseCommand

from gendan.crm.keeping import figures_rebuild, period_roll_due


class Command(BaseCommand):
    help = "Recompute every customer's CRM figures from the recorded events."

    def handle(self, *args: Any, **options: Any) -> None:
        period_roll_due()
        count = figures_rebuild()
        self.stdout.write(f"Figures rebuilt for {count} customers.")
