from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gendan.core.backups import BackupRefused, backup_restore


class Command(BaseCommand):
    help = "Restore a backup written by `gendan backup` into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a backup written by `gendan backup`")
        parser.add_argument(
            "--force", action="store_true", help="replace what a non-empty database holds"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(options["file"], force=options["force"])
        except BackupRefused as error:
            raise CommandError(str(error)) from error
        done = _("Restored the backup of %(created_at)s (gendan %(version)s).")
        names = {"created_at": manifest["created_at"], "version": manifest["gendan_version"]}
        self.stdout.write(done % names)
