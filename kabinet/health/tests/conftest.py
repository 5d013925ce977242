"""Fixtures of the health tests: the project's KPIs and a viewer builder."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from kabinet.core.scoping import viewer_for
from kabinet.health import services
from kabinet.health.models import Aggregation, Direction, Metric, Period


@pytest.fixture
def as_viewer():
    return viewer_for


@pytest.fixture
def sessions(project, sergey):
    return services.create_metric(
        viewer=viewer_for(sergey),
        project=project,
        key="organic_sessions",
        name="Визиты из поиска",
        unit="визиты",
        direction=Direction.HIGHER,
        period=Period.DAY,
        aggregation=Aggregation.SUM,
    )


@pytest.fixture
def position(project, sergey):
    return services.create_metric(
        viewer=viewer_for(sergey),
        project=project,
        key="avg_position",
        name="Средняя позиция",
        unit="",
        direction=Direction.LOWER,
        period=Period.DAY,
        aggregation=Aggregation.AVERAGE,
        decimals=1,
    )


@pytest.fixture
def daily(project):
    """daily(metric, start, values): write one value per day from start."""

    def _write(metric: Metric, start: date, values: list[float]) -> None:
        services.write_points(
            project=project,
            points=[
                services.PointIn(metric.key, start + timedelta(days=i), Decimal(str(v)))
                for i, v in enumerate(values)
            ],
            source="manual",
        )

    return _write


# --------------------------------------------------------------------------- recorded responses

DATA = Path(__file__).parent / "data"
# A pull "now" reads 2026-11-24 … 2026-11-30, the days of the recorded responses.
PULL_AT = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


class Replay:
    """Answers the connectors' requests with recorded responses, in the order they were queued,
    and keeps the requests for the test to read."""

    def __init__(self) -> None:
        self.queue: list[httpx.Response] = []
        self.requests: list[httpx.Request] = []

    def add(self, status: int = 200, file: str | None = None, *, headers=None, body=b"") -> Replay:
        content = (DATA / file).read_bytes() if file else body
        kind = "text/tab-separated-values" if file and file.endswith(".tsv") else "application/json"
        self.queue.append(
            httpx.Response(
                status, content=content, headers={"Content-Type": kind, **(headers or {})}
            )
        )
        return self

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.queue:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        return self.queue.pop(0)

    def json_bodies(self) -> list[dict]:
        return [json.loads(r.content) for r in self.requests if r.content]


@pytest.fixture
def replay(monkeypatch):
    from kabinet.health import connectors
    from kabinet.health.connectors import yandex_direct

    recorder = Replay()
    monkeypatch.setattr(connectors, "TRANSPORT", httpx.MockTransport(recorder.handler))
    monkeypatch.setattr(yandex_direct.YandexDirect, "sleep", staticmethod(lambda seconds: None))
    return recorder


@pytest.fixture
def kpis(project, sergey):
    """The project's KPIs the recorded reports fill."""
    viewer = viewer_for(sergey)
    made = {}
    for key, name, unit, decimals in [
        ("organic_sessions", "Визиты из поиска", "визиты", 0),
        ("users", "Посетители", "", 0),
        ("clicks", "Клики", "", 0),
        ("spend", "Расход", "₽", 2),
        ("conversions", "Конверсии", "", 0),
    ]:
        made[key] = services.create_metric(
            viewer=viewer, project=project, key=key, name=name, unit=unit, decimals=decimals
        )
    return made


# What each source's recorded report fills: KPI key → the source's field.
MAPPINGS = {
    "yandex_metrica": {
        "organic_sessions": "ym:s:visits | ym:s:lastTrafficSource=='organic'",
        "users": "ym:s:users | ym:s:lastTrafficSource=='organic'",
    },
    "yandex_direct": {"clicks": "Clicks", "spend": "Cost", "conversions": "Conversions"},
    "ga4": {"organic_sessions": "sessions", "conversions": "conversions"},
    "google_ads": {"clicks": "metrics.clicks", "spend": "metrics.cost_micros"},
}
ACCOUNTS = {
    "yandex_metrica": "44147844",
    "yandex_direct": "technodom-direct",
    "ga4": "properties/312345678",
    "google_ads": "123-456-7890",
}


@pytest.fixture
def connect(project, head, kpis):
    """connect(kind): the head connects the project to a source with a token."""

    def _connect(kind: str, token: str = "y0_AgAAAAB-recorded-token-7f3a", **extra):
        return services.save_connection(
            viewer=viewer_for(head),
            project=project,
            kind=kind,
            account=ACCOUNTS[kind],
            mapping=MAPPINGS[kind],
            token=token,
            **extra,
        )

    return _connect


@pytest.fixture
def stored(project):
    """stored(key) → {date: value} of a KPI's points as they are in the database."""
    from kabinet.health.models import Point

    def _stored(key: str) -> dict:
        return {
            p.date: p.value
            for p in Point.objects.filter(metric__project=project, metric__key=key).order_by("date")
        }

    return _stored


@pytest.fixture
def pull_at():
    return PULL_AT
