"""Two API clients change one task (or move one promise) from the same read: the second is
answered 412 (with If-Match: the ETag it read) or 409 (with the `version` field), carries the
current version and values, and changes nothing."""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from kabinet.core.scoping import viewer_for
from kabinet.promises import services as promises
from kabinet.timeline.models import Event, Kind
from kabinet.work.models import Task
from kabinet.work.services import create_task


def _patch(client, url, body, **headers):
    return client.patch(url, json.dumps(body), content_type="application/json", **headers)


def test_a_stale_if_match_is_412_and_changes_nothing(api, agency, project, sergey, head):
    task = create_task(viewer=sergey, project=project, title="Аудит")
    url = f"/api/v1/tasks/{task.pk}"
    read = api(sergey, agency).get(url)
    tag = read["ETag"]
    assert tag == f'"{read.json()["version"]}"'

    first = _patch(api(head, agency), url, {"title": "Аудит сайта"}, HTTP_IF_MATCH=tag)
    assert first.status_code == 200 and first["ETag"] != tag

    second = _patch(api(sergey, agency), url, {"title": "Аудит скорости"}, HTTP_IF_MATCH=tag)

    assert second.status_code == 412
    body = second.json()
    assert body["version"] == Task.objects.get(pk=task.pk).version
    assert body["saved"]["title"] == "Аудит сайта"
    assert body["saved_by"] == "Анна Королёва"
    assert second["ETag"] == f'"{body["version"]}"'
    assert Task.objects.get(pk=task.pk).title == "Аудит сайта"


def test_a_stale_version_field_is_409(api, agency, project, sergey, head):
    task = create_task(viewer=sergey, project=project, title="Аудит")
    url = f"/api/v1/tasks/{task.pk}"
    seen = api(sergey, agency).get(url).json()["version"]
    assert _patch(api(head, agency), url, {"title": "A", "version": seen}).status_code == 200

    second = _patch(api(sergey, agency), url, {"title": "B", "version": seen})

    assert second.status_code == 409
    assert second.json()["saved"]["title"] == "A"
    assert Task.objects.get(pk=task.pk).title == "A"

    # With the current version the change goes through.
    again = _patch(api(sergey, agency), url, {"title": "B", "version": second.json()["version"]})
    assert again.status_code == 200 and again.json()["title"] == "B"


def test_a_stale_renegotiation_over_the_api_tells_the_client_once(
    api, agency, project, sergey, head
):
    promise = promises.create_promise(
        viewer=viewer_for(sergey),
        project=project,
        what="План работ",
        due_at=timezone.now() + timedelta(days=3),
    )
    url = f"/api/v1/promises/{promise.pk}"
    tag = api(sergey, agency).get(url)["ETag"]

    def move(user, days, message):
        return api(user, agency).post(
            f"{url}/renegotiate",
            json.dumps(
                {
                    "new_due": (timezone.now() + timedelta(days=days)).isoformat(),
                    "reason": "объём",
                    "message": message,
                }
            ),
            content_type="application/json",
            HTTP_IF_MATCH=tag,
        )

    assert move(head, 5, "План будет через пять дней.").status_code == 200
    second = move(sergey, 8, "План будет через восемь дней.")

    assert second.status_code == 412
    assert second.json()["saved"]["message"] == "План будет через пять дней."
    moved = Event.objects.filter(project=project, kind=Kind.PROMISE, title_key="promise_moved")
    assert [e.body for e in moved] == ["План будет через пять дней."]
