"""The manager's cockpit: beside each project, its questions waiting for us (and how many are past
the SLA), its promises due within two days (and how many are overdue) and its tasks the plan
finishes late — other agencies' and other projects' work not counted, and the client sees none
of these columns."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from kabinet.core.scoping import viewer_for
from kabinet.core.testing import make_project
from kabinet.planning.services import replan
from kabinet.promises.models import Promise
from kabinet.questions.models import Thread
from kabinet.questions.tests.helpers import ask
from kabinet.work.services import create_task


def _cell(html: str, project_pk: int, testid: str) -> str:
    row = html.split(f'href="/projects/{project_pk}/"', 1)[1].split("</tr>", 1)[0]
    return row.split(f'data-testid="{testid}">', 1)[1].split("</td>", 1)[0]


def test_each_project_row_counts_its_questions_promises_and_late_tasks(
    agency, company, project, sergey, viktoria, marina, login
):
    from kabinet.promises.services import create_promise

    quiet = make_project(company, "Контекст", manager=sergey)
    now = timezone.now()
    ask(marina, project, subject="Почему упали заявки?")
    late_question = ask(marina, project, subject="Где отчёт?")
    Thread.objects.filter(pk=late_question.pk).update(sla_due_at=now - timedelta(hours=1))
    soon = create_promise(
        viewer=viewer_for(sergey), project=project, what="Отчёт", due_at=now + timedelta(hours=20)
    )
    create_promise(
        viewer=viewer_for(sergey),
        project=project,
        what="Аудит",
        due_at=now + timedelta(days=10),  # not within two days: not counted
    )
    overdue = create_promise(
        viewer=viewer_for(sergey), project=project, what="Ссылки", due_at=now + timedelta(hours=2)
    )
    Promise.objects.filter(pk=overdue.pk).update(due_at=now - timedelta(hours=3))
    create_task(
        viewer=sergey,
        project=project,
        title="Большая работа",
        assignee=viktoria,
        estimate_hours=40,
        due_at=now + timedelta(hours=3),
    )
    replan(agency=agency, reason="test")

    with time_machine.travel(now, tick=False):
        html = login(sergey).get("/projects/").content.decode()
        client_html = login(marina).get("/projects/").content.decode()

    assert soon.pk
    assert _cell(html, project.pk, "questions").split(">", 1)[1].startswith("2 (просрочено 1)")
    assert _cell(html, project.pk, "promises").split(">", 1)[1].startswith("2 (просрочено 1)")
    assert ">1</a>" in _cell(html, project.pk, "late-tasks")
    for testid in ("questions", "promises", "late-tasks"):
        assert ">0<" in _cell(html, quiet.pk, testid)
    assert 'data-testid="questions"' not in client_html
