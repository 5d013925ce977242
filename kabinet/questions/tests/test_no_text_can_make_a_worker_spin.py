"""No request can make a worker spin (issue 13, point 1).

A client's question of 800,000 × "y" held a worker for 105 s and every staff view of the thread
took 8–9 s; a 3 MB API publish ran for more than 17 minutes. The same shapes, at a size that is
quick once fixed: every text field has a maximum length, refused with the field named and the
text kept; indexing reads a bounded, linear amount; related items are computed once per text.
"""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.urls import reverse

from kabinet.api.tests.test_api_scoping import api_client
from kabinet.core import limits
from kabinet.questions.models import Thread
from kabinet.questions.tests.helpers import ask
from kabinet.timeline import search
from kabinet.timeline.models import Event, Kind
from kabinet.timeline.services import record_event


def test_a_question_longer_than_the_limit_is_refused_with_the_text_kept(login, marina, project):
    body = "y" * (limits.MESSAGE + 1)
    response = login(marina).post(
        reverse("questions:ask", args=[project.pk]), {"subject": "Вопрос", "body": body}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["body"]
    assert form.data["body"] == body  # re-rendered with what was typed
    assert body in response.content.decode()
    # The server checks the length, not the browser: a `maxlength` would cut a paste silently.
    assert f'maxlength="{limits.MESSAGE}"' not in response.content.decode()
    assert not Thread.objects.exists()


def test_the_api_refuses_a_body_over_the_limit_naming_the_field(sergey, agency, project):
    response = api_client(sergey, agency).post(
        f"/api/v1/projects/{project.pk}/events",
        {"kind": "message", "title": "Большой текст", "body": "y" * (limits.DOCUMENT + 1)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "body" in response.json()["detail"]
    assert not Event.objects.filter(title="Большой текст").exists()


def test_indexing_a_long_word_stems_a_bounded_number_of_letters(monkeypatch):
    seen: list[int] = []
    real = search._stemmer

    class Counting:
        def __init__(self, language):
            self.inner = real(language)

        def stemWord(self, word):  # noqa: N802 (Snowball's name)
            seen.append(len(word))
            return self.inner.stemWord(word)

    monkeypatch.setattr(search, "_stemmer", Counting)
    search.stems("y" * 300_000 + " " + "слово " * 100_000)
    assert max(seen) <= search.STEMMED_WORD
    assert sum(seen) <= search.INDEXED_CHARS  # the rest of the text is never read


def test_related_items_are_computed_once_per_text_not_per_view(
    login, monkeypatch, marina, sergey, project
):
    record_event(
        project=project, kind=Kind.REPORT, title="Отчёт о позициях в выдаче", author=sergey
    )
    thread = ask(marina, project, subject="Позиции", body="Почему упали позиции в выдаче?")
    calls: list[str] = []
    real = search._ranked_ids
    monkeypatch.setattr(
        search,
        "_ranked_ids",
        lambda scope, text, *a, **k: calls.append(text) or real(scope, text, *a, **k),
    )
    staff = login(sergey)
    for _ in range(3):
        page = staff.get(reverse("questions:thread", args=[thread.pk]))
        assert "Отчёт о позициях в выдаче" in page.content.decode()
    assert len(calls) == 1
    # A new item on the project is a new answer: computed again, once.
    record_event(project=project, kind=Kind.PLAN, title="План по позициям", author=sergey)
    staff.get(reverse("questions:thread", args=[thread.pk]))
    staff.get(reverse("questions:thread", args=[thread.pk]))
    assert len(calls) == 2


FORM_MODULES = [
    "kabinet.core.forms",
    "kabinet.timeline.forms",
    "kabinet.questions.forms",
    "kabinet.promises.forms",
    "kabinet.work.forms",
    "kabinet.planning.forms",
    "kabinet.health.forms",
]


def _declared_text_fields():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module_name:
                continue
            for field_name, field in form.base_fields.items():
                if type(field) in (forms.CharField,) or isinstance(field, forms.CharField):
                    if isinstance(field, forms.EmailField | forms.SlugField):
                        continue
                    yield f"{module_name}.{name}.{field_name}", field


@pytest.mark.parametrize("field", [name for name, _f in _declared_text_fields()])
def test_every_text_field_of_every_form_has_a_maximum_length(field):
    found = dict(_declared_text_fields())[field]
    assert found.max_length is not None and found.max_length <= limits.DOCUMENT, field
