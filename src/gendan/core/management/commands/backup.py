from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gendan.core.backups import BackupRefused, backup_write


class Command(BaseCommand):
    help = "Write the database and the uploaded files into one backup file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file to write (a tar archive)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_write(options["file"])
        except BackupRefused as error:
            raise CommandError(str(error)) from error
        done = _("Backup of the %(database)s database and the uploaded files written to %(file)s.")
        self.stdout.write(done % {"database": manifest["database"], "file": options["file"]})
