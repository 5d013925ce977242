"""The days of silence count from the last client-visible item the agency published: the client's
own questions, ratings and decisions do not end the agency's silence."""

from __future__ import annotations

import importlib
from datetime import timedelta

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from kabinet.clients.models import Project
from kabinet.core.scoping import viewer_for
from kabinet.questions import services as questions
from kabinet.timeline import services as timeline
from kabinet.timeline.models import Decision, Kind
from kabinet.timeline.services import record_event


def silence(login, user, project) -> int | None:
    rows = login(user).get(reverse("projects")).context["rows"]
    return next(row["silence"] for row in rows if row["project"].pk == project.pk)


def test_the_clients_question_rating_and_decision_do_not_end_the_agencys_silence(
    login, sergey, marina, project
):
    now = timezone.now()
    record_event(
        project=project,
        kind=Kind.REPORT,
        title="Отчёт за октябрь",
        author=sergey,
        occurred_at=now - timedelta(days=9),
    )
    recommendation = record_event(
        project=project,
        kind=Kind.RECOMMENDATION,
        title="ТЗ на перелинковку",
        author=sergey,
        decision=Decision.PENDING,
        occurred_at=now - timedelta(days=9),
    )
    thread = questions.ask(
        viewer=viewer_for(marina),
        project=project,
        subject="Где отчёт за ноябрь?",
        body="Ждём отчёт.",
    )
    timeline.decide(
        viewer=viewer_for(marina), recommendation=recommendation, decision=Decision.APPROVED
    )

    assert silence(login, sergey, project) == 9
    assert thread.status == "waiting_agency"


def test_an_answer_from_the_agency_ends_the_silence(login, sergey, marina, project):
    record_event(
        project=project,
        kind=Kind.REPORT,
        title="Отчёт",
        author=sergey,
        occurred_at=timezone.now() - timedelta(days=9),
    )
    thread = questions.ask(
        viewer=viewer_for(marina),
        project=project,
        subject="Где отчёт за ноябрь?",
        body="Ждём отчёт.",
    )
    questions.reply(
        viewer=viewer_for(sergey),
        thread=thread,
        body="Отчёт будет в пятницу, сейчас сверяем данные.",
    )

    assert silence(login, sergey, project) == 0


def test_a_system_notice_is_not_the_agency_speaking(login, sergey, project):
    record_event(
        project=project,
        kind=Kind.REPORT,
        title="Отчёт",
        author=sergey,
        occurred_at=timezone.now() - timedelta(days=5),
    )
    record_event(project=project, kind=Kind.PROMISE, title="Обещание не выполнено в срок: план")

    assert silence(login, sergey, project) == 5


def test_existing_projects_are_recounted_from_the_agencys_own_items(sergey, marina, project):
    now = timezone.now()
    record_event(
        project=project,
        kind=Kind.REPORT,
        title="Отчёт",
        author=sergey,
        occurred_at=now - timedelta(days=7),
    )
    record_event(
        project=project,
        kind=Kind.QUESTION,
        title="Вопрос",
        author=marina,
        occurred_at=now - timedelta(days=1),
    )
    Project.objects.filter(pk=project.pk).update(
        last_client_update_at=now - timedelta(days=1)
    )  # as before the fix

    migration = importlib.import_module(
        "kabinet.timeline.migrations.0003_generated_titles_and_agency_silence"
    )
    migration.forwards(apps, None)

    project.refresh_from_db()
    assert project.last_client_update_at == now - timedelta(days=7)
