"""Notifications reach people in-app and by e-mail as they chose; a failed e-mail is retried, never lost."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.core import mail
from django.utils import timezone

from kabinet.core.models import Notification
from kabinet.core.services import notify, send_due_emails
from kabinet.core.testing import flush_emails


def test_notification_is_shown_in_app_and_mailed(marina, agency):
    n = notify(
        user=marina,
        agency=agency,
        kind="question_answered",
        title="Ответ на ваш вопрос",
        url="/questions/1/",
    )
    assert flush_emails() == 1
    n.refresh_from_db()
    assert n.email_state == "sent" and n.read_at is None
    assert (
        mail.outbox[0].to == ["marina@client.test"]
        and "Ответ на ваш вопрос" in mail.outbox[0].subject
    )


def test_a_person_who_turned_email_off_gets_only_the_in_app_notification(marina, agency):
    marina.notify_by_email = False
    marina.save()
    n = notify(user=marina, agency=agency, kind="question_answered", title="Ответ")
    flush_emails()
    n.refresh_from_db()
    assert n.email_state == "not_wanted" and mail.outbox == []


def test_same_cause_notifies_once(marina, agency):
    first = notify(user=marina, agency=agency, kind="sla", title="SLA", dedupe_key="sla:1:75")
    second = notify(user=marina, agency=agency, kind="sla", title="SLA", dedupe_key="sla:1:75")
    assert first is not None and second is None
    assert Notification.objects.count() == 1


def test_failed_email_is_kept_and_retried_until_it_goes_through(marina, agency):
    n = notify(user=marina, agency=agency, kind="question_answered", title="Ответ")
    later = timezone.now() + timedelta(minutes=5)
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send",
        side_effect=ConnectionRefusedError("smtp down"),
    ):
        assert send_due_emails(now=later) == 0
    n.refresh_from_db()
    assert (n.email_state, n.email_attempts) == ("failed", 1)
    assert "smtp down" in n.email_error
    assert send_due_emails(now=later) == 0  # not yet: back-off
    assert send_due_emails(now=later + timedelta(hours=1)) == 1
    n.refresh_from_db()
    assert n.email_state == "sent" and len(mail.outbox) == 1


def test_sending_twice_sends_once(marina, agency):
    notify(user=marina, agency=agency, kind="question_answered", title="Ответ")
    flush_emails()
    flush_emails()
    assert len(mail.outbox) == 1


def test_the_e_mails_go_out_every_minute_through_the_scheduler():
    from kabinet.jobs.periodic import registered

    jobs = {j.name: j for j in registered()}
    assert jobs["core.notification_emails"].every == timedelta(minutes=1)
    assert jobs["core.notification_digests"].every == timedelta(hours=1)
