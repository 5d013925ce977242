"""Google Ads API, GoogleAdsService.Search over REST: POST
https://googleads.googleapis.com/{version}/customers/{customer}/googleAds:search with a GAQL query.

    SELECT segments.date, metrics.clicks, metrics.cost_micros FROM customer
    WHERE segments.date BETWEEN '2026-11-24' AND '2026-11-30' ORDER BY segments.date

A filter makes it `FROM campaign` with the condition added (rows per campaign are summed per day).
Pages follow `nextPageToken` (sent back as `pageToken`). Headers: the OAuth bearer token, the
agency's `developer-token` (KABINET_GOOGLE_ADS_DEVELOPER_TOKEN) and, when access goes through a
manager account, `login-customer-id`. Rows come in camelCase (`metrics.costMicros`); a field
ending in `_micros` is divided by 1,000,000 (money in the account's currency).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import httpx
from django.conf import settings

from kabinet.health.connectors import Params, Refused, by_day, json_of, number, register
from kabinet.health.connectors.google import GoogleConnector, google_error
from kabinet.health.models import Source
from kabinet.health.services import PointIn

URL = "https://googleads.googleapis.com/{version}/customers/{customer}/googleAds:search"
FIELD = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
MICROS = Decimal(1_000_000)


def camel(path: str) -> list[str]:
    return [re.sub(r"_([a-z])", lambda m: m.group(1).upper(), part) for part in path.split(".")]


def dig(row: dict, path: str) -> object:
    value: object = row
    for part in camel(path):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def digits(raw: str) -> str:
    return raw.replace("-", "").strip()


class GoogleAds(GoogleConnector):
    key = Source.GOOGLE_ADS.value
    label = "Google Ads"
    example = "metrics.clicks | campaign.advertising_channel_type = 'SEARCH'"

    def query(self, names: list[str], flt: str, start: date, end: date) -> str:
        for name in names:
            if not FIELD.match(name):
                raise Refused(f"“{name}” is not a GAQL field (e.g. metrics.clicks)")
        resource = "campaign" if flt else "customer"
        where = f"segments.date BETWEEN '{start.isoformat()}' AND '{end.isoformat()}'"
        if flt:
            where += f" AND {flt}"
        return (
            f"SELECT segments.date, {', '.join(names)} FROM {resource} "
            f"WHERE {where} ORDER BY segments.date"
        )

    def pull(self, http: httpx.Client, params: Params, start: date, end: date) -> list[PointIn]:
        token = self.access_token(http, params)
        headers = {
            "Authorization": f"Bearer {token}",
            "developer-token": settings.KABINET_GOOGLE_ADS_DEVELOPER_TOKEN,
        }
        if params.manager_account:
            headers["login-customer-id"] = digits(params.manager_account)
        url = URL.format(
            version=settings.KABINET_GOOGLE_ADS_API_VERSION, customer=digits(params.account)
        )
        rows = []
        for flt, fields in params.groups().items():
            names = [name for _key, name in fields]
            body: dict = {"query": self.query(names, flt, start, end)}
            while True:
                response = self.call(http, "POST", url, json=body, headers=headers)
                if response.status_code != 200:
                    raise google_error(response)
                page = json_of(response)
                for row in page.get("results") or []:
                    day = date.fromisoformat(str(dig(row, "segments.date")))
                    for key, name in fields:
                        value = number(dig(row, name))
                        if name.endswith("_micros"):
                            value = value / MICROS
                        rows.append((key, day, value))
                token_next = page.get("nextPageToken")
                if not token_next:
                    break
                body = {**body, "pageToken": token_next}
        return by_day(rows)


CONNECTOR = register(GoogleAds())
