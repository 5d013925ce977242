"""What the two Google connectors share: the error body and the OAuth access token.

Google's REST errors are {"error": {"code", "message", "status", "details": [...]}}: status
UNAUTHENTICATED (401) is a token to replace, RESOURCE_EXHAUSTED (429) and UNAVAILABLE/INTERNAL
(5xx) are transient, anything else (INVALID_ARGUMENT, PERMISSION_DENIED, NOT_FOUND) is refused.

Google access tokens live an hour. When the agency's OAuth client is configured
(KABINET_GOOGLE_OAUTH_CLIENT_ID / _SECRET), the stored token is a refresh token, exchanged at
https://oauth2.googleapis.com/token for an access token at every pull ("invalid_grant" there means
the refresh token was revoked or expired: a new token is needed). Without the client, the stored
token is used as an access token as it is.
"""

from __future__ import annotations

import httpx
from django.conf import settings

from kabinet.health.connectors import (
    Connector,
    Params,
    Refused,
    RetryLater,
    SourceError,
    TokenInvalid,
    json_of,
    retry_after_of,
)

TOKEN_URL = "https://oauth2.googleapis.com/token"


def google_error(response: httpx.Response) -> SourceError:
    err = json_of(response).get("error")
    if not isinstance(err, dict):
        err = {}
    status = str(err.get("status") or "")
    reasons = []
    for detail in err.get("details") or []:
        for item in detail.get("errors") or [] if isinstance(detail, dict) else []:
            code = item.get("errorCode") or {}
            reasons.extend(f"{k}={v}" for k, v in code.items())
    text = f"HTTP {response.status_code} {status}: {err.get('message', '')}".strip()
    if reasons:
        text += f" ({', '.join(reasons)})"
    wait = retry_after_of(response)
    if status == "UNAUTHENTICATED" or response.status_code == 401:
        return TokenInvalid(text)
    if status in {"RESOURCE_EXHAUSTED", "UNAVAILABLE", "INTERNAL", "DEADLINE_EXCEEDED"}:
        return RetryLater(text, retry_after=wait)
    if response.status_code == 429 or response.status_code >= 500:
        return RetryLater(text, retry_after=wait)
    return Refused(text)


class GoogleConnector(Connector):
    def access_token(self, http: httpx.Client, params: Params) -> str:
        client_id = settings.KABINET_GOOGLE_OAUTH_CLIENT_ID
        secret = settings.KABINET_GOOGLE_OAUTH_CLIENT_SECRET
        if not (client_id and secret):
            return params.token
        response = self.call(
            http,
            "POST",
            TOKEN_URL,
            data={
                "grant_type": "refresh_token",
                "refresh_token": params.token,
                "client_id": client_id,
                "client_secret": secret,
            },
        )
        body = json_of(response)
        if response.status_code == 200 and body.get("access_token"):
            return str(body["access_token"])
        text = f"HTTP {response.status_code}: {body.get('error', '')} {body.get('error_description', '')}"
        if body.get("error") in {"invalid_grant", "unauthorized_client", "invalid_client"}:
            return_error: SourceError = TokenInvalid(text.strip())
        elif response.status_code == 429 or response.status_code >= 500:
            return_error = RetryLater(text.strip(), retry_after=retry_after_of(response))
        else:
            return_error = Refused(text.strip())
        raise return_error
