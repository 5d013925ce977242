"""Demo questions: SLA policies and threads in every state, some overdue, some rated.

Idempotent: policies are looked up by (agency, tier) and threads by (project, subject). The
history is written with explicit times (placed in the agency's working hours) through the same
record_event the services use, so the chronology, the SLA clocks and the numbers all agree.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kabinet.core.models import Role, User
from kabinet.questions.models import Message, MessageKind, SlaPolicy, Status, Thread
from kabinet.timeline.models import Kind, Visibility
from kabinet.timeline.search import reindex
from kabinet.timeline.services import record_event

POLICIES = {"": (4, 8, 40), "gold": (2, 6, 24), "platinum": (1, 4, 16)}

# (subject, question, days ago, steps) — a step is (business hours after the question, who, kind, text)
SCENARIOS: list[tuple[str, str, float, list[tuple[float, str, str, str]]]] = [
    (
        "Почему упали визиты из поиска?",
        "В отчёте видим, что визиты из поиска снизились. Это из-за апдейта? Что будем делать?",
        0.1,
        [],
    ),
    (
        "Когда будет готово ТЗ на перелинковку?",
        "Разработчики спрашивают, когда ждать ТЗ на блок «Похожие товары».",
        9,
        [
            (
                1.5,
                "staff",
                MessageKind.ANSWER,
                "ТЗ будет готово в четверг до 18:00, пришлём сюда и в хронологию.",
            ),
            (2, "staff", MessageKind.NOTE, "Виктория, ТЗ — в приоритет, клиент ждёт."),
            (20, "client", MessageKind.RESOLVED, ""),
            (20.1, "client", MessageKind.RATING, "5|Спасибо, всё понятно."),
        ],
    ),
    (
        "Нужны ли вам доступы к Метрике?",
        "Мы поменяли счётчик на сайте. Нужны ли вам новые доступы?",
        2,
        [
            (
                1,
                "staff",
                MessageKind.ANSWER,
                "Да, пришлите, пожалуйста, гостевой доступ к новому счётчику.",
            )
        ],
    ),
    (
        "Почему растёт цена заявки?",
        "Цена заявки за месяц выросла на 20%. Объясните, пожалуйста, причину.",
        14,
        [
            (
                3,
                "staff",
                MessageKind.ANSWER,
                "Выросла конкуренция в аукционе; предлагаем пересобрать кампании.",
            ),
            (10, "client", MessageKind.REOPENED, "А что конкретно вы поменяете и когда?"),
            (
                14,
                "staff",
                MessageKind.ANSWER,
                "Пересоберём 3 кампании до пятницы, отчёт по CPA — через 2 недели.",
            ),
            (30, "client", MessageKind.RESOLVED, ""),
            (30.1, "client", MessageKind.RATING, "3|Ответили, но не с первого раза."),
        ],
    ),
]
# Questions still waiting, one per project of the other companies, so the desk shows a real mix.
WAITING = [
    ("Когда пришлёте отчёт за месяц?", "Ждём отчёт за прошлый месяц, когда его ждать?", 0.3, []),
    (
        "Почему объявления не показываются?",
        "Со вчерашнего дня не видим наши объявления по брендовым запросам.",
        0.15,
        [],
    ),
    (
        "Можно добавить новый раздел в продвижение?",
        "Открываем раздел «Садовая мебель». Возьмёте его в работу с декабря?",
        1.2,
        [],
    ),
    (
        "Что с позициями после переезда на HTTPS?",
        "Переехали на HTTPS в понедельник. Не потеряем ли позиции?",
        0.6,
        [],
    ),
    (
        "Сколько стоит настройка сквозной аналитики?",
        "Нужна оценка по срокам и бюджету на сквозную аналитику.",
        2.5,
        [],
    ),
    (
        "Почему упал охват в соцсетях?",
        "Охват постов за неделю упал вдвое. В чём причина?",
        0.05,
        [],
    ),
]
OTHER_SCENARIOS = [
    (
        "Можно ли ускорить запуск акции?",
        "Хотим запустить акцию на неделю раньше. Это возможно?",
        5,
        [
            (6, "staff", MessageKind.ANSWER, "Да, успеем, если согласуете макеты до среды."),
            (9, "client", MessageKind.RESOLVED, ""),
            (9.1, "client", MessageKind.RATING, "4|"),
        ],
    ),
]


def populate(ctx) -> None:
    for tier, (first, nxt, resolution) in POLICIES.items():
        SlaPolicy.objects.get_or_create(
            agency=ctx.agency,
            tier=tier,
            defaults={
                "first_response_hours": first,
                "next_response_hours": nxt,
                "resolution_hours": resolution,
            },
        )
    calendar = ctx.agency.calendar()
    for n, company in enumerate(ctx.companies):
        client = (
            User.objects.filter(memberships__company=company, memberships__role=Role.CLIENT)
            .order_by("pk")
            .first()
        )
        scenarios = SCENARIOS if client is not None else OTHER_SCENARIOS
        for i, project in enumerate(company.projects.order_by("pk")):
            waiting = WAITING[(n + i) % len(WAITING)]
            chosen = scenarios if i == 0 else [waiting]
            if client is None and i == 0:
                chosen = [waiting, *scenarios]
            for scenario in chosen:
                _thread(ctx, calendar, project, client, *scenario)
    reindex()  # the core demo writes events in bulk, bypassing record_event's indexing


def _thread(ctx, calendar, project, client, subject, question, days_ago, steps) -> None:
    if Thread.objects.filter(project=project, subject=subject).exists():
        return
    manager = project.account_manager
    now: datetime = ctx.now
    asked_at = calendar.next_working_instant(now - timedelta(days=days_ago))
    if asked_at > now:
        asked_at = now - timedelta(minutes=30)
    thread = Thread.objects.create(
        agency=ctx.agency,
        project=project,
        subject=subject,
        asked_by=client,
        assignee=manager,
        status=Status.WAITING_AGENCY,
        created_at=asked_at,
    )
    _step(thread, client, MessageKind.QUESTION, question, asked_at, title=subject)
    for offset, who, kind, text in steps:
        when = calendar.add(asked_at, timedelta(hours=offset))
        if when > now:
            break
        author = client if who == "client" else manager
        if kind == MessageKind.RATING:
            rating, _, comment = text.partition("|")
            thread.rating, thread.rating_comment = int(rating), comment
            _step(
                thread,
                author,
                kind,
                comment,
                when,
                key=("answer_rated", {"rating": int(rating), "subject": subject}),
            )
        elif kind == MessageKind.ANSWER:
            _step(thread, author, kind, text, when, key=("answer", {"subject": subject}))
            thread.status = Status.WAITING_CLIENT
        elif kind == MessageKind.NOTE:
            _step(
                thread,
                author,
                kind,
                text,
                when,
                key=("internal_note", {"subject": subject}),
                internal=True,
            )
        elif kind == MessageKind.REOPENED:
            _step(thread, author, kind, text, when, key=("still_questions", {"subject": subject}))
            thread.status, thread.resolved_at = Status.WAITING_AGENCY, None
        elif kind == MessageKind.RESOLVED:
            _step(thread, author, kind, "", when, key=("question_resolved", {"subject": subject}))
            thread.status, thread.resolved_at = Status.RESOLVED, when
    thread.save()
    from kabinet.questions.services import store_sla

    store_sla(thread=thread)  # the desk reads the stored due time


def _step(thread, author, kind, body, when, *, title="", key=("", None), internal=False) -> None:
    message = Message.objects.create(
        agency=thread.agency,
        thread=thread,
        author=author,
        kind=kind,
        body=body,
        visibility=Visibility.INTERNAL if internal else Visibility.CLIENT,
        from_client=not internal
        and kind
        in (MessageKind.QUESTION, MessageKind.REOPENED, MessageKind.RESOLVED, MessageKind.RATING),
        created_at=when,
    )
    event_kind = {
        MessageKind.QUESTION: Kind.QUESTION,
        MessageKind.REOPENED: Kind.QUESTION,
        MessageKind.ANSWER: Kind.ANSWER,
    }.get(kind, Kind.MESSAGE)
    message.event = record_event(
        project=thread.project,
        kind=event_kind,
        title=title,
        title_key=key[0],
        title_params=key[1],
        body=body,
        author=author,
        visibility=Visibility.INTERNAL if internal else Visibility.CLIENT,
        occurred_at=when,
        source=message,
    )
    message.save(update_fields=["event"])
