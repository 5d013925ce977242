"""One week on ТехноДом's project for the digest tests: real items, internal ones carrying a
marker, and items just before and just after the week.

The week is Monday 23 November 2026 to Sunday 29 November (Moscow time); the job drafts it on
Monday 30 November from 08:00.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from kabinet.core.scoping import viewer_for
from kabinet.health import services as health
from kabinet.health.models import Aggregation, Direction, Period, Visibility
from kabinet.promises import services as promises
from kabinet.promises.models import PromiseProposal
from kabinet.timeline import services as timeline
from kabinet.timeline.models import Kind
from kabinet.work.models import Task

MSK = ZoneInfo("Europe/Moscow")
WEEK = date(2026, 11, 23)
DRAFTED_AT = datetime(2026, 11, 30, 9, 0, tzinfo=MSK)
MARK = "ZZVNUTR"

IN_THE_WEEK = [
    "Переписали title 40 карточек",
    "Отчёт за октябрь",
    "ТЗ: перелинковка карточек",
    "Тексты категорий",
]
NOT_IN_THE_WEEK = ["Аудит скорости сайта", "Работа следующей недели"]
NEXT = "Настроить цели в Метрике"
PROMISE_OPEN = "Семантическое ядро"
PROMISE_KEPT = "Разбор падения трафика"
PROMISE_MOVED = "Новая структура каталога"


def msk(*args) -> datetime:
    return datetime(*args, tzinfo=MSK)


def build(project, sergey, django_capture_on_commit_callbacks) -> dict:
    """Write the week; returns the internal texts that must never reach the letter."""
    s = viewer_for(sergey)

    def run(moment, fn):
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=False),
        ):
            return fn()

    def publish(moment, kind, title, body="", visibility=Visibility.CLIENT, **extra):
        return run(
            moment,
            lambda: timeline.publish(
                viewer=s,
                project=project,
                draft=timeline.EventDraft(
                    kind=kind, title=title, body=body, visibility=visibility, **extra
                ),
            ),
        )

    publish(msk(2026, 11, 20, 12, 0), Kind.WORK_DONE, "Аудит скорости сайта")
    publish(msk(2026, 11, 24, 10, 0), Kind.WORK_DONE, "Переписали title 40 карточек")
    publish(
        msk(2026, 11, 24, 11, 0),
        Kind.MESSAGE,
        f"Клиент тянет с оплатой {MARK}1",
        f"Не давить до пятницы {MARK}2",
        visibility=Visibility.INTERNAL,
    )
    publish(
        msk(2026, 11, 25, 10, 0),
        Kind.REPORT,
        "Отчёт за октябрь",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
    )
    publish(msk(2026, 11, 26, 10, 0), Kind.RECOMMENDATION, "ТЗ: перелинковка карточек")
    run(
        msk(2026, 11, 27, 16, 0),
        lambda: timeline.record_event(
            project=project,
            kind=Kind.TASK,
            title_key="task_done",
            title_params={"title": "Тексты категорий"},
            author=sergey,
        ),
    )
    publish(msk(2026, 11, 30, 8, 30), Kind.WORK_DONE, "Работа следующей недели")

    # Tasks: a client-visible one due next week, an internal one too.
    Task.objects.create(
        agency=project.agency,
        project=project,
        title=NEXT,
        due_at=msk(2026, 12, 2, 18, 0),
        visibility=Visibility.CLIENT,
    )
    Task.objects.create(
        agency=project.agency,
        project=project,
        title=f"Проверить бюджет клиента {MARK}3",
        due_at=msk(2026, 12, 1, 18, 0),
        visibility=Visibility.INTERNAL,
    )

    # Promises: one open, one kept this week, one moved this week; a proposal nobody confirmed.
    run(
        msk(2026, 11, 23, 10, 0),
        lambda: promises.create_promise(
            viewer=s, project=project, what=PROMISE_OPEN, due_at=msk(2026, 12, 4, 13, 0)
        ),
    )
    kept = run(
        msk(2026, 11, 23, 11, 0),
        lambda: promises.create_promise(
            viewer=s, project=project, what=PROMISE_KEPT, due_at=msk(2026, 11, 26, 13, 0)
        ),
    )
    run(
        msk(2026, 11, 25, 15, 0),
        lambda: promises.keep(
            viewer=s,
            promise=kept,
            message="Марина, разбор во вложении.",
            note=f"Еле успели {MARK}4",
        ),
    )
    moved = run(
        msk(2026, 11, 23, 12, 0),
        lambda: promises.create_promise(
            viewer=s, project=project, what=PROMISE_MOVED, due_at=msk(2026, 11, 27, 18, 0)
        ),
    )
    run(
        msk(2026, 11, 26, 12, 0),
        lambda: promises.renegotiate(
            viewer=s,
            promise=moved,
            new_due=msk(2026, 12, 3, 18, 0),
            reason=f"Виктория на больничном {MARK}5",
            message="Марина, структуру пришлём в четверг.",
        ),
    )
    source = publish(
        msk(2026, 11, 27, 10, 0),
        Kind.MESSAGE,
        "Заметка",
        "Пришлём прототип до пятницы",
        visibility=Visibility.INTERNAL,
    )
    PromiseProposal.objects.create(
        agency=project.agency,
        project=project,
        source_event=source,
        author=sergey,
        quote=f"Пришлём прототип до пятницы {MARK}6",
        due_at=msk(2026, 12, 4, 18, 0),
        start=0,
        end=10,
    )

    # KPIs: a client-visible one up from September to October, an internal one.
    sessions = health.create_metric(
        viewer=s,
        project=project,
        key="organic_sessions",
        name="Визиты из поиска",
        unit="визиты",
        direction=Direction.HIGHER,
        period=Period.MONTH,
        aggregation=Aggregation.SUM,
    )
    margin = health.create_metric(
        viewer=s,
        project=project,
        key="margin",
        name=f"Маржа агентства {MARK}7",
        unit="%",
        direction=Direction.HIGHER,
        period=Period.MONTH,
        aggregation=Aggregation.LAST,
        visibility=Visibility.INTERNAL,
    )
    points = [
        health.PointIn(sessions.key, date(2026, 9, 1), Decimal(1000)),
        health.PointIn(sessions.key, date(2026, 10, 1), Decimal(1200)),
        health.PointIn(margin.key, date(2026, 9, 1), Decimal(30)),
        health.PointIn(margin.key, date(2026, 10, 1), Decimal(12)),
    ]
    health.write_points(project=project, points=points, source="manual")
    return {"kept": kept, "moved": moved}
