"""No 500 on bad input (issue 13, point 4): every payload below gets a 400 with the field named.

Dates at the ends of the calendar in report periods, task moves and playbook starts; 25-digit
ids in staged-file and dependency fields; a token id that is no number on the settings page; a
NUL byte or a line break where a header will be built; and, on the API, values outside an
enumeration and fields it does not know. Pages answer with the form again (the field's error on
it), the API with ``{"detail": {"<field>": [...]}}``.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kabinet.api.tests.test_api_scoping import api_client
from kabinet.questions.models import Thread
from kabinet.timeline.models import Event
from kabinet.work.models import Playbook, PlaybookItem, Task

FIRST_DAY, LAST_DAY = "0001-01-01", "9999-12-31"
TOO_LONG_ID = "1234567890123456789012345"
HEADER_INJECTION = "Срочно\r\nBcc: everyone@example.test"


@pytest.fixture
def task(project):
    return Task.objects.create(
        agency=project.agency, project=project, title="ТЗ на перелинковку", visibility="client"
    )


@pytest.fixture
def playbook(agency):
    book = Playbook.objects.create(agency=agency, name="Старт SEO", language="ru")
    PlaybookItem.objects.create(agency=agency, playbook=book, title="Аудит", offset_business_days=5)
    return book


def _report(**period):
    return {"kind": "report", "title": "Отчёт", "body": "Текст", "visibility": "client", **period}


# (who posts, url name, url args from the fixtures, the form, the field that must be named)
PAGE_CASES = {
    "report period from the first day": (
        "sergey",
        "publish",
        "project",
        _report(period_start=FIRST_DAY, period_end="2026-11-30"),
        None,
    ),
    "report period to the last day": (
        "sergey",
        "publish",
        "project",
        _report(period_start="2026-11-01", period_end=LAST_DAY),
        None,
    ),
    "report period spanning the calendar": (
        "sergey",
        "publish",
        "project",
        _report(period_start=FIRST_DAY, period_end=LAST_DAY),
        None,
    ),
    "task moved to the first day": (
        "sergey",
        "work:task_move",
        "task",
        {"due_at": f"{FIRST_DAY}T10:00", "reason": "Так"},
        "due_at",
    ),
    "task moved to the last day": (
        "sergey",
        "work:task_move",
        "task",
        {"due_at": f"{LAST_DAY}T23:59", "reason": "Так"},
        "due_at",
    ),
    "playbook started on the first day": (
        "sergey",
        "work:start_playbook",
        "project",
        {"playbook": "@playbook", "start": FIRST_DAY},
        "start",
    ),
    "playbook started on the last day": (
        "sergey",
        "work:start_playbook",
        "project",
        {"playbook": "@playbook", "start": LAST_DAY},
        "start",
    ),
    "playbook with a 25-digit id": (
        "sergey",
        "work:start_playbook",
        "project",
        {"playbook": TOO_LONG_ID, "start": "2027-01-11"},
        "playbook",
    ),
    "an absence on the last day of the calendar": (
        "sergey",
        "planning:availability",
        None,
        {"form": "absence", "kind": "vacation", "starts_on": LAST_DAY, "ends_on": LAST_DAY},
        "starts_on",
    ),
    "25-digit staged file on a question": (
        "marina",
        "questions:ask",
        "project",
        {"subject": "Вопрос", "body": "", "staged": f"{TOO_LONG_ID},1"},
        "body",
    ),
    "25-digit staged file on the composer": (
        "sergey",
        "publish",
        "project",
        {
            "kind": "message",
            "title": "",
            "body": "Текст",
            "visibility": "client",
            "staged": TOO_LONG_ID,
        },
        "title",
    ),
    "25-digit dependency of a new task": (
        "sergey",
        "work:task_create",
        "project",
        {
            "title": "Задача",
            "visibility": "internal",
            "status": "todo",
            "priority_boost": "0",
            "blocked_by": [TOO_LONG_ID],
        },
        "blocked_by",
    ),
    "25-digit assignee of a new task": (
        "sergey",
        "work:task_create",
        "project",
        {
            "title": "Задача",
            "visibility": "internal",
            "status": "todo",
            "priority_boost": "0",
            "assignee": TOO_LONG_ID,
        },
        "assignee",
    ),
    "question subject with a line break and Bcc": (
        "marina",
        "questions:ask",
        "project",
        {"subject": HEADER_INJECTION, "body": "Текст"},
        "subject",
    ),
    "question subject with a NUL byte": (
        "marina",
        "questions:ask",
        "project",
        {"subject": "Тема\x00", "body": "Текст"},
        "subject",
    ),
    "composer title with a line break": (
        "sergey",
        "publish",
        "project",
        {"kind": "message", "title": HEADER_INJECTION, "body": "Текст", "visibility": "client"},
        "title",
    ),
}


@pytest.mark.parametrize("case", list(PAGE_CASES))
def test_a_bad_value_on_a_page_is_a_400_naming_the_field(
    case, request, login, marina, sergey, project, task, playbook
):
    who, url_name, target, data, field = PAGE_CASES[case]
    data = {
        k: (str(request.getfixturevalue(v[1:]).pk) if isinstance(v, str) and v[:1] == "@" else v)
        for k, v in data.items()
    }
    client: Client = login(request.getfixturevalue(who))
    client.raise_request_exception = False
    events_before = Event.objects.count()
    args = [request.getfixturevalue(target).pk] if target else []
    response = client.post(reverse(url_name, args=args), data)
    assert response.status_code == 400, case
    form = next(
        f
        for f in (
            response.context.get(n) for n in ("form", "composer", "start_form", "absence_form")
        )
        if f
    )
    if field is None:  # a period: either end may be the one named
        assert {"period_start", "period_end"} & set(form.errors), form.errors
    else:
        assert field in form.errors, form.errors
    assert Event.objects.count() == events_before


def test_a_token_id_that_is_no_number_is_a_400_on_the_settings_page(login, sergey):
    client = login(sergey)
    client.raise_request_exception = False
    response = client.post(reverse("settings"), {"revoke_token": "abc"})
    assert response.status_code == 400
    assert "token-error" in response.content.decode()


def test_a_subject_with_a_line_break_never_reaches_an_email_header(marina, project):
    from django.core.exceptions import ValidationError

    from kabinet.questions import services
    from kabinet.questions.tests.helpers import v

    with pytest.raises(ValidationError) as refused:
        services.ask(viewer=v(marina), project=project, subject=HEADER_INJECTION, body="Текст")
    assert "subject" in refused.value.message_dict
    assert not Thread.objects.exists() and not mail.outbox


API_CASES = {
    "visibility outside the enumeration": (
        "projects/{project}/events",
        {"kind": "message", "title": "T", "visibility": "public"},
        "visibility",
    ),
    "kind outside the enumeration": (
        "projects/{project}/events",
        {"kind": "kpi", "title": "T"},
        "kind",
    ),
    "an unknown field": (
        "projects/{project}/events",
        {"kind": "message", "title": "T", "author_id": 1},
        "author_id",
    ),
    "a title with a line break": (
        "projects/{project}/events",
        {"kind": "message", "title": HEADER_INJECTION},
        "title",
    ),
    "a period to the last day": (
        "projects/{project}/events",
        {"kind": "report", "title": "T", "period_start": "2026-11-01", "period_end": LAST_DAY},
        None,
    ),
    "a period from the first day": (
        "projects/{project}/events",
        {"kind": "report", "title": "T", "period_start": FIRST_DAY, "period_end": "2026-11-30"},
        None,
    ),
    "a decision outside the enumeration": (
        "events/{event}/decision",
        {"decision": "maybe"},
        "decision",
    ),
    "a question subject with a line break": (
        "projects/{project}/questions",
        {"subject": HEADER_INJECTION, "body": "Текст"},
        "subject",
    ),
    "a question with an unknown field": (
        "projects/{project}/questions",
        {"subject": "S", "body": "B", "status": "resolved"},
        "status",
    ),
}


@pytest.mark.parametrize("case", list(API_CASES))
def test_a_bad_value_on_the_api_is_a_400_naming_the_field(case, agency, sergey, marina, project):
    from kabinet.timeline.services import record_event

    rec = record_event(
        project=project, kind="recommendation", title="ТЗ", author=sergey, decision="pending"
    )
    path, payload, field = API_CASES[case]
    user = marina if "questions" in path or "decision" in path else sergey
    client = api_client(user, agency)
    client.raise_request_exception = False
    events_before = Event.objects.count()
    response = client.post(
        "/api/v1/" + path.format(project=project.pk, event=rec.pk),
        payload,
        content_type="application/json",
    )
    assert response.status_code == 400, (case, response.content)
    fields = response.json()["fields"]  # the API's one error shape: {"detail", "fields"}
    if field is None:
        assert {"period_start", "period_end"} & set(fields), fields
    else:
        assert field in fields, fields
    assert Event.objects.count() == events_before


def test_a_25_digit_dependency_row_in_a_playbook_is_a_400_naming_the_row(login, head):
    client = login(head)
    client.raise_request_exception = False
    data = {
        "name": "Старт",
        "language": "ru",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-title": "Аудит",
        "items-0-role": "specialist",
        "items-0-visibility": "client",
        "items-1-title": "Ядро",
        "items-1-role": "specialist",
        "items-1-visibility": "client",
        "items-1-depends_on": TOO_LONG_ID,
    }
    response = client.post(reverse("work:playbook_new"), data)
    assert response.status_code == 400
    assert "depends_on" in response.context["formset"].forms[1].errors
    assert not Playbook.objects.exists()


def test_a_title_stored_with_a_line_break_still_reaches_the_inbox_on_one_line(sergey, agency):
    """A header is built from it: a line break there used to stop the e-mail (BadHeaderError)."""
    from kabinet.core.services import notify
    from kabinet.core.testing import flush_emails

    notify(user=sergey, agency=agency, kind="question_asked", title=HEADER_INJECTION, url="/q/1/")
    assert flush_emails() == 1
    (sent,) = mail.outbox
    assert "\n" not in sent.subject and "\r" not in sent.subject
    assert "Bcc: everyone@example.test" in sent.subject and not sent.bcc
