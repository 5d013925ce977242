"""A 371 KB message full of promises (it returned 500 after saving 7,528 of 10,000 proposals) is
refused before anything is written, with a clear message naming the field and the text kept in
the form; a text within the limits is saved whole and its promises are read in the background,
bounded."""

from __future__ import annotations

import json

from django.urls import reverse

from kabinet.api.tests.conftest import token_client
from kabinet.core import limits
from kabinet.promises.models import PromiseProposal
from kabinet.questions.models import Message
from kabinet.questions.tests.helpers import ask
from kabinet.timeline.models import Event

PHRASE = "Пришлю отчёт по разделу R{n} в пятницу. "


def _wall(size: int) -> str:
    text, n = [], 0
    while sum(map(len, text)) < size:
        text.append(PHRASE.format(n=n))
        n += 1
    return "".join(text)[:size]


WALL = _wall(371 * 1024)


def test_an_answer_of_371_kb_is_refused_and_kept_in_the_form(
    wednesday, login, marina, sergey, project
):
    thread = ask(marina, project)
    before = Message.objects.count()

    response = login(sergey).post(reverse("questions:reply", args=[thread.pk]), {"body": WALL})

    assert response.status_code == 400
    form = response.context["reply_form"]
    assert list(form.errors) == ["body"]
    assert str(limits.MESSAGE) in form.errors["body"][0]  # the limit is named
    assert form["body"].value() == WALL  # nothing she typed is lost
    assert Message.objects.count() == before
    assert not PromiseProposal.objects.exists()


def test_a_report_of_371_kb_is_refused_and_kept_in_the_composer(wednesday, login, sergey, project):
    response = login(sergey).post(
        reverse("publish", args=[project.pk]),
        {
            "kind": "report",
            "title": "Стена обещаний",
            "body": WALL,
            "visibility": "client",
            "period_start": "2026-11-01",
            "period_end": "2026-11-30",
        },
    )

    assert response.status_code == 400
    assert list(response.context["composer"].errors) == ["body"]
    assert response.context["composer"]["body"].value() == WALL
    assert not Event.objects.filter(title="Стена обещаний").exists()
    assert not PromiseProposal.objects.exists()


def test_the_api_refuses_it_whole(wednesday, agency, sergey, project):
    response = token_client(sergey, agency).post(
        f"/api/v1/projects/{project.pk}/events",
        json.dumps({"kind": "message", "title": "Стена обещаний", "body": WALL}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "body" in response.json()["fields"]
    assert not Event.objects.filter(title="Стена обещаний").exists()
    assert not PromiseProposal.objects.exists()
