"""API authentication: the browser session, or a personal token (Authorization: Bearer kab_...).

Either way the request ends with a Viewer, and every handler reads through the same scoped
selectors as the pages, so the API can never show more than the page would.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from ninja.security import APIKeyCookie, HttpBearer

from kabinet.core.scoping import Viewer, viewer_for
from kabinet.core.services import user_for_api_key


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Viewer | None:
        user = user_for_api_key(key=token)
        viewer = viewer_for(user)
        if viewer is not None:
            request.user = user
            request.viewer = viewer
            # Texts Kabinet generates (titles) come in the token owner's language, as on the pages.
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        return viewer


class SessionAuth(APIKeyCookie):
    """The logged-in browser session (CSRF-checked for unsafe methods)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Viewer | None:
        viewer = viewer_for(request.user)
        if viewer is not None:
            request.viewer = viewer
        return viewer


AUTH = [TokenAuth(), SessionAuth()]
