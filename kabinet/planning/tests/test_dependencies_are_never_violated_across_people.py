from __future__ import annotations

from datetime import timedelta

from kabinet.planning.models import TaskForecast
from kabinet.work.services import change_task


def test_a_task_starts_only_after_what_blocks_it_is_predicted_done(
    project, viktoria, sergey, make_task, plan, now
):
    # Viktoria's long audit blocks Sergey's urgent, heavily weighted client letter.
    audit = make_task("Технический аудит", assignee=viktoria, hours=9, due=now + timedelta(days=5))
    spec = make_task(
        "ТЗ по итогам аудита",
        assignee=viktoria,
        hours=3,
        due=now + timedelta(days=1),
        blocked_by=[audit],
    )
    letter = make_task(
        "Письмо клиенту с итогами",
        assignee=sergey,
        hours=1,
        due=now + timedelta(hours=2),
        visibility="client",
        blocked_by=[spec],
    )
    change_task(viewer=sergey, task=letter, priority_boost=3)
    filler = [
        make_task(f"Мелкая задача {i}", assignee=sergey, hours=1, due=now + timedelta(days=3))
        for i in range(3)
    ]

    plan()

    fc = {f.task_id: f for f in TaskForecast.objects.all()}
    assert fc[spec.pk].predicted_start >= fc[audit.pk].predicted_finish
    assert fc[letter.pk].predicted_start >= fc[spec.pk].predicted_finish
    # Sergey does not sit idle waiting: his other work fills the time before the letter.
    assert all(fc[t.pk].predicted_finish <= fc[letter.pk].predicted_start for t in filler)
    assert fc[letter.pk].late_hours > 0


def test_done_blockers_hold_nothing_up(project, viktoria, sergey, make_task, plan, now):
    first = make_task("Доступы к Метрике", assignee=sergey, hours=8, due=now + timedelta(days=2))
    second = make_task(
        "Настроить цели",
        assignee=viktoria,
        hours=1,
        due=now + timedelta(days=2),
        blocked_by=[first],
    )
    change_task(viewer=sergey, task=first, status="done")

    plan()

    assert TaskForecast.objects.get(task=second).predicted_start == now
