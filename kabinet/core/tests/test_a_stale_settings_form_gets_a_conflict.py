"""Two heads edit the agency's settings at once (the calendar, the priority weights, the
understanding index): the second save, made from the page as it was before the first, changes
nothing and comes back 409 with what she typed next to what is saved now and who saved it."""

from __future__ import annotations

import re
from datetime import time

import pytest
from django.urls import reverse

from kabinet.core.models import Agency
from kabinet.core.testing import Role, make_user
from kabinet.health.models import UnderstandingSettings
from kabinet.lib.scheduling.priority import DEFAULT_WEIGHTS, FACTORS
from kabinet.lib.understanding import COMPONENTS
from kabinet.lib.understanding import DEFAULT_WEIGHTS as INDEX_WEIGHTS
from kabinet.planning.models import PriorityWeights


@pytest.fixture
def deputy(agency):
    return make_user(agency, "deputy@agency.test", Role.HEAD, full_name="Пётр Заместителев")


def _version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def _calendar(**extra) -> dict:
    data = {
        "timezone": "Europe/Moscow",
        "country": "RU",
        "work_start": "09:00",
        "work_end": "18:00",
        "weekend": ["5", "6"],
        "days_off": "",
        "working_days": "",
    }
    data.update(extra)
    return data


def test_a_stale_calendar_form_changes_nothing(agency, head, deputy, login):
    seen = _version_in(login(deputy).get("/agency/calendar/").content.decode())
    first = login(head).post("/agency/calendar/", _calendar(work_start="10:00", version=seen))
    assert first.status_code == 302

    second = login(deputy).post("/agency/calendar/", _calendar(work_end="20:00", version=seen))

    assert second.status_code == 409
    html = second.content.decode()
    assert 'data-testid="conflict"' in html and "Анна Королёва" in html
    assert 'value="20:00"' in html  # what the deputy typed is still in the form
    assert "10:00" in html  # what is saved now
    agency = Agency.objects.get(pk=agency.pk)
    assert (agency.work_start, agency.work_end) == (time(10), time(18))


def _weights(**extra) -> dict:
    data = {f"w_{name}": str(DEFAULT_WEIGHTS[name]) for name in FACTORS}
    data["capacity_hours"] = "6"
    data.update(extra)
    return data


def test_stale_priority_weights_change_nothing(agency, head, deputy, login):
    url = reverse("planning:weights")
    seen = _version_in(login(deputy).get(url).content.decode())
    assert login(head).post(url, _weights(capacity_hours="5", version=seen)).status_code == 302

    second = login(deputy).post(url, _weights(capacity_hours="7", version=seen))

    assert second.status_code == 409
    html = second.content.decode()
    assert 'data-testid="conflict"' in html and "Анна Королёва" in html
    assert 'value="7"' in html
    assert PriorityWeights.objects.get(agency=agency).capacity_hours == 5


def _index(**extra) -> dict:
    data = {f"w_{key}": str(INDEX_WEIGHTS[key]) for key in COMPONENTS}
    data.update(cadence_days="5", threshold="5.0", drop_points="2.0", drop_days="7")
    data.update(extra)
    return data


def test_stale_understanding_settings_change_nothing(agency, head, deputy, login):
    url = reverse("health:understanding_settings")
    seen = _version_in(login(deputy).get(url).content.decode())
    assert login(head).post(url, _index(cadence_days="3", version=seen)).status_code == 302

    second = login(deputy).post(url, _index(cadence_days="10", version=seen))

    assert second.status_code == 409
    html = second.content.decode()
    assert 'data-testid="conflict"' in html and "Анна Королёва" in html
    assert 'value="10"' in html
    assert UnderstandingSettings.objects.get(agency=agency).cadence_days == 3
