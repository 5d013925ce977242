from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.timeline.models import Event, Kind
from kabinet.work.models import Task
from kabinet.work.services import create_task


def test_moving_a_due_date_without_a_reason_shows_a_message_and_keeps_the_date(
    project, sergey, login
):
    task = create_task(
        viewer=sergey,
        project=project,
        title="ТЗ",
        due_at=datetime(2027, 3, 10, 18, tzinfo=MSK),
        visibility="client",
    )

    response = login(sergey).post(
        reverse("work:task_move", args=[task.pk]), {"due_at": "2027-03-17T18:00", "reason": ""}
    )

    assert response.status_code == 400
    assert 'value="2027-03-17T18:00"' in response.content.decode()
    assert "errorlist" in response.content.decode() or "error" in response.content.decode()
    assert Task.objects.get(pk=task.pk).due_at == datetime(2027, 3, 10, 18, tzinfo=MSK)


def test_sergey_moves_a_due_date_from_the_page(project, sergey, login):
    task = create_task(
        viewer=sergey,
        project=project,
        title="ТЗ",
        due_at=datetime(2027, 3, 10, 18, tzinfo=MSK),
        visibility="client",
    )

    response = login(sergey).post(
        reverse("work:task_move", args=[task.pk]),
        {"due_at": "2027-03-17T18:00", "reason": "Клиент просил перенести"},
    )

    assert response.status_code == 302
    assert (
        Event.objects.get(project=project, kind=Kind.DEADLINE).body.count("Клиент просил перенести")
        == 1
    )


def test_a_new_task_without_a_title_keeps_the_description(project, sergey, login):
    response = login(sergey).post(
        reverse("work:task_create", args=[project.pk]),
        {
            "title": "",
            "description": "Подробное описание",
            "visibility": "internal",
            "status": "todo",
            "priority_boost": "0",
        },
    )

    assert response.status_code == 400
    assert "Подробное описание" in response.content.decode()
    assert not Task.objects.exists()


def test_the_board_groups_overdue_work_for_the_account_manager(project, sergey, viktoria, login):
    create_task(
        viewer=sergey,
        project=project,
        title="Просроченная задача",
        assignee=viktoria,
        due_at=datetime(2020, 1, 1, 18, tzinfo=MSK),
    )

    page = login(sergey).get(reverse("work:board")).content.decode()
    overdue = page.split('id="section-overdue"')[1].split("</section>")[0]
    assert "Просроченная задача" in overdue

    queue = login(viktoria).get(reverse("planning:queue")).content.decode()
    assert "Просроченная задача" in queue


def test_a_bad_playbook_row_keeps_every_row_typed(head, login):
    data = {
        "name": "SEO",
        "language": "ru",
        "service": "",
        "description": "",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-title": "Аудит",
        "items-0-offset_business_days": "0",
        "items-0-role": "specialist",
        "items-0-visibility": "client",
        "items-0-depends_on": "",
        "items-1-title": "Ядро",
        "items-1-offset_business_days": "5",
        "items-1-role": "specialist",
        "items-1-visibility": "client",
        "items-1-depends_on": "два",
    }
    response = login(head).post(reverse("work:playbook_new"), data)

    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Аудит"' in body and 'value="Ядро"' in body and 'value="два"' in body
