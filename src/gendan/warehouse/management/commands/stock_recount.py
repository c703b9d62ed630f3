from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gendan.warehouse.services.recount import differences_text, stock_recount


class Command(BaseCommand):
    help = (
        "Recount every stock level and batch's sellable on hand from the stock moves; report "
        "the differences (exit 1 when there are any), and with --fix correct them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fix", action="store_true", help="set the figures to the ledger's (audited)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        differences = stock_recount(fix=options["fix"])
        for line in differences_text(differences):
            self.stdout.write(line)
        if not differences:
            self.stdout.write(_("The stock figures agree with the ledger."))
        elif options["fix"]:
            self.stdout.write(
                _("%(count)s figures corrected from the ledger.") % {"count": len(differences)}
            )
        else:
            raise CommandError(
                _("%(count)s figures differ from the ledger; run with --fix to correct them.")
                % {"count": len(differences)}
            )
