"""Nothing is sent before the manager confirms: the job drafts, the manager's click sends."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from kabinet.core.models import AuditEntry, Notification
from kabinet.core.testing import flush_emails
from kabinet.health.digests.services import draft_due_digests
from kabinet.health.models import Digest
from kabinet.health.tests import digest_week as w
from kabinet.timeline.models import Event, Kind


@pytest.fixture
def drafted(project, sergey, marina, django_capture_on_commit_callbacks):
    w.build(project, sergey, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        draft_due_digests(now=w.DRAFTED_AT)
    return Digest.objects.get(project=project)


def test_the_job_drafts_and_sends_nothing(drafted, project, marina):
    flush_emails()

    assert drafted.is_sent is False
    assert not Event.objects.filter(project=project, kind=Kind.DIGEST).exists()
    assert not Notification.objects.filter(user=marina, kind="weekly_digest").exists()
    assert not [m for m in mail.outbox if marina.email in m.to]


def test_the_job_does_not_draft_before_monday_morning(project, sergey):
    assert draft_due_digests(now=w.msk(2026, 11, 30, 7, 30))["drafted"] == 1  # the week before
    assert not Digest.objects.filter(week_start=w.WEEK).exists()


def test_the_managers_click_sends_the_letter_she_edited(
    drafted, project, sergey, marina, login, django_capture_on_commit_callbacks
):
    client = login(sergey)
    body = drafted.body.replace("Hello!", "Марина, добрый день!").replace(
        "Здравствуйте!", "Марина, добрый день!"
    )
    with (
        time_machine.travel(w.msk(2026, 11, 30, 11, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("health:digest", args=[drafted.pk]),
            {
                "subject": drafted.subject,
                "body": body,
                "version": drafted.version,
                "action": "send",
            },
        )
    assert response.status_code == 302
    drafted.refresh_from_db()
    assert drafted.is_sent and drafted.sent_by == sergey and not drafted.sent_automatically
    assert "Марина, добрый день!" in drafted.event.body
    assert AuditEntry.objects.filter(verb="digest_sent", object_id=str(drafted.pk)).exists()
    flush_emails()
    letters = [m for m in mail.outbox if marina.email in m.to]
    assert len(letters) == 1
    assert "Марина, добрый день!" in letters[0].body
    assert w.PROMISE_OPEN in letters[0].body  # the whole letter, not an excerpt
    html = letters[0].alternatives[0][0]
    assert "<h3>Что мы обещали</h3>" in html  # the Markdown letter, rendered (and sanitised)


def test_saving_a_draft_sends_nothing(drafted, project, sergey, login):
    client = login(sergey)
    response = client.post(
        reverse("health:digest", args=[drafted.pk]),
        {"subject": "Неделя", "body": "Текст", "version": drafted.version, "action": "save"},
    )
    assert response.status_code == 302
    drafted.refresh_from_db()
    assert (drafted.subject, drafted.body, drafted.version) == ("Неделя", "Текст\n", 2)
    assert not drafted.is_sent
    assert not Event.objects.filter(project=project, kind=Kind.DIGEST).exists()
