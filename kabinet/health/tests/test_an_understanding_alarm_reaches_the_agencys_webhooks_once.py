"""An understanding alarm is the webhook kind "index.dropped": once per cause, to the agency's own
endpoints only, with the components that moved."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from kabinet.api import webhooks
from kabinet.api.models import WebhookDelivery
from kabinet.core.scoping import viewer_for
from kabinet.health.models import UnderstandingSettings
from kabinet.health.understanding import take_snapshots
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.timeline.models import Kind
from kabinet.timeline.services import record_event

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=MSK)


@pytest.fixture
def clock(monkeypatch):
    from django.utils import timezone

    state = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])
    return state


def test_a_silent_client_is_one_index_dropped_delivery_per_cause(
    agency, head, sergey, project, stranger, clock
):
    UnderstandingSettings.objects.create(agency=agency, threshold=6, drop_points=1)
    ours, _ = webhooks.create_endpoint(
        viewer=viewer_for(head),
        url="https://hooks.agency.example/in",
        event_kinds=["index.dropped"],
    )
    theirs, _ = webhooks.create_endpoint(
        viewer=viewer_for(stranger),
        url="https://hooks.other.example/in",
        event_kinds=["index.dropped"],
    )
    record_event(
        project=project,
        kind=Kind.MESSAGE,
        title="Новости",
        author=sergey,
        occurred_at=NOW - timedelta(days=30),
    )
    for day in range(3):  # a three-day dip is one cause
        clock["now"] = NOW + timedelta(days=day)
        take_snapshots(agency, clock["now"])

    deliveries = WebhookDelivery.objects.filter(kind="index.dropped")
    assert [d.endpoint_id for d in deliveries] == [ours.pk]
    payload = json.loads(deliveries.get().body)
    assert payload["type"] == "index.dropped"
    assert payload["data"]["company"]["name"] == "ТехноДом"
    assert payload["data"]["cause"] == "low"
    assert payload["data"]["moved"][0]["key"] == "silence"
    assert not WebhookDelivery.objects.filter(endpoint=theirs).exists()
