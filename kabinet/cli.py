"""The `kabinet` console command: Django's manage.py under the product's name."""

from __future__ import annotations

import os
import sys

# Commands that touch no database and sign nothing: without a SECRET_KEY they run on
# `kabinet.settings_nosecret` (a one-process random key) instead of refusing to start.
# (command, first positional argument or None for any)
NO_SECRET_COMMANDS = {
    ("promises", "detect"),
    ("i18n", None),
    ("help", None),
    ("version", None),
}


def needs_no_secret(args: list[str]) -> bool:
    positional = [a for a in args if not a.startswith("-")]
    if not positional:  # `kabinet`, `kabinet --help`, `kabinet --version`
        return True
    command, action = positional[0], positional[1] if len(positional) > 1 else None
    return (command, None) in NO_SECRET_COMMANDS or (command, action) in NO_SECRET_COMMANDS


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not os.environ.get("SECRET_KEY") and needs_no_secret(args):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kabinet.settings_nosecret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kabinet.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kabinet", *args])


if __name__ == "__main__":
    main()
