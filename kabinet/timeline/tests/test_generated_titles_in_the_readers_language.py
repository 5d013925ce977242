"""Titles Kabinet writes itself are a kind plus parameters, rendered in the reader's language."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.urls import reverse

from kabinet.api.tests.test_api_scoping import api_client
from kabinet.core.scoping import viewer_for
from kabinet.core.testing import Role, make_user
from kabinet.questions import services as questions
from kabinet.timeline.models import Event, Kind


def test_an_answer_title_is_russian_for_a_russian_reader_and_english_for_an_english_one(
    login, agency, company, sergey, marina, project
):
    john = make_user(
        agency,
        "john@client.test",
        Role.CLIENT,
        company=company,
        full_name="John Smith",
        language="en",
    )
    thread = questions.ask(
        viewer=viewer_for(marina),
        project=project,
        subject="Почему упал трафик?",
        body="Трафик упал.",
    )
    questions.reply(viewer=viewer_for(sergey), thread=thread, body="Сезонность.")

    russian = login(marina).get(reverse("project", args=[project.pk])).content.decode()
    english = login(john).get(reverse("project", args=[project.pk])).content.decode()

    assert "Ответ: Почему упал трафик?" in russian and "Answer: Почему упал трафик?" not in russian
    assert "Answer: Почему упал трафик?" in english and "Ответ: Почему упал трафик?" not in english


def test_the_api_gives_the_title_in_the_token_owners_language(
    agency, company, sergey, marina, project
):
    john = make_user(
        agency,
        "john@client.test",
        Role.CLIENT,
        company=company,
        full_name="John Smith",
        language="en",
    )
    thread = questions.ask(
        viewer=viewer_for(marina), project=project, subject="Где отчёт?", body="Ждём."
    )
    questions.reply(viewer=viewer_for(sergey), thread=thread, body="В пятницу.")

    titles = [
        e["title"]
        for e in api_client(john, agency)
        .get(f"/api/v1/projects/{project.pk}/events")
        .json()["items"]
    ]
    assert "Answer: Где отчёт?" in titles
    titles = [
        e["title"]
        for e in api_client(marina, agency)
        .get(f"/api/v1/projects/{project.pk}/events")
        .json()["items"]
    ]
    assert "Ответ: Где отчёт?" in titles


def test_a_title_typed_by_a_person_is_shown_as_typed(project, sergey):
    from kabinet.timeline.services import record_event

    event = record_event(
        project=project, kind=Kind.MESSAGE, title="Ответ: как мы считаем позиции", author=sergey
    )
    assert event.title_key == "" and event.shown_title == "Ответ: как мы считаем позиции"


def test_existing_generated_titles_become_keys_and_typed_ones_stay(project, sergey):
    generated = Event.objects.create(
        agency=project.agency,
        project=project,
        kind=Kind.DEADLINE,
        title="Срок перенесён: Тексты категорий",
        author=sergey,
    )
    english = Event.objects.create(
        agency=project.agency,
        project=project,
        kind=Kind.PROMISE,
        title="Promise moved: the plan — now by 10.12 18:00",
        author=sergey,
    )
    typed = Event.objects.create(
        agency=project.agency,
        project=project,
        kind=Kind.MESSAGE,
        title="Сделано: разметка",
        author=sergey,
    )

    migration = importlib.import_module(
        "kabinet.timeline.migrations.0003_generated_titles_and_agency_silence"
    )
    migration.forwards(apps, None)

    generated.refresh_from_db()
    english.refresh_from_db()
    typed.refresh_from_db()
    assert (generated.title_key, generated.title_params) == (
        "deadline_moved",
        {"title": "Тексты категорий"},
    )
    assert (english.title_key, english.title_params) == (
        "promise_moved",
        {"what": "the plan", "due": "10.12 18:00"},
    )
    assert typed.title_key == ""
    from django.utils import translation

    with translation.override("en"):
        assert generated.shown_title == "Deadline moved: Тексты категорий"
    with translation.override("ru"):
        assert english.shown_title == "Срок обещания перенесён: the plan — теперь до 10.12 18:00"
