from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kabinet.core import backup


class Command(BaseCommand):
    help = "Write the database, uploaded files and search index to one archive (PATH, a .tar)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options) -> None:
        try:
            manifest = backup.backup(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup of the {manifest['vendor']} database and {manifest['files']} files "
                f"written to {path}."
            )
        )
