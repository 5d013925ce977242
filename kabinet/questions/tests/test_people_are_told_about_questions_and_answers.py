"""The assignee hears about a question, the client about an answer: in-app and by e-mail, as chosen."""

from __future__ import annotations

from django.core import mail

from kabinet.core.models import Notification
from kabinet.core.testing import flush_emails
from kabinet.questions import services
from kabinet.questions.tests.helpers import ask, v


def test_assignee_is_told_when_a_question_arrives(
    marina, sergey, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = ask(marina, project, subject="Где отчёт?")
    note = Notification.objects.get(user=sergey, kind="question_asked")
    assert "Где отчёт?" in note.title and note.url.endswith(f"/questions/{thread.pk}/")
    flush_emails()  # e-mail goes out a few minutes later, batched per person
    assert [m.to for m in mail.outbox] == [[sergey.email]]
    assert not Notification.objects.filter(user=marina).exists()


def test_client_is_told_when_an_answer_arrives(
    marina, sergey, project, django_capture_on_commit_callbacks
):
    thread = ask(marina, project, subject="Где отчёт?")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(viewer=v(sergey), thread=thread, body="Вот он.")
    flush_emails()
    note = Notification.objects.get(user=marina, kind="question_answered")
    assert note.body == "Вот он." and note.email_state == "sent"
    assert [marina.email] in [m.to for m in mail.outbox]


def test_internal_notes_do_not_notify_the_client(marina, sergey, project):
    thread = ask(marina, project)
    services.reply(viewer=v(sergey), thread=thread, body="Только для своих", internal=True)
    assert not Notification.objects.filter(user=marina).exists()


def test_each_person_chooses_in_app_and_e_mail(
    marina, sergey, project, django_capture_on_commit_callbacks
):
    marina.notify_by_email = False
    marina.save()
    thread = ask(marina, project)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(viewer=v(sergey), thread=thread, body="Ответ")
    note = Notification.objects.get(user=marina)
    assert note.email_state == "not_wanted" and note.read_at is None
    assert all(m.to != [marina.email] for m in mail.outbox)


def test_a_failed_e_mail_is_kept_for_retry(
    marina, sergey, project, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = (
        "kabinet.questions.tests.test_people_are_told_about_questions_and_answers.Broken"
    )
    with django_capture_on_commit_callbacks(execute=True):
        ask(marina, project)
    flush_emails()
    note = Notification.objects.get(user=sergey)
    assert (
        note.email_state == "failed"
        and note.email_next_try_at is not None
        and "SMTP down" in note.email_error
    )


class Broken:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("SMTP down")
