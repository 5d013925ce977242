"""Yandex Metrica, Reporting API: GET https://api-metrika.yandex.net/stat/v1/data.

One request per filter group: `ids` (the counter), `metrics` (the mapped fields), `dimensions=
ym:s:date`, `date1`/`date2`, pages of `limit` rows from the 1-based `offset` until `total_rows`.
`accuracy=full` asks for unsampled figures. Authorisation: `Authorization: OAuth <token>`.
Errors come as {"errors": [{"error_type", "message"}], "code", "message"}: 401/403 with
`invalid_token` is a token to replace, 429 (`quota_*`) and 5xx are retried later.
"""

from __future__ import annotations

from datetime import date

import httpx

from kabinet.health.connectors import (
    Connector,
    Params,
    Refused,
    RetryLater,
    TokenInvalid,
    by_day,
    generic_error,
    json_of,
    number,
    register,
    retry_after_of,
)
from kabinet.health.models import Source
from kabinet.health.services import PointIn

URL = "https://api-metrika.yandex.net/stat/v1/data"
TOKEN_ERRORS = {"invalid_token", "unauthorized", "token_expired"}


class YandexMetrica(Connector):
    key = Source.YANDEX_METRICA.value
    label = "Yandex Metrica"
    example = "ym:s:visits | ym:s:lastTrafficSource=='organic'"
    page_size = 1000

    def error(self, response: httpx.Response) -> Exception:
        body = json_of(response)
        errors = body.get("errors") or []
        types = {str(e.get("error_type", "")) for e in errors if isinstance(e, dict)}
        message = body.get("message") or "; ".join(
            str(e.get("message", "")) for e in errors if isinstance(e, dict)
        )
        text = f"HTTP {response.status_code}: {message}"
        if types & TOKEN_ERRORS or response.status_code == 401:
            return TokenInvalid(text)
        if response.status_code == 429 or any(t.startswith("quota") for t in types):
            return RetryLater(text, retry_after=retry_after_of(response))
        if response.status_code >= 500:
            return RetryLater(text, retry_after=retry_after_of(response))
        if types:
            return Refused(text)
        return generic_error(response, message)

    def pull(self, http: httpx.Client, params: Params, start: date, end: date) -> list[PointIn]:
        rows = []
        for flt, fields in params.groups().items():
            names = [name for _key, name in fields]
            offset = 1
            while True:
                query = {
                    "ids": params.account,
                    "metrics": ",".join(names),
                    "dimensions": "ym:s:date",
                    "date1": start.isoformat(),
                    "date2": end.isoformat(),
                    "sort": "ym:s:date",
                    "accuracy": "full",
                    "limit": self.page_size,
                    "offset": offset,
                }
                if flt:
                    query["filters"] = flt
                response = self.call(
                    http,
                    "GET",
                    URL,
                    params=query,
                    headers={"Authorization": f"OAuth {params.token}"},
                )
                if response.status_code != 200:
                    raise self.error(response)
                body = json_of(response)
                data = body.get("data") or []
                # The values come in the order of the response's own list of metrics.
                answered = (body.get("query") or {}).get("metrics") or names
                keys = {name: key for key, name in fields}
                for row in data:
                    day = date.fromisoformat(row["dimensions"][0]["name"])
                    for name, value in zip(answered, row["metrics"], strict=False):
                        if name in keys:
                            rows.append((keys[name], day, number(value)))
                total = int(body.get("total_rows") or 0)
                offset += len(data)
                if not data or offset > total:
                    break
        return by_day(rows)


CONNECTOR = register(YandexMetrica())
