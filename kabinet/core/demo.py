"""The demo agency: people, a dozen clients, their projects and six months of chronology.

Idempotent: people and companies are looked up by natural keys, and a company's projects and
history are built only when the company is created, so running it twice creates nothing twice.
Other apps add their own demo data through a `populate(ctx)` function in `kabinet/<app>/demo.py`,
called after this one (each idempotent in the same way).

A second, small agency («Вектор»: its own head, account manager, specialist, one client company
with a project and its history, questions, tasks and a promise) lives beside the first, so that
cross-agency tests and anyone probing by hand have something of another tenant to (not) see. The
app demos run for it too; its people are keyed like the first agency's (`head`, `sergey` = the
account manager, `viktoria` = the SEO specialist) because that is what the app demos look up.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from kabinet.clients.models import ClientCompany, Project, ProjectMember, Service, Tier
from kabinet.core.models import Agency, Membership, Role, User
from kabinet.core.services import grant_admin_to_head
from kabinet.lib.business_calendar import DEFAULT_TIME_ZONE
from kabinet.timeline.models import Attachment, Decision, Event, Kind, Visibility
from kabinet.timeline.search import reindex

PASSWORD = "kabinet-demo"
AGENCY_SLUG = "demo"

STAFF = [
    # key, email, name, role, title
    ("head", "head@agency.example", "Анна Королёва", Role.HEAD, "Руководитель клиентского отдела"),
    (
        "sergey",
        "sergey@agency.example",
        "Сергей Соловьёв",
        Role.ACCOUNT_MANAGER,
        "Старший аккаунт-менеджер",
    ),
    ("irina", "irina@agency.example", "Ирина Павлова", Role.ACCOUNT_MANAGER, "Аккаунт-менеджер"),
    ("dmitry", "dmitry@agency.example", "Дмитрий Орлов", Role.ACCOUNT_MANAGER, "Аккаунт-менеджер"),
    ("viktoria", "viktoria@agency.example", "Виктория Лебедева", Role.SPECIALIST, "SEO-специалист"),
    ("elena", "elena@agency.example", "Елена Морозова", Role.SPECIALIST, "SEO-специалист"),
    ("alexey", "alexey@agency.example", "Алексей Ким", Role.SPECIALIST, "PPC-специалист"),
    ("olga", "olga@agency.example", "Ольга Новикова", Role.SPECIALIST, "SMM-специалист"),
    ("pavel", "pavel@agency.example", "Павел Зайцев", Role.SPECIALIST, "Веб-аналитик"),
    ("nikita", "nikita@agency.example", "Никита Волков", Role.SPECIALIST, "Веб-разработчик"),
]

# company, tier, manager key, [(service, project name, monthly budget)]
COMPANIES = [
    (
        "ТехноДом",
        Tier.GOLD,
        "sergey",
        [
            (Service.SEO, "SEO technodom.example", 180000),
            (Service.PPC, "Контекст Яндекс Директ", 250000),
        ],
    ),
    ("Зелёный Сад", Tier.STANDARD, "sergey", [(Service.SEO, "SEO zelsad.example", 90000)]),
    (
        "Северная Верфь",
        Tier.PLATINUM,
        "irina",
        [
            (Service.PPC, "Контекстная реклама", 400000),
            (Service.ANALYTICS, "Сквозная аналитика", 120000),
            (Service.SEO, "SEO sevverf.example", 200000),
        ],
    ),
    (
        "Мебель Плюс",
        Tier.STANDARD,
        "sergey",
        [(Service.SEO, "SEO mebelplus.example", 80000), (Service.SMM, "Соцсети", 60000)],
    ),
    ("Клиника «Здоровье»", Tier.GOLD, "dmitry", [(Service.SEO, "SEO zdorovie.example", 150000)]),
    ("ЭкоФерма", Tier.STANDARD, "irina", [(Service.SMM, "SMM ВКонтакте и Telegram", 70000)]),
    (
        "АвтоМир-Сервис",
        Tier.GOLD,
        "dmitry",
        [
            (Service.PPC, "Директ и VK Реклама", 300000),
            (Service.SEO, "SEO avtomir.example", 140000),
        ],
    ),
    ("Школа «Лингва»", Tier.STANDARD, "sergey", [(Service.PPC, "Контекст на курсы", 110000)]),
    (
        "Стройматериалы «Опора»",
        Tier.PLATINUM,
        "irina",
        [
            (Service.SEO, "SEO opora.example", 260000),
            (Service.DEVELOPMENT, "Доработки сайта", 100000),
        ],
    ),
    ("Кофейня «Зерно»", Tier.STANDARD, "dmitry", [(Service.SMM, "Instagram и Telegram", 40000)]),
    (
        "Турагентство «Горизонт»",
        Tier.GOLD,
        "sergey",
        [
            (Service.PPC, "Сезонные кампании", 220000),
            (Service.ANALYTICS, "Настройка аналитики", 60000),
        ],
    ),
    ("Интернет-магазин «Уют»", Tier.STANDARD, "irina", [(Service.SEO, "SEO uyut.example", 95000)]),
]

CLIENTS = [
    # email, name, company
    ("marina@client.example", "Марина Белова", "ТехноДом", "Директор по маркетингу"),
    ("oleg@client2.example", "Олег Фомин", "Зелёный Сад", "Владелец"),
    ("ivan@client3.example", "Иван Пекарев", "Пекарня «Колос»", "Владелец"),
]

OTHER_AGENCY_SLUG = "demo-vektor"
OTHER_AGENCY_NAME = "Агентство «Вектор»"
OTHER_STAFF = [
    (
        "head",
        "head@vektor.example",
        "Григорий Вектор",
        Role.HEAD,
        "Руководитель клиентского отдела",
    ),
    ("sergey", "maria@vektor.example", "Мария Зорина", Role.ACCOUNT_MANAGER, "Аккаунт-менеджер"),
    ("viktoria", "stas@vektor.example", "Станислав Рябов", Role.SPECIALIST, "SEO-специалист"),
]
OTHER_COMPANIES = [
    ("Пекарня «Колос»", Tier.STANDARD, "sergey", [(Service.SEO, "SEO kolos.example", 70000)]),
]

SPECIALIST_BY_SERVICE = {
    Service.SEO: ["viktoria", "elena"],
    Service.PPC: ["alexey"],
    Service.SMM: ["olga"],
    Service.ANALYTICS: ["pavel"],
    Service.DEVELOPMENT: ["nikita"],
    Service.OTHER: ["pavel"],
}
RESPONSIBILITY = {
    Service.SEO: "Семантика, технический аудит, контент и ссылки, ежемесячный отчёт",
    Service.PPC: "Кампании, ставки, минус-слова, отчёт по лидам",
    Service.SMM: "Контент-план, публикации, таргет",
    Service.ANALYTICS: "Цели, сквозная аналитика, дашборды",
    Service.DEVELOPMENT: "Технические задания и доработки сайта",
    Service.OTHER: "Аналитика",
}

MONTHS_RU = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]

WORK_DONE = {
    Service.SEO: [
        (
            "Исправлены дубли страниц каталога",
            "Настроены канонические адреса для **{n}** страниц фильтров; дубли закрыты от индексации.",
        ),
        (
            "Обновлены мета-теги категорий",
            "Переписаны title и description для {n} категорий по новой семантике.",
        ),
        (
            "Собрано ядро по новому разделу",
            "Собрано **{n}** запросов, кластеризация и распределение по страницам — в приложении.",
        ),
        (
            "Ускорена загрузка мобильной версии",
            "Сжаты изображения, отложена загрузка скриптов. LCP снизился примерно на {n}%.",
        ),
        (
            "Размещены статьи в блоге",
            "Опубликовано {n} статей по темам из контент-плана, внутренняя перелинковка настроена.",
        ),
    ],
    Service.PPC: [
        (
            "Запущены новые группы объявлений",
            "Запущено {n} групп по высокомаржинальным товарам, ставки по стратегии «Максимум конверсий».",
        ),
        (
            "Почищены поисковые запросы",
            "Добавлено {n} минус-слов; доля нецелевых показов снизилась.",
        ),
        (
            "Настроен ретаргетинг",
            "Аудитории посетителей корзины и карточек, {n} объявлений с динамическим контентом.",
        ),
        (
            "Перераспределён бюджет между кампаниями",
            "Бюджет смещён в кампании с CPA ниже целевого на {n}%.",
        ),
    ],
    Service.SMM: [
        (
            "Опубликованы посты по контент-плану",
            "Вышло {n} публикаций; лучший охват — у поста с отзывом клиента.",
        ),
        (
            "Запущен таргет на подписчиков",
            "Тестируем {n} креативов на аудитории похожих пользователей.",
        ),
    ],
    Service.ANALYTICS: [
        ("Настроены цели в Метрике", "Добавлено {n} целей: звонки, формы, чат, корзина."),
        ("Собран дашборд по заявкам", "Дашборд обновляется ежедневно, {n} источников данных."),
    ],
    Service.DEVELOPMENT: [
        (
            "Внедрена микроразметка товаров",
            "Разметка Product и Offer на {n} шаблонах, проверено валидатором.",
        ),
        (
            "Исправлены ошибки формы заказа",
            "Форма снова отправляет заявки в CRM; добавлено {n} проверок полей.",
        ),
    ],
}
RECOMMENDATIONS = [
    (
        "ТЗ: перелинковка карточек товаров",
        "Предлагаем добавить блок «Похожие товары» на карточки.\n\n1. До 8 ссылок на товары той же категории\n2. Анкоры — названия товаров\n3. Срок внедрения — 5 рабочих дней",
    ),
    (
        "Рекомендация: посадочная страница под акцию",
        "Чтобы не терять спрос на сезонные запросы, нужна отдельная страница акции с формой заявки.",
    ),
    (
        "ТЗ: исправление ошибок 404 из Вебмастера",
        "В Вебмастере найдено 37 битых ссылок. Список и нужные редиректы — в приложении.",
    ),
    (
        "Рекомендация: добавить онлайн-чат",
        "Чат на сайте поднимет конверсию обращений: по нашим проектам +10–15% заявок.",
    ),
    (
        "Рекомендация: отзывы на карточках",
        "Отзывы покупателей увеличат доверие и объём текста на странице.",
    ),
]
MEETINGS = [
    (
        "Созвон по итогам месяца",
        "**Участники:** {client}, {manager}, {specialist}\n\n- Обсудили результаты месяца\n- Согласовали приоритеты на следующий месяц\n- Договорились о сроках по ТЗ",
    ),
    (
        "Встреча по стратегии продвижения",
        "Обсудили сезонность и план запусков.\n\n**Решения:** усиливаем акцию, готовим новый раздел.",
    ),
]
MESSAGES = [
    ("Доступы к Вебмастеру получены", "Спасибо! Доступы работают, приступаем к аудиту."),
    (
        "Изменения в выдаче после апдейта",
        "После апдейта поисковой системы позиции колебались, сейчас стабилизировались. Следим.",
    ),
    (
        "Согласование бюджета на следующий месяц",
        "Предлагаем сохранить бюджет и перераспределить 10% в кампании с лучшим CPA.",
    ),
]
INTERNAL_NOTES = [
    (
        "Внутреннее: клиент недоволен сроками",
        "Клиент на созвоне напомнил о задержке ТЗ. Нужно ускорить, держим в фокусе.",
    ),
    ("Внутреннее: проверить бюджет", "Перерасход по кампании на 7% — разобраться до конца недели."),
]


@dataclass
class DemoContext:
    agency: Agency
    users: dict[str, User]
    companies: list[ClientCompany] = field(default_factory=list)
    new_projects: list[Project] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    now: datetime = field(default_factory=timezone.now)
    scale: int = 1
    other: DemoContext | None = None  # the second agency, built beside the first


def build(scale: int = 1, now: datetime | None = None) -> DemoContext:
    now = now or timezone.now()
    ctx = _agency(AGENCY_SLUG, "Агентство «Цифровой Рост»", STAFF, COMPANIES, now=now, scale=scale)
    ctx.other = _agency(
        OTHER_AGENCY_SLUG, OTHER_AGENCY_NAME, OTHER_STAFF, OTHER_COMPANIES, now=now, scale=1
    )
    for config in apps.get_app_configs():
        if config.name.startswith("kabinet.") and config.label != "core":
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            for agency_ctx in (ctx, ctx.other):
                with transaction.atomic():
                    module.populate(agency_ctx)
    return ctx


def _agency(slug: str, name: str, staff, companies, *, now: datetime, scale: int) -> DemoContext:
    with transaction.atomic():
        agency, _ = Agency.objects.get_or_create(
            slug=slug, defaults={"name": name, "timezone": DEFAULT_TIME_ZONE, "country": "RU"}
        )
        ctx = DemoContext(agency=agency, users=_people(agency, staff), now=now, scale=scale)
        for copy in range(1, scale + 1):
            for company_name, tier, manager, projects in companies:
                _company(
                    ctx,
                    company_name if copy == 1 else f"{company_name} · {copy}",
                    tier,
                    manager,
                    projects,
                    copy,
                )
    return ctx


def _user(email: str, full_name: str, language: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=PASSWORD, full_name=full_name, language=language
        )
    return user


def _people(agency: Agency, staff) -> dict[str, User]:
    users: dict[str, User] = {}
    for key, email, name, role, title in staff:
        user = _user(email, name, "ru")
        Membership.objects.get_or_create(
            agency=agency, user=user, defaults={"role": role, "title": title}
        )
        if role == Role.HEAD:
            grant_admin_to_head(user=user)
        users[key] = user
    return users


def _company(ctx: DemoContext, name: str, tier: str, manager: str, projects, copy: int) -> None:
    company, created = ClientCompany.objects.get_or_create(
        agency=ctx.agency, name=name, defaults={"tier": tier, "language": "ru"}
    )
    ctx.companies.append(company)
    for email, full_name, company_name, title in CLIENTS:
        if company_name == name:
            user = _user(email, full_name, "ru")
            Membership.objects.get_or_create(
                agency=ctx.agency,
                user=user,
                defaults={"role": Role.CLIENT, "company": company, "title": title},
            )
            ctx.users[email.split("@")[0]] = user
    if not created:
        return
    rng = random.Random(f"{name}-{copy}")
    for service, project_name, budget in projects:
        start = (ctx.now - timedelta(days=rng.randint(200, 420))).date()
        project = Project.objects.create(
            agency=ctx.agency,
            company=company,
            name=project_name,
            service=service,
            start_date=start,
            monthly_budget=Decimal(budget),
            tier=tier,
        )
        specialist_key = rng.choice(SPECIALIST_BY_SERVICE[service])
        if manager == "sergey" and service == Service.SEO:
            specialist_key = "viktoria"
        ProjectMember.objects.bulk_create(
            [
                ProjectMember(
                    agency=ctx.agency,
                    project=project,
                    user=ctx.users[manager],
                    role=ProjectMember.ProjectRole.ACCOUNT_MANAGER,
                    responsibility="Связь с клиентом, сроки, отчёты и ответы на вопросы",
                ),
                ProjectMember(
                    agency=ctx.agency,
                    project=project,
                    user=ctx.users[specialist_key],
                    role=ProjectMember.ProjectRole.SPECIALIST,
                    responsibility=RESPONSIBILITY[service],
                ),
            ]
        )
        _history(ctx, project, rng, ctx.users[manager], ctx.users[specialist_key])
        ctx.new_projects.append(project)


def _at(day: date, hour: int, ctx: DemoContext, rng: random.Random) -> datetime:
    return datetime.combine(day, time(hour, rng.choice([0, 10, 20, 30, 45])), tzinfo=ctx.agency_tz)


def _history(
    ctx: DemoContext, project: Project, rng: random.Random, manager: User, specialist: User
) -> None:
    """Six months of reports, plans, work, meetings, recommendations and decisions."""
    from zoneinfo import ZoneInfo

    ctx.agency_tz = ZoneInfo(ctx.agency.timezone)  # type: ignore[attr-defined]
    events: list[Event] = []
    client = project.company.memberships.filter(role=Role.CLIENT).select_related("user").first()
    client_name = client.user.full_name if client else "представитель клиента"
    today = timezone.localdate(ctx.now, ctx.agency_tz)  # type: ignore[attr-defined]
    # A few projects fall silent to show the "days of silence" list at work.
    silent_days = rng.choice([0, 0, 1, 2, 3, 5, 9, 16])
    last_day = today - timedelta(days=silent_days)
    first_month = date(today.year, today.month, 1)
    for back in range(6, -1, -1):
        month_start = _add_months(first_month, -back)
        month_end = _add_months(month_start, 1) - timedelta(days=1)
        month_name = MONTHS_RU[month_start.month - 1]
        plan_day = month_start + timedelta(days=rng.randint(0, 3))
        if plan_day <= last_day:
            events.append(
                Event(
                    kind=Kind.PLAN,
                    title=f"План работ на {month_name} {month_start.year}",
                    body=_plan_body(project, rng),
                    author=manager,
                    occurred_at=_at(plan_day, 11, ctx, rng),
                    period_start=month_start,
                    period_end=month_end,
                )
            )
        catalogue = WORK_DONE[project.service if project.service in WORK_DONE else Service.SEO]
        for title, body in rng.sample(catalogue, k=min(len(catalogue), rng.randint(2, 4))):
            day = month_start + timedelta(days=rng.randint(3, 27))
            if day > last_day:
                continue
            events.append(
                Event(
                    kind=Kind.WORK_DONE,
                    title=title,
                    body=body.format(n=rng.randint(3, 40)),
                    author=specialist,
                    occurred_at=_at(day, rng.randint(10, 17), ctx, rng),
                )
            )
        meeting_day = month_start + timedelta(days=rng.randint(8, 20))
        if meeting_day <= last_day:
            title, body = rng.choice(MEETINGS)
            events.append(
                Event(
                    kind=Kind.MEETING,
                    title=title,
                    author=manager,
                    body=body.format(
                        client=client_name,
                        manager=manager.full_name,
                        specialist=specialist.full_name,
                    ),
                    occurred_at=_at(meeting_day, 15, ctx, rng),
                )
            )
        if rng.random() < 0.6:
            day = month_start + timedelta(days=rng.randint(1, 27))
            if day <= last_day:
                title, body = rng.choice(MESSAGES)
                events.append(
                    Event(
                        kind=Kind.MESSAGE,
                        title=title,
                        body=body,
                        author=manager,
                        occurred_at=_at(day, rng.randint(10, 17), ctx, rng),
                    )
                )
        if rng.random() < 0.5:
            day = month_start + timedelta(days=rng.randint(1, 27))
            if day <= last_day:
                title, body = rng.choice(INTERNAL_NOTES)
                events.append(
                    Event(
                        kind=Kind.MESSAGE,
                        title=title,
                        body=body,
                        author=manager,
                        visibility=Visibility.INTERNAL,
                        occurred_at=_at(day, 12, ctx, rng),
                    )
                )
        if back > 0:
            report_day = month_end + timedelta(days=rng.randint(3, 6))
            if report_day <= last_day:
                events.append(
                    Event(
                        kind=Kind.REPORT,
                        title=f"Отчёт за {month_name} {month_start.year}",
                        body=_report_body(project, rng, month_name),
                        author=specialist,
                        occurred_at=_at(report_day, 16, ctx, rng),
                        period_start=month_start,
                        period_end=month_end,
                    )
                )
    recommendations = []
    for title, body in rng.sample(RECOMMENDATIONS, k=rng.randint(2, 4)):
        day = today - timedelta(days=rng.randint(silent_days + 1, 170))
        recommendations.append(
            Event(
                kind=Kind.RECOMMENDATION,
                title=title,
                body=body,
                author=specialist,
                occurred_at=_at(day, 13, ctx, rng),
                decision=Decision.PENDING,
            )
        )
    for event in events + recommendations:
        event.agency = ctx.agency
        event.project = project
    Event.objects.bulk_create(events + recommendations)
    decisions = []
    for rec in recommendations:
        choice = rng.choice(
            [Decision.APPROVED, Decision.APPROVED, Decision.DECLINED, Decision.PENDING]
        )
        if choice == Decision.PENDING or client is None:
            continue
        rec.decision = choice
        when = min(
            rec.occurred_at + timedelta(days=rng.randint(1, 5)),
            ctx.now - timedelta(days=silent_days),
        )
        decisions.append(
            Event(
                agency=ctx.agency,
                project=project,
                kind=Kind.DECISION,
                parent=rec,
                decision=choice,
                title=("Согласовано: " if choice == Decision.APPROVED else "Отклонено: ")
                + rec.title,
                title_key=str(choice),
                title_params={"title": rec.title},
                body=""
                if choice == Decision.APPROVED
                else "Пока не готовы, вернёмся к этому в следующем квартале.",
                author=client.user,
                occurred_at=max(when, rec.occurred_at),
            )
        )
    Event.objects.bulk_update(recommendations, ["decision"])
    Event.objects.bulk_create(decisions)
    reindex(events + recommendations + decisions)  # bulk writes bypass record_event's indexing
    # The agency's silence: the client's own decisions do not end it.
    latest = max(
        (e.occurred_at for e in events + recommendations if e.visibility == Visibility.CLIENT),
        default=None,
    )
    if latest:
        Project.objects.filter(pk=project.pk).update(last_client_update_at=latest)
    report = next((e for e in reversed(events) if e.kind == Kind.REPORT), None)
    if report is not None:
        _attach_sample(ctx, report)


def _attach_sample(ctx: DemoContext, report: Event) -> None:
    from django.core.files.base import ContentFile

    content = f"{report.title}\n\nСводка показателей — см. текст отчёта в Kabinet.\n".encode()
    attachment = Attachment(
        agency=ctx.agency,
        event=report,
        name="otchet.txt",
        size=len(content),
        content_type="text/plain",
        uploaded_by=report.author,
    )
    attachment.file.save("otchet.txt", ContentFile(content), save=True)


# What a month's plan lists: the same work as WORK_DONE, said as work to do (a plan that read
# "1. Ускорена загрузка мобильной версии" told the client it was done already).
PLANNED = {
    "Исправлены дубли страниц каталога": "Исправить дубли страниц каталога",
    "Обновлены мета-теги категорий": "Обновить мета-теги категорий",
    "Собрано ядро по новому разделу": "Собрать ядро по новому разделу",
    "Ускорена загрузка мобильной версии": "Ускорить загрузку мобильной версии",
    "Размещены статьи в блоге": "Разместить статьи в блоге",
    "Запущены новые группы объявлений": "Запустить новые группы объявлений",
    "Почищены поисковые запросы": "Почистить поисковые запросы",
    "Настроен ретаргетинг": "Настроить ретаргетинг",
    "Перераспределён бюджет между кампаниями": "Перераспределить бюджет между кампаниями",
    "Опубликованы посты по контент-плану": "Опубликовать посты по контент-плану",
    "Запущен таргет на подписчиков": "Запустить таргет на подписчиков",
    "Настроены цели в Метрике": "Настроить цели в Метрике",
    "Собран дашборд по заявкам": "Собрать дашборд по заявкам",
    "Внедрена микроразметка товаров": "Внедрить микроразметку товаров",
    "Исправлены ошибки формы заказа": "Исправить ошибки формы заказа",
}


def _plan_body(project: Project, rng: random.Random) -> str:
    items = [
        PLANNED.get(title, title)
        for title, _ in WORK_DONE.get(project.service, WORK_DONE[Service.SEO])
    ]
    rng.shuffle(items)
    return "**Задачи на месяц:**\n\n" + "\n".join(f"{i}. {t}" for i, t in enumerate(items[:4], 1))


def _report_body(project: Project, rng: random.Random, month_name: str) -> str:
    visits = rng.randint(8000, 60000)
    growth = rng.randint(-5, 25)
    leads = rng.randint(40, 400)
    return (
        f"## Итоги: {month_name}\n\n"
        f"| Показатель | Значение | Динамика |\n|---|---|---|\n"
        f"| Визиты из поиска | {visits:,} | {growth:+d}% |\n| Заявки | {leads} | {growth // 2:+d}% |\n\n"
        "**Что сделано:** работы по плану выполнены, подробности — в хронологии.\n\n"
        "**Что дальше:** продолжаем по согласованному плану, следующие шаги — в плане работ."
    ).replace(",", " ")


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)
