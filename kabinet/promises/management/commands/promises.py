"""`kabinet promises detect`: find promises in messages read from standard input.

    kabinet promises detect --now 2026-11-26T10:00:00+03:00 --tz Europe/Moscow --json < messages.txt

One message per line; prints one result per line (a JSON array with --json). The logic lives in
`kabinet.lib.promise_detector.run_detect`, so it is tested without Django.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kabinet.lib.promise_detector import add_detect_arguments, run_detect


class Command(BaseCommand):
    help = "Promises to clients: `detect` finds promises and their due times in text on stdin."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{detect}")
        detect = sub.add_parser(
            "detect",
            help="read one message per line on stdin and print the promises found",
        )
        add_detect_arguments(detect)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "detect":  # pragma: no cover - argparse rejects it first
            raise CommandError(f"unknown action {options['action']!r}")

        class _Err:
            message = ""

            def write(self, text: str) -> None:
                self.message += text

        err = _Err()
        code = run_detect(options, sys.stdin, self.stdout, err)  # type: ignore[arg-type]
        if code:
            raise CommandError(err.message.removeprefix("error: ").strip(), returncode=code)
