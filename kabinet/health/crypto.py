"""Secrets at rest: connection tokens are stored encrypted with Fernet (the `cryptography` package).

The key comes from settings:

- `KABINET_ENCRYPTION_KEY` (environment), one or more Fernet keys separated by commas
  (`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`).
  The first encrypts; every one of them decrypts, so a key can be rotated by putting the new one
  first and re-saving the tokens (or simply keeping the old one in the list).
- Without it, one key is derived from `SECRET_KEY` with HKDF-SHA256 (info "kabinet connection
  tokens"): then changing SECRET_KEY makes the stored tokens unreadable, and every connection
  asks for a new token (its state becomes "needs a new token"; no point is lost).
"""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

HKDF_INFO = b"kabinet connection tokens"


class SecretUnreadable(Exception):
    """The stored secret cannot be decrypted with the configured keys."""


def _derived_key(secret_key: str) -> bytes:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        secret_key.encode()
    )
    return base64.urlsafe_b64encode(raw)


@cache
def _fernet(configured: str, secret_key: str) -> MultiFernet:
    keys = [k.strip() for k in configured.split(",") if k.strip()]
    fernets = [Fernet(k.encode()) for k in keys] or [Fernet(_derived_key(secret_key))]
    return MultiFernet(fernets)


def fernet() -> MultiFernet:
    return _fernet(getattr(settings, "KABINET_ENCRYPTION_KEY", "") or "", settings.SECRET_KEY)


def encrypt(plain: str) -> str:
    return fernet().encrypt(plain.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise SecretUnreadable from exc
