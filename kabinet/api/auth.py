"""API authentication and rate limits.

Authentication: a personal token (``Authorization: Bearer kab_...``, kabinet.api.tokens) or the
browser session (CSRF-checked for unsafe methods). Either way the request ends with a Viewer, and
every handler reads through the same scoped selectors as the pages, so the API can never show
more than the page would.

Rate limits (django-ninja's throttles over the Django cache; rates in settings ``API_RATE_*``):
per token (or signed-in user), per address, and wrong tokens per address. Over a limit the answer
is 429 with ``Retry-After`` (kabinet.core.errors).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja.errors import Throttled
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import SimpleRateThrottle

from kabinet.api.tokens import authenticate
from kabinet.core.scoping import Viewer, viewer_for


class SettingsRateThrottle(SimpleRateThrottle):
    """A throttle whose rate is read from a Django setting at each request (tests lower it)."""

    setting = ""

    def __init__(self) -> None:
        super().__init__(rate=getattr(settings, self.setting))

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class TokenRateThrottle(SettingsRateThrottle):
    """Requests per token; a browser session counts per user."""

    scope = "api_token"
    setting = "API_RATE_TOKEN"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "api_token", None)
        if token is not None:
            ident = f"t{token.pk}"
        elif getattr(request, "user", None) is not None and request.user.is_authenticated:
            ident = f"u{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AddressRateThrottle(SettingsRateThrottle):
    """Requests per client address, whatever the credentials."""

    scope = "api_ip"
    setting = "API_RATE_IP"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class BadTokenThrottle(AddressRateThrottle):
    """Wrong, expired or revoked tokens per address: guessing keys is stopped with 429."""

    scope = "api_bad_token"
    setting = "API_RATE_BAD_TOKEN"


THROTTLES = [TokenRateThrottle(), AddressRateThrottle()]
_bad_tokens = BadTokenThrottle()


def _speak_the_users_language(request: HttpRequest, language: str) -> None:
    # Texts Kabinet generates (titles) come in the token owner's language, as on the pages.
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Viewer | None:
        found = authenticate(key=token)
        if found is None:
            if not _bad_tokens.allow_request(request):
                raise Throttled(wait=_bad_tokens.wait() or _bad_tokens.duration)
            return None
        request.user = found.viewer.user
        request.viewer = found.viewer
        request.api_token = found.token
        _speak_the_users_language(request, found.viewer.user.language)
        return found.viewer


class SessionAuth(APIKeyCookie):
    """The logged-in browser session (CSRF-checked for unsafe methods)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Viewer | None:
        viewer = viewer_for(request.user)
        if viewer is not None:
            request.viewer = viewer
        return viewer


AUTH = [TokenAuth(), SessionAuth()]
