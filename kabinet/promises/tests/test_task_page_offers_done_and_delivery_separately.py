from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kabinet.core.scoping import viewer_for
from kabinet.promises.services import create_promise
from kabinet.work.services import create_task


def test_task_with_a_promise_offers_done_and_says_the_promise_is_delivered_separately(
    login, sergey, project
):
    task = create_task(viewer=sergey, project=project, title="Обновить план", visibility="client")
    promise = create_promise(
        viewer=viewer_for(sergey),
        project=project,
        what="Пришлю план",
        due_at=timezone.now() + timedelta(days=1),
    )
    promise.task = task
    promise.save(update_fields=["task"])
    html = login(sergey).get(reverse("work:task", args=[task.pk])).content.decode()
    assert 'data-testid="task-done"' in html and 'name="keep"' not in html
    assert "не выполняет обещание" in html
    assert reverse("work:task_complete", args=[task.pk]) not in html  # one done button, not two


def test_task_without_promises_has_the_plain_done_button(login, sergey, project):
    task = create_task(viewer=sergey, project=project, title="Проверить robots.txt")
    html = login(sergey).get(reverse("work:task", args=[task.pk])).content.decode()
    assert reverse("work:task_complete", args=[task.pk]) in html
    assert 'data-testid="task-done"' not in html
