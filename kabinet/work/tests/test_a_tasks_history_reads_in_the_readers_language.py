"""A task's history was stored as its writer read it: a Russian manager's status change showed
"К выполнению → Ждём клиента" on an English page. States and visibility are now shown from their
machine values in the reader's language; dates and names as they were recorded."""

from __future__ import annotations

import pytest
from django.utils import translation

from kabinet.work.models import Task
from kabinet.work.services import change_task, create_task


@pytest.fixture
def changed(project, sergey):
    task = create_task(viewer=sergey, project=project, title="Согласовать план")
    with translation.override("ru"):  # written by someone reading Russian
        change_task(
            viewer=sergey,
            task=task,
            status=Task.Status.WAITING_CLIENT,
            visibility="client",
            reason="Отправили план клиенту",
        )
    return task


@pytest.mark.parametrize(
    "language,status,visibility",
    [
        ("en", "Status</strong>: To do → Waiting for the client", "Visibility</strong>: Internal"),
        ("ru", "Статус</strong>: К выполнению → Ждём клиента", "Видно клиенту"),
    ],
)
def test_the_history_speaks_the_readers_language(
    changed, sergey, login, language, status, visibility
):
    client = login(sergey)
    client.post("/language/", {"language": language})

    html = client.get(f"/tasks/{changed.pk}/").content.decode()

    assert status in html
    assert visibility in html
    assert "Отправили план клиенту" in html  # the reason is the writer's own words
