"""New task, question, reply and publish: the same rendered form posted twice (a double click,
a retried request) creates one record; the second post lands where the first one went."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kabinet.questions.models import Message, Thread
from kabinet.questions.tests.helpers import ask
from kabinet.timeline.models import Event
from kabinet.work.models import Task

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def token_from(client, url: str) -> str:
    page = client.get(url).content.decode()
    found = TOKEN.search(page)
    assert found, f"no form token on {url}"
    return found.group(1)


def post_twice(client, url: str, data: dict) -> tuple:
    first = client.post(url, data)
    second = client.post(url, data)
    return first, second


def test_a_new_task_posted_twice_is_created_once(project, sergey, login):
    client = login(sergey)
    url = reverse("work:task_create", args=[project.pk])
    data = {
        "title": "Собрать семантику",
        "visibility": "internal",
        "status": "todo",
        "priority_boost": "0",
        "form_token": token_from(client, url),
    }
    first, second = post_twice(client, url, data)
    assert first.status_code == 302
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Task.objects.filter(title="Собрать семантику").count() == 1


def test_a_question_posted_twice_is_asked_once(project, marina, login):
    client = login(marina)
    url = reverse("questions:ask", args=[project.pk])
    data = {"subject": "Трафик упал", "body": "Почему?", "form_token": token_from(client, url)}
    first, second = post_twice(client, url, data)
    assert first.status_code == 302
    assert second["Location"] == first["Location"]
    assert Thread.objects.filter(subject="Трафик упал").count() == 1


def test_a_reply_posted_twice_is_sent_once(project, marina, sergey, login):
    thread = ask(marina, project)
    client = login(sergey)
    token = token_from(client, reverse("questions:thread", args=[thread.pk]))
    url = reverse("questions:reply", args=[thread.pk])
    before = Message.objects.filter(thread=thread).count()
    first, second = post_twice(client, url, {"body": "Разбираемся", "form_token": token})
    assert first.status_code == 302
    assert second["Location"] == first["Location"]
    assert Message.objects.filter(thread=thread).count() == before + 1


def test_a_report_published_twice_is_published_once(project, sergey, login):
    client = login(sergey)
    token = token_from(client, reverse("project", args=[project.pk]))
    data = {
        "kind": "report",
        "title": "Отчёт за ноябрь",
        "body": "Итоги",
        "visibility": "client",
        "period_start": "2026-11-01",
        "period_end": "2026-11-30",
        "form_token": token,
    }
    first, second = post_twice(client, reverse("publish", args=[project.pk]), data)
    assert first.status_code == 302
    assert Event.objects.filter(project=project, title="Отчёт за ноябрь").count() == 1


def test_a_form_refused_for_bad_input_can_be_sent_again_with_its_token(project, sergey, login):
    client = login(sergey)
    url = reverse("work:task_create", args=[project.pk])
    token = token_from(client, url)
    data = {"title": "", "visibility": "internal", "status": "todo", "priority_boost": "0"}
    refused = client.post(url, {**data, "form_token": token})
    assert refused.status_code in (200, 400)
    accepted = client.post(url, {**data, "title": "Исправлено", "form_token": token})
    assert accepted.status_code == 302
    assert Task.objects.filter(title="Исправлено").count() == 1


def test_each_rendering_of_a_form_carries_its_own_token(project, sergey, login):
    client = login(sergey)
    url = reverse("work:task_create", args=[project.pk])
    assert token_from(client, url) != token_from(client, url)
