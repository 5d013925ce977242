"""A promise kept (the client has the thing) completes the task Kabinet made to prepare it: left
open, that task went overdue in the queue and on the at-risk board, weighted as work for a
promise. A task the manager linked herself is hers and stays as it is."""

from __future__ import annotations

import pytest

from kabinet.promises import services
from kabinet.promises.models import State
from kabinet.promises.tests.conftest import msk
from kabinet.work.models import Task


@pytest.fixture
def promise_with_its_task(wednesday, project, sergey, as_viewer):
    return services.create_promise(
        viewer=as_viewer(sergey),
        project=project,
        what="Отчёт по позициям за ноябрь",
        due_at=msk(2026, 12, 3, 18, 0),
        create_task=True,
    )


def test_delivering_the_promise_completes_its_preparation_task(
    promise_with_its_task, sergey, login
):
    task = promise_with_its_task.task
    assert task is not None and task.is_open

    response = login(sergey).post(
        f"/promises/{promise_with_its_task.pk}/keep/",
        {"message": "Марина, отчёт по позициям за ноябрь во вложении."},
    )

    assert response.status_code == 302
    promise_with_its_task.refresh_from_db()
    task.refresh_from_db()
    assert promise_with_its_task.state == State.KEPT
    assert task.status == Task.Status.DONE


def test_a_task_the_manager_linked_stays_open(wednesday, project, sergey, as_viewer, login):
    from kabinet.work.services import create_task

    audit = create_task(viewer=sergey, project=project, title="Полный аудит сайта")
    promise = services.create_promise(
        viewer=as_viewer(sergey),
        project=project,
        what="Первая часть аудита",
        due_at=msk(2026, 12, 3, 18, 0),
        task=audit,
    )

    login(sergey).post(f"/promises/{promise.pk}/keep/", {"message": "Первая часть во вложении."})

    promise.refresh_from_db()
    audit.refresh_from_db()
    assert promise.state == State.KEPT
    assert audit.status == Task.Status.TODO
