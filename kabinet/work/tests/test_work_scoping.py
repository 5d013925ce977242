"""Oleg (client of another company) gets 404 on every work URL with an object id; internal tasks
never reach Marina."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kabinet.core.scoping import viewer_for
from kabinet.work.models import Recurrence
from kabinet.work.services import create_task, save_playbook, save_recurrence


@pytest.fixture
def objects(agency, head, project, sergey):
    public = create_task(
        viewer=sergey, project=project, title="Публичная задача", visibility="client"
    )
    internal = create_task(
        viewer=sergey, project=project, title="Секретная внутренняя задача", visibility="internal"
    )
    recurrence = save_recurrence(
        viewer=viewer_for(sergey),
        project=project,
        title="Отчёт",
        mode=Recurrence.Mode.BUSINESS_DAY,
        business_day=3,
        rrule="",
        starts_on=date(2027, 1, 1),
    )
    playbook = save_playbook(
        viewer=viewer_for(head),
        name="SEO",
        language="ru",
        items=[{"title": "Аудит", "offset_business_days": 0}],
    )
    return {
        "public": public,
        "internal": internal,
        "recurrence": recurrence,
        "playbook": playbook,
        "project": project,
    }


def _urls(o) -> list[str]:
    p = o["project"].pk
    t = o["public"].pk
    return [
        reverse("work:project_tasks", args=[p]),
        reverse("work:task_create", args=[p]),
        reverse("work:start_playbook", args=[p]),
        reverse("work:recurrences", args=[p]),
        reverse("work:recurrence", args=[p, o["recurrence"].pk]),
        reverse("work:task", args=[t]),
        reverse("work:task_edit", args=[t]),
        reverse("work:task_move", args=[t]),
        reverse("work:task_complete", args=[t]),
        reverse("work:playbook", args=[o["playbook"].pk]),
    ]


def test_a_client_of_another_company_gets_404_on_every_object_url(objects, oleg, login):
    client = login(oleg)
    for url in _urls(objects):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "x", "reason": "x"}).status_code == 404, url


def test_another_agency_gets_404_on_every_object_url(objects, stranger, login):
    client = login(stranger)
    for url in _urls(objects):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "x"}).status_code == 404, url


def test_internal_tasks_never_reach_the_client(objects, marina, login):
    client = login(marina)
    listing = client.get(reverse("work:project_tasks", args=[objects["project"].pk]))
    assert listing.status_code == 200
    assert "Публичная задача" in listing.content.decode()
    assert "Секретная внутренняя задача" not in listing.content.decode()
    internal = objects["internal"].pk
    for name in ("work:task", "work:task_edit", "work:task_move", "work:task_complete"):
        assert client.get(reverse(name, args=[internal])).status_code == 404, name
    assert client.get(reverse("work:task", args=[objects["public"].pk])).status_code == 200
    for name in (
        "work:task_edit",
        "work:task_move",
        "work:task_complete",
    ):  # clients cannot act as staff
        assert (
            client.post(reverse(name, args=[objects["public"].pk]), {"reason": "x"}).status_code
            == 404
        ), name
    for url in (reverse("work:board"), reverse("planning:queue")):
        assert "Секретная внутренняя задача" not in client.get(url, follow=True).content.decode()


def test_only_the_head_opens_playbooks_and_rules(objects, sergey, viktoria, login):
    for user in (sergey, viktoria):
        client = login(user)
        assert client.get(reverse("work:playbooks")).status_code == 404
        assert client.get(reverse("work:rules")).status_code == 404
        assert (
            client.get(reverse("work:playbook", args=[objects["playbook"].pk])).status_code == 404
        )


def test_an_internal_blocker_does_not_show_through_to_the_client(project, sergey, marina, login):
    internal = create_task(
        viewer=sergey, project=project, title="Внутренний доступ", visibility="internal"
    )
    create_task(
        viewer=sergey,
        project=project,
        title="Внедрить правки",
        visibility="client",
        blocked_by=[internal],
    )

    staff_page = (
        login(sergey).get(reverse("work:project_tasks", args=[project.pk])).content.decode()
    )
    client_page = (
        login(marina).get(reverse("work:project_tasks", args=[project.pk])).content.decode()
    )

    assert 'class="chip"' in staff_page
    assert "Внедрить правки" in client_page and 'class="chip"' not in client_page
