"""Notifications reach people in-app and by e-mail as they chose; a failed e-mail is retried, never lost."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.core import mail
from django.utils import timezone

from kabinet.core.models import Notification
from kabinet.core.services import deliver_email, notify, retry_due_emails


def test_notification_is_shown_in_app_and_mailed(
    marina, agency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(
            marina, agency=agency, kind="answer", title="Ответ на ваш вопрос", url="/questions/1/"
        )
    n.refresh_from_db()
    assert n.email_state == "sent" and n.read_at is None
    assert (
        mail.outbox[0].to == ["marina@client.test"]
        and "Ответ на ваш вопрос" in mail.outbox[0].subject
    )


def test_a_person_who_turned_email_off_gets_only_the_in_app_notification(
    marina, agency, django_capture_on_commit_callbacks
):
    marina.notify_by_email = False
    marina.save()
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(marina, agency=agency, kind="answer", title="Ответ")
    assert n.email_state == "not_wanted" and mail.outbox == []


def test_same_cause_notifies_once(marina, agency):
    first = notify(marina, agency=agency, kind="sla", title="SLA", dedupe_key="sla:1:75")
    second = notify(marina, agency=agency, kind="sla", title="SLA", dedupe_key="sla:1:75")
    assert first is not None and second is None
    assert Notification.objects.count() == 1


def test_failed_email_is_kept_and_retried_until_it_goes_through(marina, agency):
    marina.notify_by_email = True
    n = notify(marina, agency=agency, kind="answer", title="Ответ")
    with mock.patch(
        "kabinet.core.services.send_mail", side_effect=ConnectionRefusedError("smtp down")
    ):
        assert deliver_email(n.pk) == "failed"
    n.refresh_from_db()
    assert (n.email_state, n.email_attempts) == ("failed", 1)
    assert "smtp down" in n.email_error
    assert retry_due_emails(now=timezone.now()) == 0  # not yet: back-off
    assert retry_due_emails(now=timezone.now() + timedelta(hours=1)) == 1
    n.refresh_from_db()
    assert n.email_state == "sent" and len(mail.outbox) == 1


def test_delivering_twice_sends_once(marina, agency):
    n = notify(marina, agency=agency, kind="answer", title="Ответ")
    deliver_email(n.pk)
    deliver_email(n.pk)
    assert len(mail.outbox) == 1
