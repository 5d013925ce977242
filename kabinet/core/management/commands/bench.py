"""``kabinet bench <suite> ...``: run a benchmark suite.

Each suite lives in ``kabinet.benchmarks.<module>`` and exposes ``add_arguments(parser)`` and
``run(options, stdout) -> int``. To add one (e.g. ``promises``), add a line to ``SUITES``.

Bad input is refused with one line and a non-zero exit, never a traceback: a wrong option value
is a usage error (exit 2), a bad file or folder (``kabinet.benchmarks.inputs``) or a database
that is not migrated is an error (exit 1).
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection

SUITES: dict[str, tuple[str, str]] = {
    # name: (module, help)
    "priority": (
        "kabinet.benchmarks.priority",
        "weighted tardiness (OR-Library), agency plans vs greedy, re-weighting timings",
    ),
    "agency": (
        "kabinet.benchmarks.agency",
        "the planner on seeded agency scenarios: objective, seconds, gap to the best known",
    ),
    "promises": (
        "kabinet.benchmarks.promises",
        "promise detector: precision, recall and exact due times on the labelled corpus",
    ),
    "indexing": (
        "kabinet.benchmarks.indexing",
        "search indexing and promise detection of 10 KB, 100 KB and 1 MB bodies: linear growth",
    ),
    "pages": (
        "kabinet.benchmarks.pages",
        "the client's home against the chronology page: wall time and SQL queries per request",
    ),
    "api": (
        "kabinet.benchmarks.api",
        "the API's chronology list on long histories: first and tenth page against the old way",
    ),
    "load": (
        "kabinet.benchmarks.load",
        "throughput: simulated users on the page mix against gunicorn on loopback",
    ),
    "jobs": (
        "kabinet.benchmarks.jobs",
        "every periodic job once, then again with nothing changed: ms, queries, rows written",
    ),
}
# Suites that read or write the configured database.
DATABASE_SUITES = {"pages", "api", "load"}


def unmigrated() -> list[str]:
    """Migrations not applied to the configured database (all of them for an empty one)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


class Command(BaseCommand):
    help = "Run a benchmark suite: " + ", ".join(SUITES)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="bench", required=True, metavar="SUITE")
        for name, (module, text) in SUITES.items():
            sp = sub.add_parser(name, help=text)
            importlib.import_module(module).add_arguments(sp)

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["bench"]
        if name not in SUITES:
            raise CommandError(f"unknown bench {name!r}; choose from {', '.join(SUITES)}")
        module = importlib.import_module(SUITES[name][0])
        # A log line per timed request would be written (and timed) thousands of times; the
        # levels are put back afterwards (the command also runs inside other processes' tests).
        quiet = [logging.getLogger(logger) for logger in ("kabinet.request", "axes")]
        levels = [logger.level for logger in quiet]
        for logger in quiet:
            logger.setLevel(logging.WARNING)
        try:
            self._run(name, module, options)
        finally:
            for logger, level in zip(quiet, levels, strict=True):
                logger.setLevel(level)

    def _run(self, name: str, module: Any, options: dict[str, Any]) -> None:
        if name in DATABASE_SUITES:
            try:
                missing = unmigrated()
            except DatabaseError as exc:
                raise CommandError(f"bench {name}: the database cannot be read: {exc}") from None
            if missing:
                raise CommandError(
                    f"bench {name}: the database is not migrated ({len(missing)} migrations "
                    "to apply): run `kabinet migrate` and `kabinet demo --no-serve` first"
                )
        try:
            code = module.run(options, self.stdout)
        except SystemExit as exc:  # input problems reported by the suite
            raise CommandError(str(exc)) from None
        if code:
            raise CommandError(f"bench {name} failed with code {code}")
