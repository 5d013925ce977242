"""No floods: what comes to one person within a few minutes goes out as one e-mail."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from kabinet.core.models import Notification
from kabinet.core.services import notify, send_due_emails


def at(minutes: float):
    return timezone.now() + timedelta(minutes=minutes)


def tell(user, agency, title, project=None):
    return notify(
        user=user,
        agency=agency,
        kind="task_assigned",
        title=title,
        url="/tasks/1/",
        project=project,
    )


def test_five_notifications_in_a_minute_are_one_email(sergey, agency, project):
    for i in range(5):
        tell(sergey, agency, f"Задача {i}", project)
    assert send_due_emails(now=at(0.5)) == 0  # still coming: wait
    assert send_due_emails(now=at(3)) == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert all(f"Задача {i}" in body for i in range(5))
    assert "5" in mail.outbox[0].subject and "ТехноДом" in mail.outbox[0].subject
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}


def test_each_person_gets_their_own_email(sergey, viktoria, agency):
    tell(sergey, agency, "Для Сергея")
    tell(viktoria, agency, "Для Виктории")
    tell(viktoria, agency, "Ещё для Виктории")
    assert send_due_emails(now=at(3)) == 2
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert "Для Сергея" in by_person[sergey.email] and "Виктории" not in by_person[sergey.email]
    assert "Ещё для Виктории" in by_person[viktoria.email]


def test_a_steady_stream_still_goes_out_after_ten_minutes(sergey, agency):
    first = tell(sergey, agency, "Первая")
    Notification.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(minutes=11)
    )
    tell(sergey, agency, "Только что")
    assert send_due_emails(now=timezone.now() + timedelta(seconds=1)) == 1
    assert "Первая" in mail.outbox[0].body and "Только что" in mail.outbox[0].body


def test_what_comes_after_the_email_goes_in_the_next_one(sergey, agency):
    tell(sergey, agency, "Первая")
    send_due_emails(now=at(3))
    tell(sergey, agency, "Вторая")
    send_due_emails(now=at(6))
    assert len(mail.outbox) == 2 and "Первая" not in mail.outbox[1].body
