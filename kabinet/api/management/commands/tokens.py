"""`kabinet tokens create|list|revoke`: personal API tokens from the command line.

    kabinet tokens create EMAIL NAME [--expires DAYS] [--agency SLUG]   # prints the key, once
    kabinet tokens list EMAIL
    kabinet tokens revoke ID

`create` prints only the key on standard output (so a script can capture it); everything else
goes to standard error. Without --agency the token is bound to the user's only agency; a user of
several agencies must name one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kabinet.api import tokens
from kabinet.core.models import Agency, ApiToken, User


def _user(email: str) -> User:
    try:
        return User.objects.get(email__iexact=email.strip())
    except User.DoesNotExist:
        raise CommandError(f"No user with the e-mail {email}.") from None


def _agency(user: User, slug: str | None) -> Agency:
    agencies = Agency.objects.filter(memberships__user=user).distinct()
    if slug:
        try:
            return agencies.get(slug=slug)
        except Agency.DoesNotExist:
            raise CommandError(f"{user.email} is not a member of an agency “{slug}”.") from None
    found = list(agencies[:2])
    if not found:
        raise CommandError(f"{user.email} belongs to no agency.")
    if len(found) > 1:
        slugs = ", ".join(agencies.values_list("slug", flat=True))
        raise CommandError(f"{user.email} belongs to several agencies: add --agency ({slugs}).")
    return found[0]


class Command(BaseCommand):
    help = "Create, list and revoke personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print its key (shown once)")
        create.add_argument("email")
        create.add_argument("name", help="what the token is for")
        create.add_argument("--expires", type=int, metavar="DAYS", help="expire after DAYS days")
        create.add_argument("--agency", metavar="SLUG", help="the agency it acts in")
        listing = sub.add_parser("list", help="a user's tokens (never their keys)")
        listing.add_argument("email")
        revoke = sub.add_parser("revoke", help="revoke a token by its id (from `list`)")
        revoke.add_argument("id", type=int)

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _create(self, *, email: str, name: str, expires: int | None, agency: str | None, **_):
        user = _user(email)
        try:
            token, key = tokens.create_token(
                user=user, agency=_agency(user, agency), name=name, expires_in_days=expires
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        until = f", expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else ""
        self.stderr.write(
            f"Token {token.pk} “{token.name}” for {user.email} in {token.agency.slug}{until}."
        )
        self.stderr.write("The key is shown once; keep it secret:")
        self.stdout.write(key)

    def _list(self, *, email: str, **_):
        now = timezone.now()
        rows = tokens.tokens_of(user=_user(email))
        if not rows:
            self.stderr.write("No tokens.")
        for t in rows:
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            expires = f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "never"
            self.stdout.write(
                f"{t.pk}\t{t.prefix}…\t{t.name}\t{t.agency.slug}\t{tokens.state(token=t, now=now)}"
                f"\tcreated {t.created_at:%Y-%m-%d}\texpires {expires}\tlast used {used}"
            )

    def _revoke(self, *, id: int, **_):
        try:
            token = ApiToken.objects.select_related("agency").get(pk=id)
        except ApiToken.DoesNotExist:
            raise CommandError(f"No token {id}.") from None
        if tokens.revoke_token(token=token):
            self.stderr.write(f"Token {id} “{token.name}” revoked.")
        else:
            self.stderr.write(f"Token {id} was already revoked.")
