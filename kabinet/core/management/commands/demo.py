from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from kabinet.core import demo


class Command(BaseCommand):
    help = "Build the demo agency (idempotent) and, unless --no-serve, start Kabinet with it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=int, default=1, help="multiply the client companies (for benchmarks)"
        )
        parser.add_argument("--no-serve", action="store_true", help="only build the data")
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, scale: int, no_serve: bool, addr: str, **options) -> None:
        if scale < 1:
            self.stderr.write("--scale must be 1 or more.")
            raise SystemExit(2)
        ctx = demo.build(scale=scale)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo agency “{ctx.agency.name}”: {len(ctx.companies)} client companies, "
                f"{len(ctx.new_projects)} projects built now."
            )
        )
        banner = logins_text(addr)
        self.stdout.write(banner)
        self.stdout.flush()
        if not no_serve:
            call_command("run", addr=addr, banner=banner)


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
    return "\n".join(lines) + "\n"
