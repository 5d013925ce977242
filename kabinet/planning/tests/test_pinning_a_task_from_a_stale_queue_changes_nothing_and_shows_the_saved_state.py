"""Two managers have Viktoria's queue open. The head pins a task; Sergey, on his queue loaded
before, presses "Pin here" on the same task: nothing is written, he gets 409 with the task as
saved now (pinned, by the head) next to what he asked, and the queue as it is now. Pressed
again from that queue, the button works."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from kabinet.work.models import Task, TaskChange


@pytest.fixture
def task(project, viktoria, make_task, plan, now):
    tasks = [
        make_task(f"Статья {i}", assignee=viktoria, hours=3, due=now + timedelta(days=1 + i))
        for i in range(3)
    ]
    plan()
    return tasks[2]


def _version_in(html: str, task: Task, action: str) -> str:
    """The version the page's button for `task` sends."""
    form = re.search(
        rf'<form[^>]*action="/planning/tasks/{task.pk}/{action}/".*?</form>', html, re.S
    ).group(0)
    return re.search(r'name="version" value="(\d+)"', form).group(1)


def test_pinning_from_a_stale_queue_is_a_conflict_and_writes_nothing(
    task, viktoria, sergey, head, login
):
    queue = f"/planning/queue/?person={viktoria.pk}"
    heads, sergeys = login(head), login(sergey)
    seen_by_head = _version_in(heads.get(queue).content.decode(), task, "pin")
    seen_by_sergey = _version_in(sergeys.get(queue).content.decode(), task, "pin")
    assert seen_by_head == seen_by_sergey == str(task.version)

    first = heads.post(f"/planning/tasks/{task.pk}/pin/", {"pinned": "1", "version": seen_by_head})
    assert first.status_code == 302
    saved = Task.objects.get(pk=task.pk)
    assert saved.pinned and saved.version == task.version + 1

    second = sergeys.post(
        f"/planning/tasks/{task.pk}/pin/", {"pinned": "1", "version": seen_by_sergey}
    )

    assert second.status_code == 409
    html = second.content.decode()
    assert 'data-testid="conflict"' in html
    assert "Анна Королёва" in html  # who saved it meanwhile
    row = re.search(r'<tr[^>]*data-field="pinned".*?</tr>', html, re.S).group(0)
    assert 'data-testid="saved">закреплена<' in row  # what is saved now
    assert 'data-testid="entered">закреплена<' in row  # what he asked for
    after = Task.objects.get(pk=task.pk)
    assert (after.version, after.pinned_start) == (saved.version, saved.pinned_start)
    assert not TaskChange.objects.filter(task=task, actor=sergey).exists()
    # The queue under the panel is the saved one: its button now unpins, from the new version.
    assert _version_in(html, task, "pin") == str(saved.version)


def test_the_htmx_button_gets_the_409_fragment_with_the_panel(task, viktoria, sergey, head, login):
    stale = str(task.version)
    login(head).post(f"/planning/tasks/{task.pk}/pin/", {"pinned": "1", "version": stale})

    response = login(sergey).post(
        f"/planning/tasks/{task.pk}/pin/",
        {"pinned": "1", "version": stale},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="queue"')  # the fragment htmx swaps in
    assert 'data-testid="conflict"' in html and "Анна Королёва" in html


def test_from_the_current_queue_the_button_works(task, viktoria, sergey, head, login):
    login(head).post(f"/planning/tasks/{task.pk}/pin/", {"pinned": "1", "version": task.version})
    current = Task.objects.get(pk=task.pk).version

    response = login(sergey).post(
        f"/planning/tasks/{task.pk}/pin/", {"pinned": "0", "version": current}
    )

    assert response.status_code == 302
    after = Task.objects.get(pk=task.pk)
    assert not after.pinned and after.version == current + 1
    assert TaskChange.objects.filter(task=task, actor=sergey, field="pinned").exists()


def test_the_page_config_makes_htmx_swap_a_409(task, viktoria, sergey, login):
    """htmx 2 swaps only 2xx by default: base.html's htmx-config lets a 409 fragment through."""
    import html as html_lib
    import json

    page = login(sergey).get(f"/planning/queue/?person={viktoria.pk}").content.decode()
    raw = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'', page).group(1)
    rules = json.loads(html_lib.unescape(raw))["responseHandling"]

    def first_rule(status: int) -> dict:  # htmx: the first rule whose code matches
        return next(r for r in rules if re.search(r["code"], str(status)))

    assert first_rule(409)["swap"] is True
    assert first_rule(200)["swap"] is True
    assert first_rule(204)["swap"] is False
    assert first_rule(400)["swap"] is False and first_rule(500)["swap"] is False
