"""Demo data of the work app: playbooks (ru + en), tasks, Viktoria's queue, recurring reports, rules.

Idempotent: playbooks by (agency, name, language), tasks by dedupe_key, recurrences by
(project, title), playbook runs by (project, playbook).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from kabinet.clients.models import Project, ProjectMember, Service
from kabinet.core.scoping import viewer_for
from kabinet.work.models import Playbook, PlaybookRun, Recurrence, Task
from kabinet.work.services import (
    change_task,
    create_task,
    ensure_default_rules,
    person_for_role,
    save_playbook,
    save_recurrence,
    start_from_playbook,
)

S, AM, C, INT = "specialist", "account_manager", "client", "internal"

PLAYBOOKS = {
    ("SEO-онбординг", "ru", Service.SEO): [
        ("Получить доступы: Метрика, Вебмастер, CMS", 0, 2, AM, C, []),
        ("Технический аудит сайта", 3, 12, S, C, [0]),
        ("Сбор семантического ядра", 8, 16, S, C, [0]),
        ("ТЗ на исправление технических ошибок", 10, 6, S, C, [1]),
        ("ТЗ на оптимизацию посадочных страниц", 14, 8, S, C, [2]),
        ("Первый ежемесячный отчёт", 22, 4, S, C, [3, 4]),
    ],
    ("SEO onboarding", "en", Service.SEO): [
        ("Get access: analytics, webmaster tools, CMS", 0, 2, AM, C, []),
        ("Technical site audit", 3, 12, S, C, [0]),
        ("Keyword research (semantic core)", 8, 16, S, C, [0]),
        ("Technical spec: fix technical issues", 10, 6, S, C, [1]),
        ("Technical spec: optimise landing pages", 14, 8, S, C, [2]),
        ("First monthly report", 22, 4, S, C, [3, 4]),
    ],
    ("Запуск контекстной рекламы", "ru", Service.PPC): [
        ("Бриф и цели кампаний", 0, 2, AM, C, []),
        ("Настройка целей и коллтрекинга", 2, 4, S, C, [0]),
        ("Сбор ключевых фраз и минус-слов", 4, 10, S, INT, [0]),
        ("Объявления и согласование с клиентом", 6, 6, S, C, [2]),
        ("Запуск кампаний", 8, 3, S, C, [1, 3]),
        ("Отчёт за первые две недели", 18, 3, AM, C, [4]),
    ],
    ("PPC launch", "en", Service.PPC): [
        ("Brief and campaign goals", 0, 2, AM, C, []),
        ("Set up goals and call tracking", 2, 4, S, C, [0]),
        ("Keywords and negative keywords", 4, 10, S, INT, [0]),
        ("Ads, approved by the client", 6, 6, S, C, [2]),
        ("Launch campaigns", 8, 3, S, C, [1, 3]),
        ("Two-week report", 18, 3, AM, C, [4]),
    ],
    ("Запуск SMM", "ru", Service.SMM): [
        ("Аудит сообществ и конкурентов", 0, 6, S, C, []),
        ("Стратегия и рубрикатор", 4, 8, S, C, [0]),
        ("Контент-план на месяц", 7, 6, S, C, [1]),
        ("Оформление сообществ", 9, 5, S, C, [1]),
        ("Первые публикации и таргет", 12, 8, S, C, [2, 3]),
    ],
    ("SMM launch", "en", Service.SMM): [
        ("Audit of communities and competitors", 0, 6, S, C, []),
        ("Strategy and content pillars", 4, 8, S, C, [0]),
        ("Monthly content plan", 7, 6, S, C, [1]),
        ("Community design", 9, 5, S, C, [1]),
        ("First posts and paid promotion", 12, 8, S, C, [2, 3]),
    ],
}

# Viktoria's open SEO work: (title, hours, due in days from today (negative = late), client-visible)
VIKTORIA_WORK = [
    ("Исправить дубли страниц фильтров", 6, -4, True),
    ("ТЗ на перелинковку карточек товаров", 5, -2, True),
    ("Проверить индексацию после переезда", 3, -1, False),
    ("Собрать семантику для нового раздела", 12, 0, True),
    ("Мета-теги для категорий каталога", 4, 1, True),
    ("Разобрать ошибки из Вебмастера", 3, 1, False),
    ("Контент-план статей на месяц", 5, 2, True),
    ("Аудит скорости мобильной версии", 6, 3, True),
    ("Анализ конкурентов в топ-10", 8, 4, False),
    ("ТЗ копирайтеру: 5 статей", 4, 5, True),
    ("Проверить микроразметку товаров", 3, 6, False),
    ("Кластеризация запросов по услугам", 10, 8, True),
    ("Подготовить рекомендации по отзывам", 3, 9, True),
    ("Внутренний чек-лист ежемесячного аудита", 2, 12, False),
    ("Ежемесячный отчёт: черновик", 5, 14, True),
]


def populate(ctx) -> None:
    agency = ctx.agency
    head = ctx.users["head"]
    ensure_default_rules(agency=agency)
    playbooks: dict[tuple[str, str], Playbook] = {}
    for (name, language, service), rows in PLAYBOOKS.items():
        playbook = Playbook.objects.filter(agency=agency, name=name, language=language).first()
        if playbook is None:
            items = [
                {
                    "title": t,
                    "offset_business_days": off,
                    "estimate_hours": h,
                    "role": role,
                    "visibility": vis,
                    "depends_on": deps,
                }
                for t, off, h, role, vis, deps in rows
            ]
            playbook = save_playbook(
                viewer=viewer_for(head), name=name, language=language, service=service, items=items
            )
        playbooks[(service, language)] = playbook

    calendar = agency.calendar()
    today = timezone.localdate(ctx.now, calendar.tz)
    sergey = ctx.users["sergey"]
    viktoria = ctx.users["viktoria"]
    projects = list(Project.objects.filter(agency=agency).select_related("company").order_by("pk"))

    # A recently won project started from the SEO playbook three weeks ago (some work late by now).
    seo_projects = [p for p in projects if p.service == Service.SEO]
    onboarding = next(
        (p for p in seo_projects if p.company.name.startswith("Интернет-магазин")), None
    )
    if onboarding and not PlaybookRun.objects.filter(project=onboarding).exists():
        start = calendar.add_business_days(today, -12)
        tasks = start_from_playbook(
            viewer=viewer_for(person_for_role(project=onboarding, role=AM)),
            project=onboarding,
            playbook=playbooks[(Service.SEO, "ru")],
            start=start,
        )
        for task in tasks[:2]:
            change_task(
                viewer=person_for_role(project=onboarding, role=AM),
                task=task,
                status=Task.Status.DONE,
            )

    # Viktoria's queue across Sergey's SEO projects.
    sergeys_seo = [
        p
        for p in seo_projects
        if ProjectMember.objects.filter(project=p, user=sergey).exists()
        and ProjectMember.objects.filter(project=p, user=viktoria).exists()
    ]
    for n, (title, hours, days, visible) in enumerate(VIKTORIA_WORK):
        if not sergeys_seo:
            break
        project = sergeys_seo[n % len(sergeys_seo)]
        due_day = (
            calendar.add_business_days(today, days)
            if days
            else calendar.add_business_days(today, 0)
        )
        create_task(
            viewer=sergey,
            project=project,
            title=title,
            assignee=viktoria,
            estimate_hours=hours,
            due_at=calendar.closing_of(due_day),
            visibility="client" if visible else "internal",
            dedupe_key=f"demo:viktoria:{n}",
        )

    # Work for the other staff: waiting for the client, and a blocked chain.
    for project in projects[:8]:
        manager = person_for_role(project=project, role=AM)
        specialist = person_for_role(project=project, role=S)
        waiting = create_task(
            viewer=manager,
            project=project,
            title="Согласовать с клиентом план на следующий месяц",
            assignee=manager,
            due_at=calendar.closing_of(calendar.add_business_days(today, 2)),
            visibility="client",
            dedupe_key=f"demo:waiting:{project.pk}",
        )
        if waiting.status == Task.Status.TODO:
            change_task(
                viewer=manager,
                task=waiting,
                status=Task.Status.WAITING_CLIENT,
                reason="Отправили план клиенту",
            )
        blocker = create_task(
            viewer=manager,
            project=project,
            title="Получить доступ к CMS",
            assignee=manager,
            due_at=calendar.closing_of(calendar.add_business_days(today, -1)),
            dedupe_key=f"demo:blocker:{project.pk}",
        )
        create_task(
            viewer=manager,
            project=project,
            title="Внедрить правки из ТЗ",
            assignee=specialist,
            estimate_hours=6,
            due_at=calendar.closing_of(calendar.add_business_days(today, 3)),
            visibility="client",
            blocked_by=[blocker],
            dedupe_key=f"demo:blocked:{project.pk}",
        )

    # Recurring monthly reports on the 3rd business day, and a weekly position check.
    for project in projects:
        if not Recurrence.objects.filter(project=project, title="Ежемесячный отчёт").exists():
            save_recurrence(
                viewer=viewer_for(person_for_role(project=project, role=AM) or head),
                project=project,
                title="Ежемесячный отчёт",
                description="Отчёт о работах и результатах за прошлый месяц.",
                mode=Recurrence.Mode.BUSINESS_DAY,
                business_day=3,
                rrule="",
                assignee_role=S,
                estimate_hours=4,
                visibility="client",
                lead_days=7,
                starts_on=date(today.year, today.month, 1),
            )
        if (
            project.service == Service.SEO
            and not Recurrence.objects.filter(project=project, title="Проверка позиций").exists()
        ):
            save_recurrence(
                viewer=viewer_for(person_for_role(project=project, role=AM) or head),
                project=project,
                title="Проверка позиций",
                mode=Recurrence.Mode.RRULE,
                rrule="FREQ=WEEKLY;BYDAY=MO",
                business_day=None,
                assignee_role=S,
                estimate_hours=1,
                visibility="internal",
                lead_days=3,
                starts_on=today - timedelta(days=today.weekday()),
            )
