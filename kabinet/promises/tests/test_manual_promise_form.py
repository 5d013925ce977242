from __future__ import annotations

from kabinet.promises.models import Promise
from kabinet.promises.tests.conftest import msk


def test_staff_add_a_promise_by_hand(wednesday, project, sergey, login):
    response = login(sergey).post(
        f"/projects/{project.pk}/promises/new/",
        {"what": "Созвон по итогам аудита", "due_at": "2026-12-04T15:00", "task": "none"},
    )

    promise = Promise.objects.get()
    assert response.status_code == 302
    assert (promise.what, promise.due_at, promise.origin, promise.task) == (
        "Созвон по итогам аудита",
        msk(2026, 12, 4, 15, 0),
        "manual",
        None,
    )


def test_a_missing_date_is_explained_and_the_text_kept(wednesday, project, sergey, login):
    response = login(sergey).post(
        f"/projects/{project.pk}/promises/new/",
        {"what": "Созвон по итогам аудита", "due_at": "", "quote": "Созвонимся"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Обязательное поле" in body
    assert "Созвон по итогам аудита" in body and "Созвонимся" in body
    assert not Promise.objects.exists()


def test_an_unknown_task_is_refused(wednesday, project, sergey, login):
    response = login(sergey).post(
        f"/projects/{project.pk}/promises/new/",
        {"what": "План", "due_at": "2026-12-04T15:00", "task": "999"},
    )

    assert response.status_code == 400
    assert not Promise.objects.exists()


def test_the_head_records_a_promise_sergey_made(wednesday, project, head, sergey, login):
    login(head).post(
        f"/projects/{project.pk}/promises/new/",
        {
            "what": "Отчёт по лидам",
            "due_at": "2026-12-04T15:00",
            "task": "none",
            "promised_by": str(sergey.pk),
        },
    )

    promise = Promise.objects.get()
    assert (promise.promised_by, promise.confirmed_by) == (sergey, head)


def test_someone_off_the_team_cannot_be_named_as_the_promiser(
    wednesday, project, head, irina, login
):
    response = login(head).post(
        f"/projects/{project.pk}/promises/new/",
        {
            "what": "Отчёт по лидам",
            "due_at": "2026-12-04T15:00",
            "task": "none",
            "promised_by": str(irina.pk),
        },
    )

    assert response.status_code == 400
    assert not Promise.objects.exists()
