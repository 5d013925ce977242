"""Connectors to the reporting APIs agencies use: Yandex Metrica, Yandex Direct, GA4, Google Ads.

Why plain HTTP with `httpx` and not the vendors' client libraries: Yandex publishes no maintained
Python client for the Metrica Reporting API or the Direct Reports API (both are documented as
plain HTTPS + JSON/TSV). Google's `google-analytics-data` and `google-ads` are gRPC stacks
(grpcio, protobuf, proto-plus, google-auth and, for Ads, ~100 MB of generated code per API
version) for what is here one POST per page of a daily report; both APIs document the same calls
as REST (`runReport`, `googleAds:search`). One small HTTP client for all four keeps the install
light, and `httpx.MockTransport` replays the recorded responses of the tests
(kabinet/health/tests/data/) without a network.

Each connector turns a `Params` (account, decrypted token, the KPI → source field mapping) and a
range of days into `PointIn`s, reading every page first: it writes nothing, so a failure half-way
loses no stored point. Failures are one of three kinds the sync (`services.sync_connection`) acts
on:

- `TokenInvalid` — expired, revoked or wrong token: the connection "needs a new token", the head is
  told once, and nothing is retried until a person saves a new token;
- `RetryLater` — HTTP 5xx, 429, quota/units exhausted, "report is being built": tried again later
  with a growing back-off (or the API's own `retry_after`);
- `Refused` — the request itself is wrong (no such counter, unknown field): the error is shown and
  retried at the longest back-off, in case the access is fixed on the source's side.

A mapping value is the source's field, optionally followed by `|` and one filter, e.g.
`ym:s:visits | ym:s:lastTrafficSource=='organic'` (Metrica), `Clicks | CampaignType=TEXT_CAMPAIGN`
(Direct), `sessions | sessionDefaultChannelGroup=Organic Search` (GA4),
`metrics.clicks | campaign.advertising_channel_type = 'SEARCH'` (Google Ads).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import httpx

from kabinet.health.services import PointIn

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
# The tests put an httpx.MockTransport here (see kabinet/health/tests/conftest.py).
TRANSPORT: httpx.BaseTransport | None = None


def http_client() -> httpx.Client:
    return httpx.Client(
        transport=TRANSPORT, timeout=TIMEOUT, headers={"User-Agent": "Kabinet KPI sync"}
    )


class SourceError(Exception):
    def __init__(self, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class TokenInvalid(SourceError):
    """The token is expired, revoked or not accepted: a person must enter a new one."""


class RetryLater(SourceError):
    """A transient failure (5xx, 429, quota, a report still being built): try again later."""


class Refused(SourceError):
    """The source refuses the request as asked (account, field, filter): a person must fix it."""


@dataclass(frozen=True)
class Field:
    name: str
    filter: str = ""


def parse_field(raw: str) -> Field:
    name, _sep, flt = str(raw).partition("|")
    return Field(name=name.strip(), filter=flt.strip())


@dataclass(frozen=True)
class Params:
    account: str
    token: str
    mapping: Mapping[str, str]  # KPI key → source field (with an optional "| filter")
    manager_account: str = ""

    def groups(self) -> dict[str, list[tuple[str, str]]]:
        """Fields asked together: one request (or report) per distinct filter, in the order of the
        KPI keys (a JSON column need not keep the order it was saved in)."""
        out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key, raw in sorted(self.mapping.items()):
            field = parse_field(raw)
            if field.name:
                out[field.filter].append((key, field.name))
        return dict(out)


def number(raw: object) -> Decimal:
    """A value as the APIs write it: 12, "12", "12.5", "--" (Direct's "none")."""
    if raw in (None, "", "--"):
        return Decimal(0)
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise Refused(f"unexpected value {raw!r} in the response") from exc
    return value if value.is_finite() else Decimal(0)


def retry_after_of(response: httpx.Response) -> int | None:
    raw = response.headers.get("Retry-After") or response.headers.get("retryIn")
    try:
        return max(1, int(float(raw))) if raw else None
    except ValueError:
        return None


def json_of(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def generic_error(response: httpx.Response, message: str) -> SourceError:
    """What an HTTP status means when the body says nothing more specific."""
    status = response.status_code
    text = f"HTTP {status}: {message}".strip().rstrip(":")
    if status == 401:
        return TokenInvalid(text)
    if status == 429 or status >= 500:
        return RetryLater(text, retry_after=retry_after_of(response))
    return Refused(text)


class Connector:
    key: str
    label: str
    # An example of the mapping, shown in the form.
    example: str = ""

    def pull(self, http: httpx.Client, params: Params, start: date, end: date) -> list[PointIn]:
        raise NotImplementedError

    def call(self, http: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
        """One request; a network failure is transient."""
        try:
            return http.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise RetryLater(f"{type(exc).__name__}: {exc}") from exc


def by_day(rows: list[tuple[str, date, Decimal]]) -> list[PointIn]:
    """Sum the values of one KPI and day (campaign rows, several pages) into one point each."""
    totals: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    for key, day, value in rows:
        totals[(key, day)] += value
    return [PointIn(metric_key=k, date=d, value=v) for (k, d), v in sorted(totals.items())]


REGISTRY: dict[str, Connector] = {}


def register(connector: Connector) -> Connector:
    REGISTRY[connector.key] = connector
    return connector


def get(key: str) -> Connector:
    from kabinet.health.connectors import ga4, google_ads, yandex_direct, yandex_metrica  # noqa: F401

    return REGISTRY[key]


def all_connectors() -> list[Connector]:
    get("ga4")  # imports the four modules, which register themselves
    return [REGISTRY[k] for k in sorted(REGISTRY)]


def params_of(connection, keys: set[str] | None = None) -> Params:
    """The decrypted parameters of a stored connection (only the KPIs in `keys` when given)."""
    from kabinet.health import crypto

    try:
        token = crypto.decrypt(connection.token_encrypted)
    except crypto.SecretUnreadable:
        raise TokenInvalid(
            "the stored token cannot be decrypted (the encryption key changed)"
        ) from None
    mapping = {k: v for k, v in (connection.mapping or {}).items() if keys is None or k in keys}
    return Params(
        account=connection.account.strip(),
        token=token,
        mapping=mapping,
        manager_account=connection.manager_account.strip(),
    )


class ConnectionSource:
    """A connector on the `kabinet.health.sources` seam: fetch reads the project's connection."""

    def __init__(self, connector: Connector):
        self.connector = connector
        self.key = connector.key
        self.label = connector.label

    def fetch(self, project, metrics, start: date, end: date) -> list[PointIn]:
        from kabinet.health.models import Connection

        connection = Connection.objects.get(project=project, kind=self.key)
        params = params_of(connection, keys={m.key for m in metrics})
        if not params.mapping:
            return []
        with http_client() as http:
            return self.connector.pull(http, params, start, end)
