"""Demo promises in every state, and a couple of detected promises waiting for Sergey's click.

Idempotent: a promise is looked up by (project, what), the demo messages by (project, title),
and proposals are unique per (event, offset).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kabinet.clients.models import Project
from kabinet.core.formatting import format_due
from kabinet.core.models import User
from kabinet.promises.models import Origin, Promise, PromiseRenegotiation, State
from kabinet.promises.services import detect_in_event
from kabinet.timeline.models import Event, Kind
from kabinet.timeline.services import record_event


@dataclass
class Spec:
    company: str
    project: str
    who: str
    what: str
    quote: str
    state: str
    due_days: int  # business days from today (negative: in the past); due at the end of that day
    made_days_before: int = 3
    kept_hours_before: float | None = None  # kept this many hours before the due time (< 0: late)
    moved_to_days: int | None = None  # renegotiated (before the old date) to this business day
    task: bool = False


SPECS = [
    Spec(
        "ТехноДом",
        "SEO technodom.example",
        "sergey",
        "Обновлённый план работ на декабрь",
        "Пришлю обновлённый план работ завтра до конца дня",
        State.OPEN,
        1,
        1,
        task=True,
    ),
    Spec(
        "ТехноДом",
        "SEO technodom.example",
        "sergey",
        "Разбор падения позиций в разделе «Холодильники»",
        "Разберёмся с просадкой и сегодня же напишу, что случилось",
        State.OPEN,
        0,
        1,
        task=True,
    ),
    Spec(
        "ТехноДом",
        "SEO technodom.example",
        "viktoria",
        "ТЗ на перелинковку карточек товаров",
        "Подготовлю ТЗ на перелинковку к пятнице",
        State.RENEGOTIATED,
        -1,
        6,
        moved_to_days=3,
        task=True,
    ),
    Spec(
        "ТехноДом",
        "SEO technodom.example",
        "sergey",
        "Отчёт за октябрь",
        "Отчёт за октябрь пришлю до 5 ноября",
        State.KEPT,
        -15,
        5,
        kept_hours_before=3,
    ),
    Spec(
        "ТехноДом",
        "Контекст Яндекс Директ",
        "sergey",
        "Перераспределение бюджета между кампаниями",
        "Перераспределим бюджет до конца недели",
        State.BROKEN,
        -4,
        5,
    ),
    Spec(
        "ТехноДом",
        "Контекст Яндекс Директ",
        "sergey",
        "Новые группы объявлений по акции",
        "Запустим новые группы к понедельнику",
        State.KEPT,
        -9,
        4,
        kept_hours_before=-5,
    ),
    Spec(
        "Зелёный Сад",
        "SEO zelsad.example",
        "sergey",
        "Список битых ссылок",
        "Пришлю список битых ссылок завтра",
        State.KEPT,
        -6,
        1,
        kept_hours_before=2,
    ),
    Spec(
        "Зелёный Сад",
        "SEO zelsad.example",
        "sergey",
        "Доступы к Метрике для нового подрядчика",
        "Выдадим доступы сегодня",
        State.KEPT,
        -12,
        0,
        kept_hours_before=4,
    ),
    Spec(
        "Северная Верфь",
        "Контекстная реклама",
        "irina",
        "Прогноз бюджета на первый квартал",
        "Подготовлю прогноз на квартал к среде",
        State.KEPT,
        -3,
        3,
        kept_hours_before=6,
    ),
    Spec(
        "Северная Верфь",
        "Сквозная аналитика",
        "irina",
        "Дашборд по заявкам из CRM",
        "Соберём дашборд до конца месяца",
        State.BROKEN,
        -2,
        12,
    ),
    Spec(
        "Северная Верфь",
        "Контекстная реклама",
        "irina",
        "Отчёт по лидам за ноябрь",
        "Пришлю отчёт по лидам в понедельник",
        State.OPEN,
        2,
        2,
    ),
    Spec(
        "АвтоМир-Сервис",
        "Директ и VK Реклама",
        "dmitry",
        "Новые креативы для VK Рекламы",
        "Сделаем новые креативы к четвергу",
        State.KEPT,
        -5,
        4,
        kept_hours_before=1,
    ),
    # The second demo agency («Вектор»): its account manager's promise to its own client.
    Spec(
        "Пекарня «Колос»",
        "SEO kolos.example",
        "sergey",
        "Список запросов для раздела «Торты»",
        "Пришлю список запросов для раздела «Торты» в четверг",
        State.OPEN,
        2,
        1,
        task=True,
    ),
]

PROPOSAL_MESSAGES = [
    (
        "ТехноДом",
        "SEO technodom.example",
        "sergey",
        "Правки мета-тегов",
        "Марина, добрый день! Список правок по мета-тегам пришлю в пятницу. Доступы в Вебмастер получили, спасибо.",
    ),
    (
        "Зелёный Сад",
        "SEO zelsad.example",
        "sergey",
        "Про семантику для нового раздела",
        "Олег, здравствуйте! Соберём семантику для раздела «Рассада» до конца следующей недели.",
    ),
    (
        "ТехноДом",
        "SEO technodom.example",
        "sergey",
        "ТЗ на перелинковку и цели на квартал",
        "Марина, если вы согласуете структуру каталога до среды, Виктория пришлёт ТЗ на "
        "перелинковку в понедельник. К концу квартала выведем 20 запросов в топ-10.",
    ),
]


def _project(ctx, company: str, name: str) -> Project | None:
    return (
        Project.objects.filter(agency=ctx.agency, company__name=company, name=name)
        .select_related("agency", "company")
        .first()
    )


def _due(calendar, today_close: datetime, business_days: int) -> datetime:
    day = calendar.add_business_days(today_close.astimezone(calendar.tz).date(), business_days)
    return calendar.closing_of(day)


def populate(ctx) -> None:
    calendar = ctx.agency.calendar()
    now: datetime = ctx.now
    today_close = calendar.end_of_business_day(now)
    for spec in SPECS:
        project = _project(ctx, spec.company, spec.project)
        user: User | None = ctx.users.get(spec.who)
        if (
            project is None
            or user is None
            or Promise.objects.filter(project=project, what=spec.what).exists()
        ):
            continue
        _make(ctx, calendar, today_close, project, user, spec)
    for company, name, who, title, body in PROPOSAL_MESSAGES:
        project = _project(ctx, company, name)
        user = ctx.users.get(who)
        if project is None or user is None:
            continue
        event = Event.objects.filter(project=project, kind=Kind.MESSAGE, title=title).first()
        if event is None:
            event = record_event(
                project=project,
                kind=Kind.MESSAGE,
                title=title,
                body=body,
                author=user,
                occurred_at=now - timedelta(minutes=40),
            )
        detect_in_event(
            event_id=event.pk
        )  # the hook does it after commit as well; both are idempotent


def _make(ctx, calendar, today_close, project: Project, user: User, spec: Spec) -> None:
    original_due = _due(calendar, today_close, spec.due_days)
    made = min(ctx.now, original_due) - timedelta(days=spec.made_days_before, hours=2)
    promise = Promise.objects.create(
        agency=ctx.agency,
        project=project,
        promised_by=user,
        what=spec.what,
        quote=spec.quote,
        due_at=original_due,
        original_due_at=original_due,
        state=State.OPEN,
        origin=Origin.MESSAGE,
        confirmed_by=user,
        created_at=made,
    )
    record_event(
        project=project,
        kind=Kind.PROMISE,
        title_key="promise_made",
        title_params={"what": spec.what, "due": format_due(project.agency, original_due)},
        body=spec.quote,
        author=user,
        source=promise,
        occurred_at=made,
    )
    if spec.task:
        from kabinet.work.services import create_task

        promise.task = create_task(
            viewer=user,
            project=project,
            title=f"Подготовить: {spec.what}",
            assignee=user,
            due_at=original_due,
            source=promise,
            dedupe_key=f"demo-promise:{promise.pk}",
        )
    if spec.state == State.KEPT:
        promise.state = State.KEPT
        promise.kept_at = original_due - timedelta(hours=spec.kept_hours_before or 0)
        promise.kept_by = user
        # Kept means delivered: the kept entry carries what the client received.
        promise.evidence_event = record_event(
            project=project,
            kind=Kind.PROMISE,
            title_key="promise_kept",
            title_params={"what": spec.what},
            body=f"Готово, отправляем: {spec.what}. Файлы — во вложении к письму, краткие выводы — здесь.",
            author=user,
            source=promise,
            occurred_at=promise.kept_at,
        )
    elif spec.state == State.BROKEN:
        promise.state = State.BROKEN
        promise.broken_at = calendar.add(original_due, timedelta(hours=1))
        record_event(
            project=project,
            kind=Kind.PROMISE,
            source=promise,
            occurred_at=promise.broken_at,
            title_key="promise_broken",
            title_params={"what": spec.what, "due": format_due(project.agency, original_due)},
        )
    elif spec.state == State.RENEGOTIATED and spec.moved_to_days is not None:
        new_due = _due(calendar, today_close, spec.moved_to_days)
        told = original_due - timedelta(days=1, hours=3)
        message = (
            f"Марина, добрый день! Нам нужно перенести срок по «{spec.what}»: вместо "
            f"{format_due(project.agency, original_due)} будет готово к {format_due(project.agency, new_due)}. "
            "Причина: ждём от вашего разработчика выгрузку шаблонов карточек. Приносим извинения за перенос."
        )
        event = record_event(
            project=project,
            kind=Kind.PROMISE,
            title_key="promise_moved",
            title_params={"what": spec.what, "due": format_due(project.agency, new_due)},
            body=message,
            author=user,
            source=promise,
            occurred_at=told,
        )
        PromiseRenegotiation.objects.create(
            agency=ctx.agency,
            promise=promise,
            old_due=original_due,
            new_due=new_due,
            reason="Ждём выгрузку шаблонов карточек от разработчика клиента",
            message_event=event,
            told_before_due=True,
            by=user,
            created_at=told,
        )
        promise.state = State.RENEGOTIATED
        promise.due_at = new_due
        if promise.task_id:
            promise.task.due_at = new_due
            promise.task.save(update_fields=["due_at"])
    promise.save()
