"""A task done is a reason to ask the promiser to deliver, not a kept promise."""

from __future__ import annotations

import pytest

from kabinet.core.models import Notification
from kabinet.promises import services
from kabinet.promises.models import State
from kabinet.promises.tests.conftest import msk
from kabinet.timeline.models import Event, Visibility


@pytest.fixture
def promise(wednesday, project, sergey, as_viewer):
    promise = services.create_promise(
        viewer=as_viewer(sergey),
        project=project,
        what="Обновлённый план",
        due_at=msk(2026, 12, 3, 13, 0),
        create_task=True,
    )
    promise.task.title = "Сверстать план в шаблоне агентства"  # an internal title
    promise.task.save(update_fields=["title"])
    return promise


def test_marking_the_task_done_keeps_nothing_and_opens_the_delivery_form(
    promise, sergey, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(sergey).post(
            f"/promises/tasks/{promise.task_id}/done/", {"keep": [str(promise.pk)]}
        )

    assert (
        response.status_code == 302 and response["Location"] == f"/promises/{promise.pk}/#deliver"
    )
    promise.refresh_from_db()
    promise.task.refresh_from_db()
    assert promise.task.status == "done"
    assert promise.state == State.OPEN
    client_texts = " ".join(
        f"{e.title} {e.body}" for e in Event.objects.filter(visibility=Visibility.CLIENT)
    )
    assert "Сверстать план" not in client_texts


def test_a_task_completed_elsewhere_asks_the_promiser_to_deliver_once(
    promise, sergey, django_capture_on_commit_callbacks
):
    from kabinet.work.services import complete_task

    with django_capture_on_commit_callbacks(execute=True):
        complete_task(viewer=sergey, task=promise.task)
    with django_capture_on_commit_callbacks(execute=True):
        complete_task(viewer=sergey, task=promise.task)

    promise.refresh_from_db()
    assert promise.state == State.OPEN and promise.keep_offered_at is not None
    asked = Notification.objects.get(user=sergey, kind="promise_keep_offer")
    assert "Обновлённый план" in asked.title
    assert "Сверстать" not in asked.title + asked.body
