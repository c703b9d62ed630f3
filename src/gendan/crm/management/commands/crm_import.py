from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gendan.crm.imports import events_import


class Command(BaseCommand):
    help = "Import a CSV file of shop events (all lines or none; see the README for the columns)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        with path.open("rb") as file:
            try:
                count = events_import(file)
            except ValidationError as error:
                raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(f"{count} events recorded.")
