"""A date sent to the API with a UTC offset no time zone uses ("-19:07") is a 400 naming the
field, and nothing is created; PostgreSQL would refuse it at the INSERT (a 500, found by the
schemathesis run). Real offsets at both ends of the range are taken."""

from __future__ import annotations

import pytest
from django.test import Client

from kabinet.core.scoping import viewer_for
from kabinet.core.services import create_api_token
from kabinet.work.models import Task


def _staff_api(user) -> Client:
    _token, key = create_api_token(viewer=viewer_for(user), name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _create(client, project, due_at: str):
    return client.post(
        f"/api/v1/projects/{project.pk}/tasks",
        {"title": "Аудит ссылок", "status": "todo", "due_at": due_at},
        content_type="application/json",
    )


@pytest.mark.parametrize("due_at", ["2027-01-20T17:28:21-19:07", "2027-01-20T17:28:21+15:00"])
def test_an_offset_outside_every_time_zone_is_a_400_and_creates_nothing(project, sergey, due_at):
    response = _create(_staff_api(sergey), project, due_at)

    assert response.status_code == 400
    assert "due_at" in response.content.decode() and "UTC offset" in response.content.decode()
    assert not Task.objects.filter(title="Аудит ссылок").exists()


@pytest.mark.parametrize("due_at", ["2027-01-20T17:28:21-12:00", "2027-01-20T17:28:21+14:00"])
def test_the_offsets_time_zones_use_are_taken(project, sergey, due_at):
    response = _create(_staff_api(sergey), project, due_at)

    assert response.status_code == 201, response.json()
