"""Busy projects for the tests of the weekly job's batches: every section of the letter has lines
(more than a letter shows where it caps them), internal items carry digest_week.MARK, and every
title carries the project's name, so that a line in another project's letter would show.

The week is digest_week's: Monday 23 November 2026 to Sunday 29 November (Moscow time).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from kabinet.core.testing import make_project
from kabinet.health.models import Aggregation, Expectation, Forecast, Metric, PlanItem, Point
from kabinet.health.tests.digest_week import MARK, msk
from kabinet.promises.models import Promise, PromiseRenegotiation, State
from kabinet.questions.models import Message, MessageKind, Status, Thread
from kabinet.timeline.models import Decision, Event, Kind
from kabinet.work.models import Task, TaskChange

CLIENT, INTERNAL = "client", "internal"


def busy_project(company, manager, name: str, *, lines: int = 14):
    """A project whose week has `lines` items of each capped kind (a letter shows 12)."""
    project = make_project(company, name, manager=manager)
    agency = project.agency

    def event(at, kind, title, visibility=CLIENT, **extra):
        return Event.objects.create(
            agency=agency,
            project=project,
            kind=kind,
            title=f"{title} ({name})",
            occurred_at=at,
            visibility=visibility,
            **extra,
        )

    def task(title, due_at=None, visibility=CLIENT, status=Task.Status.TODO):
        return Task.objects.create(
            agency=agency,
            project=project,
            title=f"{title} ({name})",
            due_at=due_at,
            visibility=visibility,
            status=status,
        )

    def promise(what, due_at, state=State.OPEN, **extra):
        return Promise.objects.create(
            agency=agency,
            project=project,
            promised_by=manager,
            what=f"{what} ({name})",
            due_at=due_at,
            original_due_at=due_at,
            state=state,
            **extra,
        )

    # The week: done and published lines, two at the same minute; internal ones; and around it.
    for i in range(lines):
        event(msk(2026, 11, 23 + i % 7, 9 + i // 7), Kind.WORK_DONE, f"Работа {i}")
        event(msk(2026, 11, 23 + i % 7, 9 + i // 7), Kind.REPORT, f"Отчёт {i}")
    event(msk(2026, 11, 24, 9), Kind.MILESTONE, "Этап")
    event(msk(2026, 11, 24, 12), Kind.WORK_DONE, f"Тихо {MARK}1", INTERNAL)
    event(msk(2026, 11, 25, 12), Kind.MESSAGE, f"Заметка {MARK}2", INTERNAL)
    event(msk(2026, 11, 22, 23, 59), Kind.WORK_DONE, "До недели")
    event(msk(2026, 11, 30, 0, 0), Kind.WORK_DONE, "После недели")

    # Plans: November's, and December's (the one shown) with its lines and their tasks.
    event(
        msk(2026, 11, 1, 10),
        Kind.PLAN,
        "План на ноябрь",
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
    )
    plan = event(
        msk(2026, 11, 27, 10),
        Kind.PLAN,
        "План на декабрь",
        period_start=date(2026, 12, 1),
        period_end=date(2026, 12, 31),
    )
    for position, (title, carried_by) in enumerate(
        [
            ("Строка без задачи", None),
            ("Строка с задачей", task("Задача плана", msk(2026, 12, 10, 18))),
            ("Строка с внутренней задачей", task(f"Внутр. {MARK}3", None, INTERNAL)),
            ("Сделанная строка", task("Сделано", None, status=Task.Status.DONE)),
        ]
    ):
        PlanItem.objects.create(
            agency=agency,
            project=project,
            plan=plan,
            title=f"{title} ({name})",
            task=carried_by,
            position=position,
        )
    # Due in the coming week: client-visible, one named as a plan line, internal, done.
    for i in range(3):
        task(f"Следующее {i}", msk(2026, 12, 1 + i, 18))
    task("Строка без задачи", msk(2026, 12, 2, 12))
    task(f"Бюджет {MARK}4", msk(2026, 12, 1, 18), INTERNAL)
    task("Уже сделано", msk(2026, 12, 1, 18), status=Task.Status.DONE)

    # KPIs: a summed one up, a "last value" one down, one without October, an internal one.
    metrics = []
    for key, metric_name, aggregation, visibility, values in [
        ("sessions", "Визиты", Aggregation.SUM, CLIENT, {9: 1000, 10: 1200}),
        ("position", "Позиция", Aggregation.LAST, CLIENT, {9: 8, 10: 11}),
        ("leads", "Заявки", Aggregation.SUM, CLIENT, {9: 30}),
        ("margin", f"Маржа {MARK}5", Aggregation.LAST, INTERNAL, {9: 30, 10: 12}),
    ]:
        metric = Metric.objects.create(
            agency=agency,
            project=project,
            key=key,
            name=metric_name,
            aggregation=aggregation,
            visibility=visibility,
            position=len(metrics),
        )
        metrics.append(metric)
        Point.objects.bulk_create(
            Point(agency=agency, metric=metric, date=date(2026, month, day), value=Decimal(v))
            for month, v in values.items()
            for day in (1, 15)
        )
    sessions = metrics[0]
    sessions.current_expectation = Expectation.objects.create(
        agency=agency, project=project, metric=sessions, target=2000, by_date=date(2027, 3, 31)
    )
    sessions.current_forecast = Forecast.objects.create(
        agency=agency,
        project=project,
        metric=sessions,
        low=1300,
        high=1600,
        by_date=date(2027, 1, 31),
    )
    sessions.save(update_fields=["current_expectation", "current_forecast"])

    # Promises: open ones, kept this week (and kept before it), broken ones, moved this week
    # (one of them twice, one later broken, one later kept).
    for i in range(lines):
        promise(f"Открыто {i}", msk(2026, 12, 4, 10 + i % 8) + timedelta(days=i // 8))
        promise(f"Просрочено {i}", msk(2026, 11, 10 + i, 12), State.BROKEN)
    for i in range(3):
        promise(f"Сдержано {i}", msk(2026, 11, 26, 12), State.KEPT, kept_at=msk(2026, 11, 25, i))
    promise("Сдержано раньше", msk(2026, 11, 12, 12), State.KEPT, kept_at=msk(2026, 11, 11, 12))
    for i, (state, moves) in enumerate(
        [(State.RENEGOTIATED, 2), (State.RENEGOTIATED, 1), (State.BROKEN, 1), (State.KEPT, 1)]
    ):
        moved = promise(f"Перенесено {i}", msk(2026, 12, 8, 12), state)
        for j in range(moves):
            PromiseRenegotiation.objects.create(
                agency=agency,
                promise=moved,
                old_due=msk(2026, 11, 27, 12),
                new_due=msk(2026, 12, 8, 12),
                reason=f"Причина {MARK}6",
                told_before_due=True,
                created_at=msk(2026, 11, 26 - j, 12 + i),
            )

    # What waits for the client: recommendations (the longest waiting: more than ten), tasks and
    # questions.
    for i in range(lines - 2):
        event(
            msk(2026, 10, 1 + i, 10),
            Kind.RECOMMENDATION,
            f"Рекомендация {i}",
            decision=Decision.PENDING,
        )
        waiting = task(f"Ждёт {i}", msk(2026, 12, 20, 10 + i), status=Task.Status.WAITING_CLIENT)
        TaskChange.objects.create(
            agency=agency,
            task=waiting,
            field="status",
            old="todo",
            new=Task.Status.WAITING_CLIENT,
            at=msk(2026, 11, 1 + i, 10),
        )
        thread = Thread.objects.create(
            agency=agency,
            project=project,
            subject=f"Вопрос {i} ({name})",
            status=Status.WAITING_CLIENT,
            created_at=msk(2026, 10, 20 + i, 10),
        )
        Message.objects.create(
            agency=agency,
            thread=thread,
            kind=MessageKind.ANSWER,
            body="Ответ",
            created_at=msk(2026, 11, 1 + i, 9),
        )
    event(msk(2026, 10, 1, 10), Kind.RECOMMENDATION, f"Внутр. реком. {MARK}7", INTERNAL)
    task(f"Внутр. ждёт {MARK}8", None, INTERNAL, Task.Status.WAITING_CLIENT)
    return project
