import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.logistics.services.plans import plan_make


class Command(BaseCommand):
    help = (
        "O-43: plan a day's booked drops on the trucks (default: tomorrow), as the evening "
        "before's cron job does; a published day is left as it is (reopen it on the page)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", type=dt.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--seconds", type=float, help="the planner's time limit")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["day"] or timezone.localdate() + dt.timedelta(days=1)
        try:
            plan = plan_make(actor=None, day=day, seconds=options["seconds"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        planned = plan.drops.filter(route__isnull=False).count()
        self.stdout.write(
            _("%(day)s: %(planned)s drops on trucks, %(unplanned)s not planned (%(solver)s).")
            % {
                "day": day,
                "planned": planned,
                "solver": plan.solver or "-",
                "unplanned": plan.drops.count() - planned,
            }
        )
