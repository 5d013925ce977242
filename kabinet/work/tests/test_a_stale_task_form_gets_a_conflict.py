"""Two managers edit one task: the second save, made from the form as it was before the first,
changes nothing and comes back 409 with what she typed next to what is saved now."""

from __future__ import annotations

import re

from django.urls import reverse

from kabinet.work.models import Task
from kabinet.work.services import create_task


def _form(task, **overrides) -> dict:
    data = {
        "title": task.title,
        "description": task.description,
        "assignee": "",
        "estimate_hours": "",
        "due_at": "",
        "visibility": task.visibility,
        "status": task.status,
        "priority_boost": "0",
        "reason": "",
    }
    data.update(overrides)
    return data


def _version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def test_the_second_save_from_a_stale_form_changes_nothing_and_shows_both_versions(
    project, sergey, head, login
):
    task = create_task(viewer=sergey, project=project, title="Аудит сайта")
    edit = reverse("work:task_edit", args=[task.pk])
    sergey_page = login(sergey).get(edit).content.decode()
    head_page = login(head).get(edit).content.decode()
    seen = _version_in(sergey_page)
    assert seen == _version_in(head_page)

    first = login(head).post(edit, _form(task, title="Аудит сайта и ссылок", version=seen))
    assert first.status_code == 302

    second = login(sergey).post(
        edit, _form(task, title="Аудит скорости", priority_boost="5", version=seen)
    )

    assert second.status_code == 409
    html = second.content.decode()
    assert 'data-testid="conflict"' in html
    assert "Аудит скорости" in html  # what Sergey typed, kept in the form and in the panel
    assert "Аудит сайта и ссылок" in html  # what is saved now
    assert "Анна Королёва" in html  # by whom
    stored = Task.objects.get(pk=task.pk)
    assert stored.title == "Аудит сайта и ссылок"
    assert stored.priority_boost == 0
    # The form now carries the saved version: saving again is a deliberate overwrite.
    assert _version_in(html) == str(stored.version)


def test_saving_again_after_the_conflict_goes_through(project, sergey, head, login):
    task = create_task(viewer=sergey, project=project, title="Аудит сайта")
    edit = reverse("work:task_edit", args=[task.pk])
    seen = str(Task.objects.get(pk=task.pk).version)
    login(head).post(edit, _form(task, title="Аудит сайта и ссылок", version=seen))
    conflict = login(sergey).post(edit, _form(task, title="Аудит скорости", version=seen))
    again = _version_in(conflict.content.decode())

    response = login(sergey).post(edit, _form(task, title="Аудит скорости", version=again))

    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).title == "Аудит скорости"
