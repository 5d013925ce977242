from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kabinet.core import demo, locks
from kabinet.core import scale as bulk


class Command(BaseCommand):
    help = "Build the demo agency (idempotent) and, unless --no-serve, start Kabinet with it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            default="",
            help="also build agency-scale history: 10k, 100k or 1m chronology events "
            "(or a number of events); built once per database",
        )
        parser.add_argument("--no-serve", action="store_true", help="only build the data")
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, scale: str, no_serve: bool, addr: str, **options) -> None:
        events = 0
        if scale:
            try:
                events = bulk.parse_size(scale)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        # Two demo runs at once (two terminals, two containers) wait for each other: the second
        # finds everything built and adds nothing.
        with locks.exclusive("demo"):
            self.build(events, started)
        banner = logins_text(addr)
        self.stdout.write(banner)
        self.stdout.flush()
        if not no_serve:
            call_command("run", addr=addr, banner=banner)

    def build(self, events: int, started: float) -> None:
        ctx = demo.build()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo agency “{ctx.agency.name}”: {len(ctx.companies)} client companies, "
                f"{len(ctx.new_projects)} projects built now."
            )
        )
        if events:
            shape = bulk.Shape.for_events(events)
            if bulk.already_built(ctx.agency):
                self.stdout.write("Agency-scale history is already there: nothing added.")
            else:
                self.stdout.write(f"Agency-scale history: {bulk.describe(shape)}")
                counts = bulk.build(ctx.agency, events, now=ctx.now, progress=True)
                done = ", ".join(f"{k} {v:,}" for k, v in counts.items())
                self.stdout.write(
                    self.style.SUCCESS(f"Built {done} in {time.perf_counter() - started:.0f} s.")
                )


def logins_text(addr: str) -> str:
    rows = [
        ("Marina (client, ТехноДом)", "marina@client.example"),
        ("Oleg (client, Зелёный Сад)", "oleg@client2.example"),
        ("Sergey (account manager)", "sergey@agency.example"),
        ("Viktoria (SEO specialist)", "viktoria@agency.example"),
        ("Head of accounts (also /admin/)", "head@agency.example"),
        ("Head of another agency (Вектор)", "head@vektor.example"),
    ]
    lines = [f"\nOpen http://{addr}/ and log in — every demo password is {demo.PASSWORD}"]
    lines += [f"  {label:<34} {email}" for label, email in rows]
    lines.append(
        f"The API: http://{addr}/api/v1/docs — a token for a program: "
        'kabinet tokens create marina@client.example "BI export" --expires 30'
    )
    return "\n".join(lines) + "\n"
