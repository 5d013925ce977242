"""Two managers boost the same task from queues loaded at the same time: the second boost,
sent from the stale queue, writes nothing and answers 409 with the boost saved now (and by whom)
next to the one asked for; from the queue as it is now it goes through."""

from __future__ import annotations

import re
from datetime import timedelta

from kabinet.work.models import Task


def test_a_boost_from_a_stale_queue_is_a_conflict_and_the_current_one_works(
    project, viktoria, sergey, head, make_task, plan, now, login
):
    task = make_task("Статья", assignee=viktoria, hours=3, due=now + timedelta(days=2))
    plan()
    seen = task.version

    assert (
        login(head)
        .post(f"/planning/tasks/{task.pk}/boost/", {"boost": "3", "version": seen})
        .status_code
        == 302
    )

    sergeys = login(sergey)
    stale = sergeys.post(
        f"/planning/tasks/{task.pk}/boost/",
        {"boost": "1", "version": seen},
        HTTP_HX_REQUEST="true",
    )

    assert stale.status_code == 409
    html = stale.content.decode()
    assert 'data-testid="conflict"' in html and "Анна Королёва" in html
    row = re.search(r'<tr[^>]*data-field="boost".*?</tr>', html, re.S).group(0)
    assert re.search(r'data-testid="entered">1<', row)  # what Sergey asked for
    assert re.search(r'data-testid="saved">3<', row)  # what the head saved
    saved = Task.objects.get(pk=task.pk)
    assert saved.priority_boost == 3 and saved.version == seen + 1

    current = sergeys.post(
        f"/planning/tasks/{task.pk}/boost/",
        {"boost": "1", "version": saved.version},
        HTTP_HX_REQUEST="true",
    )

    assert current.status_code == 200
    assert Task.objects.get(pk=task.pk).priority_boost == 1
