from __future__ import annotations

from datetime import timedelta

import pytest

from kabinet.core.models import Notification
from kabinet.promises import services
from kabinet.promises.models import State
from kabinet.promises.tests.conftest import WEDNESDAY_10, msk
from kabinet.timeline.models import Event, Kind, Visibility


@pytest.fixture
def promise(wednesday, project, sergey, as_viewer):
    # Made at 10:00, due tomorrow 13:00: 12 business hours, so "soon" is the last 3 of them.
    return services.create_promise(
        viewer=as_viewer(sergey),
        project=project,
        what="Обновлённый план",
        due_at=msk(2026, 12, 3, 13, 0),
    )


def reminders(user, kind):
    return Notification.objects.filter(user=user, kind=kind)


def test_nothing_is_sent_while_the_due_time_is_far(promise, sergey):
    result = services.run_clock(now=msk(2026, 12, 2, 15, 0))

    assert result.soon == 0
    assert not reminders(sergey, "promise_soon").exists()


def test_a_reminder_job_that_runs_twice_sends_one_reminder(promise, sergey):
    first = services.run_clock(now=msk(2026, 12, 3, 10, 30))
    second = services.run_clock(now=msk(2026, 12, 3, 10, 35))

    assert (first.soon, second.soon) == (1, 0)
    assert reminders(sergey, "promise_soon").count() == 1


def test_at_the_due_time_the_promiser_is_reminded_once(promise, sergey):
    services.run_clock(now=msk(2026, 12, 3, 13, 0))
    services.run_clock(now=msk(2026, 12, 3, 13, 20))

    assert reminders(sergey, "promise_due").count() == 1
    promise.refresh_from_db()
    assert promise.state == State.OPEN  # within the grace hour it is not broken yet


def test_a_broken_promise_escalates_to_the_head_once(promise, sergey, head):
    first = services.run_clock(now=msk(2026, 12, 3, 14, 5))
    second = services.run_clock(now=msk(2026, 12, 3, 16, 0))

    assert (first.broken, second.broken) == (1, 0)
    promise.refresh_from_db()
    assert promise.state == State.BROKEN and promise.broken_at == msk(2026, 12, 3, 14, 5)
    assert Notification.objects.filter(user=head, kind="promise_broken").count() == 1
    assert Notification.objects.filter(user=sergey, kind="promise_broken").count() == 1
    event = Event.objects.get(kind=Kind.PROMISE, title__startswith="Обещание не выполнено")
    assert event.visibility == Visibility.CLIENT


def test_a_kept_promise_is_neither_reminded_nor_broken(promise, sergey, head, as_viewer):
    services.keep(viewer=as_viewer(sergey), promise=promise, message="Отчёт отправлен.")

    result = services.run_clock(now=msk(2026, 12, 4, 12, 0))

    assert (result.soon, result.due, result.broken) == (0, 0, 0)
    assert not Notification.objects.filter(user=head).exists()


def test_a_renegotiated_promise_is_reminded_again_for_its_new_date(promise, sergey, as_viewer):
    services.run_clock(now=msk(2026, 12, 3, 10, 30))
    services.renegotiate(
        viewer=as_viewer(sergey),
        promise=promise,
        new_due=msk(2026, 12, 4, 18, 0),
        reason="Ждём данные из Метрики",
        message="Марина, план будет в пятницу до конца дня.",
        now=msk(2026, 12, 3, 11, 0),
    )

    services.run_clock(now=msk(2026, 12, 4, 16, 0))

    assert reminders(sergey, "promise_soon").count() == 2
    promise.refresh_from_db()
    assert promise.state == State.RENEGOTIATED


def test_the_clock_is_a_task_for_the_scheduler(promise, sergey):
    from kabinet.promises.tasks import promise_clock

    result = promise_clock.call((WEDNESDAY_10 + timedelta(days=1, hours=4, minutes=30)).isoformat())

    assert result["broken"] == 1
