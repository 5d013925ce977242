"""Personal API tokens: created, listed, revoked; checked on every API request.

A key is ``kab_`` + 43 random URL-safe characters (256 bits). Only its SHA-256 is stored (a slow
password hash buys nothing for a random key of that length, and the lookup stays one indexed
query); the key itself is shown once, at creation. A token:

- acts as its owner, with the owner's role and scope **in the agency it was created in** (a person
  who belongs to two agencies gets a token per agency; the token never follows the "first"
  membership);
- may expire (``expires_at``); an expired or revoked token is refused like a wrong one (401);
- is revoked when its owner's password changes or the owner is deactivated (``on_user_saved``,
  connected in ``ApiConfig.ready`` and listed in ``kabinet/core/signals.py``);
- remembers when it was last used, written at most once a minute (not one write per request).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.core.models import Agency, ApiToken, Membership, User
from kabinet.core.scoping import Viewer
from kabinet.core.services import audit

MAX_DAYS = 3650
NAME_MAX = 100


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(
    *, user: User, agency: Agency, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token of `user` bound to `agency`; returns the row and the key (never stored)."""
    name = (name or "").strip() or "API"
    if len(name) > NAME_MAX:
        raise ValidationError(
            {"name": _("The name is at most %(n)d characters.") % {"n": NAME_MAX}}
        )
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_DAYS:
        raise ValidationError(
            {"expires": _("A token lasts from 1 to %(n)d days.") % {"n": MAX_DAYS}}
        )
    if not user.is_active:
        raise ValidationError({"user": _("This user is deactivated.")})
    if not Membership.objects.filter(user=user, agency=agency).exists():
        raise ValidationError({"agency": _("The user does not belong to this agency.")})
    key = "kab_" + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        agency=agency,
        user=user,
        name=name,
        prefix=key[:12],
        key_hash=_hash(key),
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    audit(
        agency=agency,
        actor=user,
        verb="api_token_created",
        obj=token,
        name=name,
        expires_at=str(token.expires_at),
    )
    return token, key


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """Every token of the user, newest first (revoked and expired ones too, marked as such)."""
    return (
        ApiToken.objects.filter(user=user).select_related("agency").order_by("-created_at", "-pk")
    )


def revoke_token(*, token: ApiToken, actor: User | None = None, user: User | None = None) -> bool:
    """Revoke one token; with `user`, only if it is theirs (someone else's token is a 404).

    Returns False when it was already revoked (revoking twice changes nothing).
    """
    if user is not None and token.user_id != user.pk:
        raise PermissionDenied
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if changed:
        audit(
            agency=token.agency,
            actor=actor or user,
            verb="api_token_revoked",
            obj=token,
            name=token.name,
        )
    return bool(changed)


def revoke_all(*, user: User, reason: str) -> int:
    """Revoke every live token of the user (password changed, user deactivated)."""
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    tokens = list(live.select_related("agency"))
    count = live.update(revoked_at=timezone.now())
    for token in tokens:
        audit(
            agency=token.agency,
            actor=None,
            verb="api_token_revoked",
            obj=token,
            name=token.name,
            reason=reason,
        )
    return count


def on_user_saved(sender, instance: User, created: bool = False, **kwargs) -> None:
    """post_save of the user: a new password or a deactivation revokes the user's tokens.

    ``AbstractBaseUser.set_password`` keeps the new raw password in ``_password`` until the save
    has gone through, so inside post_save it tells that this save changed the password.
    """
    if created:
        return
    if getattr(instance, "_password", None) is not None:
        revoke_all(user=instance, reason="password_changed")
    elif not instance.is_active:
        revoke_all(user=instance, reason="deactivated")


@dataclass(frozen=True)
class Authenticated:
    token: ApiToken
    viewer: Viewer

    def __str__(self) -> str:  # the key django-ninja's throttles count by
        return f"token:{self.token.pk}"


def authenticate(*, key: str) -> Authenticated | None:
    """The token behind `key` and its owner as a viewer of the token's agency, or None."""
    if not key.startswith("kab_") or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "agency")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    now = timezone.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    membership = (
        Membership.objects.filter(user=token.user, agency=token.agency)
        .select_related("agency")
        .first()
    )
    if membership is None:  # left the agency: the token no longer opens anything
        return None
    touch = timedelta(seconds=settings.API_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is None or token.last_used_at <= now - touch:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    viewer = Viewer(
        user=token.user,
        agency=membership.agency,
        role=membership.role,
        company_id=membership.company_id,
    )
    return Authenticated(token=token, viewer=viewer)


def state(*, token: ApiToken, now=None) -> str:
    """ "active", "expired" or "revoked" (for the lists)."""
    now = now or timezone.now()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"
