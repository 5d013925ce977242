"""A recommendation waiting for the client's decision is reminded (3, 7, 14 days, then fortnightly), once per
point; the manager is told from a week on. A decided one is not reminded."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kabinet.core.models import Notification
from kabinet.timeline.models import Decision, Kind
from kabinet.timeline.notices import remind_pending_decisions, reminder_number
from kabinet.timeline.services import record_event

MSK = ZoneInfo("Europe/Moscow")
SENT = datetime(2026, 8, 10, 12, tzinfo=MSK)


def recommendation(
    project, author, title="Рекомендация: отзывы на карточках", decision=Decision.PENDING
):
    return record_event(
        project=project,
        kind=Kind.RECOMMENDATION,
        title=title,
        author=author,
        occurred_at=SENT,
        decision=decision,
    )


def kinds(user):
    return [n.kind for n in Notification.objects.filter(user=user).order_by("pk")]


def test_reminder_points_are_3_7_14_days_then_every_fortnight():
    assert [reminder_number(timedelta(days=d)) for d in (1, 3, 6, 7, 13, 14, 27, 28, 42)] == [
        0,
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        5,
    ]


def test_the_client_is_reminded_once_per_point_and_the_manager_from_a_week(
    marina, sergey, viktoria, project
):
    rec = recommendation(project, viktoria)
    assert remind_pending_decisions(SENT + timedelta(days=2)) == 0
    remind_pending_decisions(SENT + timedelta(days=3, hours=1))
    remind_pending_decisions(SENT + timedelta(days=3, hours=2))  # the same point: nothing new
    assert kinds(marina) == ["decision_reminder"] and kinds(sergey) == []
    remind_pending_decisions(SENT + timedelta(days=7, hours=1))
    assert kinds(marina) == ["decision_reminder"] * 2 and kinds(sergey) == ["decision_waiting"]
    note = Notification.objects.filter(user=marina).latest("pk")
    assert note.title == "Всё ещё ждём вашего решения: Рекомендация: отзывы на карточках"
    assert (
        "10 августа" in note.body and note.url == f"/events/{rec.pk}/" and note.project == project
    )
    assert note.action == "Согласуйте, отклоните или прокомментируйте в Кабинете."


def test_a_recommendation_waiting_since_august_is_reminded_in_december(
    marina, sergey, viktoria, project
):
    recommendation(project, viktoria)
    remind_pending_decisions(datetime(2026, 12, 1, 10, tzinfo=MSK))
    assert kinds(marina) == ["decision_reminder"]
    manager_note = Notification.objects.get(user=sergey)
    assert "112" in manager_note.title and "ТехноДом" in manager_note.title
    assert manager_note.action.startswith("Позвоните клиенту")


def test_a_decided_recommendation_is_not_reminded(marina, viktoria, project):
    recommendation(project, viktoria, decision=Decision.APPROVED)
    assert remind_pending_decisions(SENT + timedelta(days=30)) == 0


def test_the_reminders_run_hourly_through_the_scheduler():
    from kabinet.jobs.periodic import registered

    job = {j.name: j for j in registered()}["timeline.decision_reminders"]
    assert job.every == timedelta(hours=1)
