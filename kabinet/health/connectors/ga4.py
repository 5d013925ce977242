"""Google Analytics 4, Data API v1beta: POST
https://analyticsdata.googleapis.com/v1beta/properties/{property}:runReport.

One report per filter group: the `date` dimension, the mapped metrics, pages of `limit` rows from
`offset` (0-based) until `rowCount`. Dates come back as "YYYYMMDD", values as strings.
"""

from __future__ import annotations

from datetime import date, datetime

import httpx

from kabinet.health.connectors import Params, by_day, json_of, number, register
from kabinet.health.connectors.google import GoogleConnector, google_error
from kabinet.health.models import Source
from kabinet.health.services import PointIn

URL = "https://analyticsdata.googleapis.com/v1beta/properties/{property}:runReport"


class GA4(GoogleConnector):
    key = Source.GA4.value
    label = "Google Analytics 4"
    example = "sessions | sessionDefaultChannelGroup=Organic Search"
    page_size = 10000

    def body(self, names: list[str], flt: str, start: date, end: date, offset: int) -> dict:
        body: dict = {
            "dateRanges": [{"startDate": start.isoformat(), "endDate": end.isoformat()}],
            "dimensions": [{"name": "date"}],
            "metrics": [{"name": n} for n in names],
            "orderBys": [{"dimension": {"dimensionName": "date"}}],
            "limit": str(self.page_size),
            "offset": str(offset),
        }
        if flt:
            name, _sep, value = flt.partition("=")
            body["dimensionFilter"] = {
                "filter": {
                    "fieldName": name.strip(),
                    "stringFilter": {"matchType": "EXACT", "value": value.strip()},
                }
            }
        return body

    def pull(self, http: httpx.Client, params: Params, start: date, end: date) -> list[PointIn]:
        token = self.access_token(http, params)
        account = params.account.removeprefix("properties/")
        rows = []
        for flt, fields in params.groups().items():
            names = [name for _key, name in fields]
            offset = 0
            while True:
                response = self.call(
                    http,
                    "POST",
                    URL.format(property=account),
                    json=self.body(names, flt, start, end, offset),
                    headers={"Authorization": f"Bearer {token}"},
                )
                if response.status_code != 200:
                    raise google_error(response)
                body = json_of(response)
                data = body.get("rows") or []
                # The values come in the order of the response's metric headers.
                headers = [h.get("name") for h in body.get("metricHeaders") or []] or names
                keys = {name: key for key, name in fields}
                for row in data:
                    day = datetime.strptime(row["dimensionValues"][0]["value"], "%Y%m%d").date()
                    for name, value in zip(headers, row["metricValues"], strict=False):
                        if name in keys:
                            rows.append((keys[name], day, number(value.get("value"))))
                offset += len(data)
                if not data or offset >= int(body.get("rowCount") or 0):
                    break
        return by_day(rows)


CONNECTOR = register(GA4())
