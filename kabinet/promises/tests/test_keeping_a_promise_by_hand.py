from __future__ import annotations

import pytest

from kabinet.promises import services
from kabinet.promises.models import State
from kabinet.promises.tests.conftest import msk


@pytest.fixture
def promise(wednesday, project, sergey, as_viewer):
    return services.create_promise(
        viewer=as_viewer(sergey),
        project=project,
        what="Обновлённый план",
        due_at=msk(2026, 12, 3, 13, 0),
    )


def test_marking_kept_with_the_moment_it_was_kept(promise, sergey, login, wednesday):
    wednesday.move_to(msk(2026, 12, 3, 13, 30))

    response = login(sergey).post(
        f"/promises/{promise.pk}/keep/",
        {"note": "Отправил в переписке", "kept_at": "2026-12-03T12:50"},
    )

    promise.refresh_from_db()
    assert response.status_code == 302
    assert (promise.state, promise.kept_at, promise.kept_note) == (
        State.KEPT,
        msk(2026, 12, 3, 12, 50),
        "Отправил в переписке",
    )
    assert promise.kept_on_time


def test_a_moment_in_the_future_is_refused_and_the_note_kept(promise, sergey, login):
    response = login(sergey).post(
        f"/promises/{promise.pk}/keep/",
        {"note": "Отправил в переписке", "kept_at": "2026-12-05T12:00"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Обещание нельзя выполнить в будущем" in body
    assert "Отправил в переписке" in body
    promise.refresh_from_db()
    assert promise.state == State.OPEN


def test_a_kept_promise_cannot_be_kept_again(promise, sergey, login):
    client = login(sergey)
    client.post(f"/promises/{promise.pk}/keep/", {})

    response = client.post(f"/promises/{promise.pk}/keep/", {})

    assert response.status_code == 409  # the promise moved on: a conflict, the page says why
    assert "Это обещание уже закрыто" in response.content.decode()
