from __future__ import annotations

import pytest

from kabinet.core.models import Notification
from kabinet.promises import services
from kabinet.promises.models import State
from kabinet.promises.tests.conftest import msk
from kabinet.timeline.models import Event, Kind


@pytest.fixture
def promise(wednesday, project, sergey, as_viewer):
    return services.create_promise(
        viewer=as_viewer(sergey),
        project=project,
        what="Обновлённый план",
        due_at=msk(2026, 12, 3, 13, 0),
        create_task=True,
    )


def test_marking_the_task_done_with_the_offer_ticked_marks_the_promise_kept(
    promise, sergey, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(sergey).post(
            f"/promises/tasks/{promise.task_id}/done/", {"keep": [str(promise.pk)]}
        )

    assert response.status_code == 302
    promise.refresh_from_db()
    promise.task.refresh_from_db()
    assert promise.task.status == "done"
    assert promise.state == State.KEPT and promise.kept_on_time
    assert Event.objects.filter(
        kind=Kind.PROMISE, title="Обещание выполнено: Обновлённый план"
    ).exists()
    assert not Notification.objects.filter(kind="promise_keep_offer").exists()


def test_unticking_the_offer_completes_the_task_only(promise, sergey, login):
    login(sergey).post(f"/promises/tasks/{promise.task_id}/done/", {})

    promise.refresh_from_db()
    assert promise.state == State.OPEN
    assert promise.task.status == "done"


def test_a_task_completed_elsewhere_offers_to_mark_the_promise_kept_once(
    promise, sergey, django_capture_on_commit_callbacks
):
    from kabinet.work.services import complete_task

    with django_capture_on_commit_callbacks(execute=True):
        complete_task(sergey, promise.task)
    with django_capture_on_commit_callbacks(execute=True):
        complete_task(sergey, promise.task)

    promise.refresh_from_db()
    assert promise.state == State.OPEN
    assert promise.keep_offered_at is not None
    assert Notification.objects.filter(user=sergey, kind="promise_keep_offer").count() == 1
