from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kabinet.core import backup


class Command(BaseCommand):
    help = "Restore a `kabinet backup` archive into the configured (empty) database and media."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args, path: Path, replace: bool, **options) -> None:
        try:
            manifest = backup.restore(path, replace=replace)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} ({manifest['files']} files)."
            )
        )
