"""Keep the Russian and English catalogs complete.

`kabinet i18n --update` regenerates every catalog (the project-wide one in kabinet/locale for the
core, clients, timeline apps and the shared templates; each other app's own app/locale);
`kabinet i18n --check` does the same in a scratch copy and fails when any Russian string is
missing or fuzzy — the test suite runs it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

import kabinet

PACKAGE = Path(kabinet.__file__).resolve().parent
LANGUAGES = ["ru", "en"]
NOT_SOURCE = ["e2e/*", "lib/*", "benchmarks/*", "*/tests/*", "*/migrations/*"]


def catalog_roots(package: Path) -> list[tuple[Path, list[str]]]:
    """(directory to run makemessages in, ignore patterns) for every catalog."""
    apps_with_own_catalog = sorted(
        p.parent for p in package.glob("*/locale") if p.parent != package and p.is_dir()
    )
    root_ignores = NOT_SOURCE + [f"{app.name}/*" for app in apps_with_own_catalog]
    roots = [(package, root_ignores)]
    roots += [(app, ["tests/*", "migrations/*", "management/*"]) for app in apps_with_own_catalog]
    return roots


def update(package: Path) -> None:
    import os

    for directory, ignores in catalog_roots(package):
        cwd = os.getcwd()
        os.chdir(directory)
        try:
            call_command(
                "makemessages",
                locale=LANGUAGES,
                ignore_patterns=ignores,
                no_location=True,
                no_obsolete=True,
                verbosity=0,
            )
        finally:
            os.chdir(cwd)


def problems(package: Path) -> list[str]:
    try:
        import polib  # a development tool (the `test` extra): only --check needs it
    except ImportError as exc:
        raise CommandError("`kabinet i18n --check` needs polib: pip install -e '.[test]'") from exc

    found = []
    for po_path in sorted(package.glob("**/locale/ru/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete:
                continue
            translated = (
                all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
            )
            if not translated or "fuzzy" in entry.flags:
                found.append(f"{po_path.relative_to(package)}: {entry.msgid!r}")
    return found


class Command(BaseCommand):
    help = "Regenerate (--update) or verify (--check) the Russian and English catalogs."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--update", action="store_true")
        group.add_argument("--check", action="store_true")

    def handle(self, *args, update_: bool = False, check: bool = False, **options):
        if options.get("update"):
            update(PACKAGE)
            missing = problems(PACKAGE)
            for line in missing:
                self.stdout.write(f"untranslated: {line}")
            return
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "kabinet"
            shutil.copytree(
                PACKAGE,
                copy,
                ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "data"),
            )
            update(copy)
            missing = problems(copy)
        if missing:
            raise CommandError("Russian translations missing or fuzzy:\n" + "\n".join(missing))
        self.stdout.write("Catalogs complete.")
