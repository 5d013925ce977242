"""``kabinet health <action>``: the understanding index from the command line.

- ``kabinet health snapshots [--days N]`` stores today's index of every project and client
  company (what the daily job does), or the last N days' as they stood then (a backfill);
- ``kabinet health backtest [--agency SLUG] [--departures file.csv] [--lead-days 30]
  [--out var/bench/backtest.json] [--report var/bench/backtest.md] [--dry-run]`` reports how well
  the index separated the clients who left and proposes weights for the head.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kabinet.core.models import Agency


class Command(BaseCommand):
    help = "The understanding index: daily snapshots and the backtest on the clients who left."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        snaps = sub.add_parser("snapshots", help="store the index of every project and client")
        snaps.add_argument("--agency", help="the agency's slug (default: every agency)")
        snaps.add_argument(
            "--days", type=int, default=1, help="also the days before, as they stood (backfill)"
        )
        bt = sub.add_parser("backtest", help="ROC AUC on the clients who left; proposed weights")
        bt.add_argument("--agency", help="the agency's slug (needed when there are several)")
        bt.add_argument("--departures", help="CSV with the columns company,left_on (YYYY-MM-DD)")
        bt.add_argument("--lead-days", type=int, default=30)
        bt.add_argument("--out", default="var/bench/backtest.json")
        bt.add_argument("--report", default="var/bench/backtest.md")
        bt.add_argument(
            "--dry-run", action="store_true", help="do not store the proposed weights for the head"
        )

    def _agencies(self, slug: str | None) -> list[Agency]:
        if slug:
            agency = Agency.objects.filter(slug=slug).first()
            if agency is None:
                known = ", ".join(Agency.objects.values_list("slug", flat=True)) or "none"
                raise CommandError(f"--agency: no agency {slug!r} (known: {known})")
            return [agency]
        return list(Agency.objects.order_by("pk"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "snapshots":
            self._snapshots(options)
        else:
            self._backtest(options)

    def _snapshots(self, options: dict) -> None:
        from kabinet.health.understanding import take_snapshots

        days = options["days"]
        if not 1 <= days <= 400:
            raise CommandError("--days: between 1 and 400")
        for agency in self._agencies(options.get("agency")):
            tz = agency.calendar().tz
            today = timezone.localdate(timezone.now(), tz)
            stored = 0
            for back in range(days - 1, -1, -1):
                day = today - timedelta(days=back)
                at = timezone.now() if back == 0 else datetime.combine(day, time(23, 0), tzinfo=tz)
                stored += take_snapshots(agency, at, alarms=back == 0)
            self.stdout.write(f"{agency.slug}: {stored} snapshots over {days} day(s)")

    def _backtest(self, options: dict) -> None:
        from kabinet.health import backtest

        agencies = self._agencies(options.get("agency"))
        if len(agencies) != 1:
            if options.get("agency") is None:
                with_departures = [
                    a for a in agencies if a.companies.filter(left_on__isnull=False).exists()
                ]
                if len(with_departures) == 1:
                    agencies = with_departures
            if len(agencies) != 1:
                slugs = ", ".join(a.slug for a in agencies) or "none"
                raise CommandError(f"name the agency with --agency (one of: {slugs})")
        lead = options["lead_days"]
        if not 1 <= lead <= 365:
            raise CommandError("--lead-days: between 1 and 365")
        csv_path = Path(options["departures"]) if options.get("departures") else None
        try:
            data = backtest.run(
                agencies[0], csv_path=csv_path, lead_days=lead, propose=not options["dry_run"]
            )
        except backtest.BacktestError as exc:
            raise CommandError(str(exc)) from exc
        out, report_path = Path(options["out"]), Path(options["report"])
        backtest.write(data, out, report_path)
        self.stdout.write(backtest.report(data))
        self.stdout.write(f"written to {out} and {report_path}")
