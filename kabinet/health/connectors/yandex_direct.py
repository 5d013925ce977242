"""Yandex Direct, Reports API v5: POST https://api.direct.yandex.com/json/v5/reports, TSV back.

One ACCOUNT_PERFORMANCE_REPORT (CUSTOM_DATE, `Date` plus the mapped fields) per filter group,
money in currency units (`returnMoneyInMicros: false`), without the title and summary lines.
`Client-Login` names the advertiser when the token is an agency's. A report is built online
(200 with the TSV) or queued offline: 201 "added to the queue" and 202 "being built" come with a
`retryIn` header in seconds; the same request is repeated (a report is identified by its name and
parameters) a few times within the pull, then left for the next attempt (`RetryLater`).
Errors are {"error": {"request_id", "error_code", "error_string", "error_detail"}}: code 53 is an
authorisation error (token), 152 (not enough units), 506 (too many simultaneous requests),
9000 (too many reports in the queue), 52 and 1000-1002 (server) are transient.
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
from datetime import date

import httpx

from kabinet.health.connectors import (
    Connector,
    Params,
    Refused,
    RetryLater,
    TokenInvalid,
    by_day,
    json_of,
    number,
    register,
    retry_after_of,
)
from kabinet.health.models import Source
from kabinet.health.services import PointIn

URL = "https://api.direct.yandex.com/json/v5/reports"
TOKEN_CODES = {53, 58}
TRANSIENT_CODES = {52, 152, 506, 9000, 1000, 1001, 1002}


class YandexDirect(Connector):
    key = Source.YANDEX_DIRECT.value
    label = "Yandex Direct"
    example = "Clicks | CampaignType=TEXT_CAMPAIGN"
    # How many times a queued report is asked for again within one pull, and the longest wait.
    polls = 3
    max_wait = 10
    sleep = staticmethod(time.sleep)

    def error(self, response: httpx.Response) -> Exception:
        err = json_of(response).get("error") or {}
        code = int(err.get("error_code") or 0)
        text = f"HTTP {response.status_code}, error {code}: {err.get('error_string', '')}"
        if err.get("error_detail"):
            text += f" — {err['error_detail']}"
        if code in TOKEN_CODES or response.status_code == 401:
            return TokenInvalid(text)
        if code in TRANSIENT_CODES or response.status_code >= 500:
            return RetryLater(text, retry_after=retry_after_of(response))
        return Refused(text)

    def body(self, params: Params, fields: list[str], flt: str, start: date, end: date) -> dict:
        selection: dict = {"DateFrom": start.isoformat(), "DateTo": end.isoformat()}
        if flt:
            name, _sep, value = flt.partition("=")
            selection["Filter"] = [
                {
                    "Field": name.strip(),
                    "Operator": "IN",
                    "Values": [v.strip() for v in value.split(",")],
                }
            ]
        names = ["Date", *fields]
        digest = hashlib.sha1(
            f"{params.account}|{','.join(names)}|{flt}|{start}|{end}".encode()
        ).hexdigest()[:12]
        return {
            "params": {
                "SelectionCriteria": selection,
                "FieldNames": names,
                "OrderBy": [{"Field": "Date"}],
                "ReportName": f"Kabinet {start}..{end} {digest}",
                "ReportType": "ACCOUNT_PERFORMANCE_REPORT",
                "DateRangeType": "CUSTOM_DATE",
                "Format": "TSV",
                "IncludeVAT": "YES",
                "IncludeDiscount": "NO",
            }
        }

    def report(self, http: httpx.Client, params: Params, body: dict) -> str:
        headers = {
            "Authorization": f"Bearer {params.token}",
            "Accept-Language": "en",
            "processingMode": "auto",
            "returnMoneyInMicros": "false",
            "skipReportHeader": "true",
            "skipReportSummary": "true",
        }
        if params.account:
            headers["Client-Login"] = params.account
        for attempt in range(self.polls + 1):
            response = self.call(http, "POST", URL, json=body, headers=headers)
            if response.status_code == 200:
                return response.text
            if response.status_code in (201, 202):
                wait = retry_after_of(response) or 5
                if attempt == self.polls:
                    raise RetryLater(
                        f"HTTP {response.status_code}: the report is being built", retry_after=wait
                    )
                self.sleep(min(wait, self.max_wait))
                continue
            raise self.error(response)
        raise AssertionError("unreachable")

    def pull(self, http: httpx.Client, params: Params, start: date, end: date) -> list[PointIn]:
        rows = []
        for flt, fields in params.groups().items():
            names = [name for _key, name in fields]
            text = self.report(http, params, self.body(params, names, flt, start, end))
            reader = csv.reader(io.StringIO(text), delimiter="\t")
            header = None
            for line in reader:
                if not line or line[0].startswith("Total rows"):
                    continue
                if header is None:
                    if "Date" not in line:
                        continue  # a report title line, when the header is not skipped
                    header = line
                    positions = [header.index(n) if n in header else None for n in names]
                    if None in positions:
                        raise Refused(f"the report has no column {names[positions.index(None)]}")
                    date_at = header.index("Date")
                    continue
                day = date.fromisoformat(line[date_at])
                for (key, _name), pos in zip(fields, positions, strict=True):
                    rows.append((key, day, number(line[pos])))
        return by_day(rows)


CONNECTOR = register(YandexDirect())
