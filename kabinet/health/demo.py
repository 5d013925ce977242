"""Demo KPIs: every new demo project gets the metrics of its service, filled from the built-in
sample source for the last thirteen months, so the charts are alive. Two stories for the flags:

- ТехноДом's SEO (Marina): she expects far more organic traffic than we forecast — "talk now";
- Зелёный Сад's SEO: the forecast was set high and the sessions grow too slowly — behind it.

Marina's project also gets next month's plan with its lines linked to the tasks that carry them.

The understanding index (`_understanding`): the clients' people opened most documents; Мебель
Плюс (Sergey's) has heard nothing for five weeks — silence; two clients left the agency (ЭкоФерма,
Кофейня «Зерно»), after weeks without news, so that `kabinet health backtest` has departures to
learn from; then a month of daily snapshots is reconstructed and today's raises the alarms.
Idempotent: only projects created in this run (`ctx.new_projects`) get KPIs and stories.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kabinet.clients.models import Service
from kabinet.core.scoping import Viewer
from kabinet.health import services, sources
from kabinet.health.models import (
    Aggregation,
    Direction,
    Expectation,
    Forecast,
    Metric,
    Period,
    PlanItem,
    Source,
)
from kabinet.lib import kpi
from kabinet.timeline.models import Kind

# service: [(key, name, unit, direction, aggregation, decimals)]
METRICS = {
    Service.SEO: [
        ("organic_sessions", "Визиты из поиска", "визиты", Direction.HIGHER, Aggregation.SUM, 0),
        ("leads", "Заявки", "шт.", Direction.HIGHER, Aggregation.SUM, 0),
        ("avg_position", "Средняя позиция", "", Direction.LOWER, Aggregation.AVERAGE, 1),
    ],
    Service.PPC: [
        ("leads", "Заявки", "шт.", Direction.HIGHER, Aggregation.SUM, 0),
        ("spend", "Расход", "₽", Direction.LOWER, Aggregation.SUM, 0),
        ("cost_per_lead", "Цена заявки", "₽", Direction.LOWER, Aggregation.AVERAGE, 0),
    ],
    Service.SMM: [
        ("reach", "Охват", "чел.", Direction.HIGHER, Aggregation.SUM, 0),
        ("leads", "Заявки", "шт.", Direction.HIGHER, Aggregation.SUM, 0),
    ],
    Service.ANALYTICS: [("conversions", "Конверсии", "шт.", Direction.HIGHER, Aggregation.SUM, 0)],
    Service.DEVELOPMENT: [
        ("conversions", "Конверсии", "шт.", Direction.HIGHER, Aggregation.SUM, 0)
    ],
}


def _staff_viewer(ctx, key: str) -> Viewer:
    return Viewer(
        user=ctx.users[key], agency=ctx.agency, role=ctx.users[key].membership.role, company_id=None
    )


def _kpis(ctx) -> None:
    if not ctx.new_projects:
        return
    today = timezone.localdate(ctx.now)
    start = kpi.add_months(today, -13)
    head = _staff_viewer(ctx, "head")
    for project in ctx.new_projects:
        specs = METRICS.get(project.service, METRICS[Service.DEVELOPMENT])
        for position, (key, name, unit, direction, aggregation, decimals) in enumerate(specs):
            Metric.objects.create(
                agency=ctx.agency,
                project=project,
                key=key,
                name=name,
                unit=unit,
                direction=direction,
                period=Period.DAY,
                aggregation=aggregation,
                decimals=decimals,
                position=position,
                source=Source.SAMPLE,
            )
    technodom = next(
        (p for p in ctx.new_projects if p.company.name == "ТехноДом" and p.service == Service.SEO),
        None,
    )
    zelsad = next((p for p in ctx.new_projects if p.company.name == "Зелёный Сад"), None)
    if zelsad is not None:  # grows about 0.5 % a month: well below what we forecast
        sources.SAMPLE.overrides[zelsad.pk] = {
            "organic_sessions": sources.SampleProfile(level=700, growth_per_month=0.005, noise=0.06)
        }
    for project in ctx.new_projects:
        sources.sync(project, Source.SAMPLE, start, today)
    horizon = kpi.month_bounds(kpi.add_months(today, 3))[1]
    if technodom is not None:
        _story_talk_now(ctx, head, technodom, horizon)
    if zelsad is not None:
        _story_behind(ctx, head, zelsad, horizon)
    # What the daily job (health.flags) does: store the flags and tell the managers, once.
    services.store_flags(now=ctx.now)
    _understanding(ctx)


SILENT_COMPANY = "Мебель Плюс"
SILENT_DAYS = 36
# company: (days ago it left, days of silence before it left)
DEPARTED = {"ЭкоФерма": (20, 45), "Кофейня «Зерно»": (45, 50)}
SNAPSHOT_DAYS = 30


def _hush(ctx, projects, start, end) -> None:
    """Move the agency's client-visible updates of [start, end] on these projects to just
    before `start`: the client heard nothing in between (the events stay in the chronology)."""
    from django.db.models import F, Max

    from kabinet.clients.models import Project
    from kabinet.core.models import Membership, Role
    from kabinet.timeline.models import Event

    clients = Membership.objects.filter(agency=ctx.agency, role=Role.CLIENT).values("user_id")
    updates = (
        Event.objects.filter(
            project__in=projects, visibility="client", occurred_at__gt=start, occurred_at__lte=end
        )
        .exclude(author=None)
        .exclude(author_id__in=clients)
    )
    updates.update(occurred_at=F("occurred_at") - (end - start) - timedelta(days=1))
    for project in projects:
        latest = (
            Event.objects.filter(project=project, visibility="client")
            .exclude(author=None)
            .exclude(author_id__in=clients)
            .aggregate(m=Max("occurred_at"))["m"]
        )
        Project.objects.filter(pk=project.pk).update(last_client_update_at=latest)


def _understanding(ctx) -> None:
    from datetime import datetime, time

    from kabinet.clients.models import Project
    from kabinet.core.models import Membership, Role
    from kabinet.health.models import ItemView, ProjectVisit
    from kabinet.health.understanding import take_snapshots
    from kabinet.timeline.models import DOCUMENT_KINDS, Event

    companies = {p.company for p in ctx.new_projects}
    if not companies:
        return
    now = ctx.now
    today = timezone.localdate(now)
    # The client people opened most documents, a day or two after they were published.
    rng = ctx.rng
    views = []
    for membership in Membership.objects.filter(
        agency=ctx.agency, role=Role.CLIENT, company__in=companies
    ).select_related("user"):
        docs = Event.objects.filter(
            project__company_id=membership.company_id, kind__in=DOCUMENT_KINDS, visibility="client"
        ).only("pk", "project_id", "occurred_at")
        for event in docs:
            if rng.random() < 0.8:
                views.append(
                    ItemView(
                        agency=ctx.agency,
                        project_id=event.project_id,
                        event=event,
                        user=membership.user,
                        first_at=min(now, event.occurred_at + timedelta(hours=rng.randint(2, 60))),
                    )
                )
        for project in Project.objects.filter(company_id=membership.company_id):
            ProjectVisit.objects.get_or_create(
                agency=ctx.agency,
                project=project,
                user=membership.user,
                defaults={
                    "last_at": now - timedelta(days=1),
                    "previous_at": now - timedelta(days=4),
                },
            )
    ItemView.objects.bulk_create(views, ignore_conflicts=True)
    by_name = {c.name: c for c in companies}
    silent = by_name.get(SILENT_COMPANY)
    if silent is not None:
        projects = list(Project.objects.filter(company=silent))
        _hush(ctx, projects, now - timedelta(days=SILENT_DAYS), now)
    for name, (ago, quiet) in DEPARTED.items():
        company = by_name.get(name)
        if company is None:
            continue
        left = today - timedelta(days=ago)
        projects = list(Project.objects.filter(company=company))
        left_at = datetime.combine(left, time(12), tzinfo=now.tzinfo)
        _hush(ctx, projects, left_at - timedelta(days=quiet), now)
        company.left_on = left
        company.save(update_fields=["left_on"])
        Project.objects.filter(company=company).update(status=Project.Status.CLOSED)
    # ТехноДом: our forecast was set three weeks ago; Marina's expectations (far beyond it) four
    # days ago — the index drops and the manager is told why.
    technodom = by_name.get("ТехноДом")
    if technodom is not None:
        Forecast.objects.filter(project__company=technodom).update(
            created_at=now - timedelta(days=21)
        )
        Expectation.objects.filter(project__company=technodom).update(
            created_at=now - timedelta(days=4)
        )
    # A month of history as it stood each evening, then today with its alarms.
    tz = ctx.agency.calendar().tz
    for back in range(SNAPSHOT_DAYS, 0, -1):
        day = today - timedelta(days=back)
        take_snapshots(ctx.agency, datetime.combine(day, time(20), tzinfo=tz), alarms=False)
    take_snapshots(ctx.agency, timezone.now())
    # The planner's client-health factor reads the index: plan again with it.
    from kabinet.planning.services import replan

    replan(agency=ctx.agency, reason="demo: understanding index")


def _last_month_figure(metric: Metric, today) -> float:
    first, last = kpi.month_bounds(kpi.add_months(today, -1))
    values = [
        float(v)
        for v in metric.points.filter(date__gte=first, date__lte=last).values_list(
            "value", flat=True
        )
    ]
    return sum(values)


def _story_talk_now(ctx, head: Viewer, project, horizon) -> None:
    today = timezone.localdate(ctx.now)
    metric = Metric.objects.get(project=project, key="organic_sessions")
    base = _last_month_figure(metric, today)
    sergey = _staff_viewer(ctx, "sergey")
    services.set_forecast(
        viewer=sergey,
        metric=metric,
        low=Decimal(round(base * 1.05, -2)),
        high=Decimal(round(base * 1.25, -2)),
        by_date=horizon,
        note="Рост за счёт нового раздела каталога и исправленных дублей; сезонность учтена.",
    )
    marina = ctx.users.get("marina")
    if marina is not None:
        client = Viewer(
            user=marina, agency=ctx.agency, role="client", company_id=project.company_id
        )
        services.set_expectation(
            viewer=client,
            metric=metric,
            target=Decimal(round(base * 2, -2)),
            by_date=horizon,
            note="Хотим удвоить трафик из поиска к весне.",
        )
    _next_month_plan(ctx, project, sergey, today)
    _recommendation_waiting(ctx, project)


def _story_behind(ctx, head: Viewer, project, horizon) -> None:
    today = timezone.localdate(ctx.now)
    metric = Metric.objects.get(project=project, key="organic_sessions")
    base = _last_month_figure(metric, today)
    services.set_forecast(
        viewer=_staff_viewer(ctx, "sergey"),
        metric=metric,
        low=Decimal(round(base * 1.3, -2)),
        high=Decimal(round(base * 1.5, -2)),
        by_date=horizon,
        note="Прогноз при запуске блога и внедрении ТЗ по перелинковке.",
    )


# Next month's plan lines, each with words of the open task that carries it (the demo's task
# catalogue): a line is linked to a task about the same work, or to none.
NEXT_MONTH_LINES = [
    ("Новый раздел каталога: посадочные страницы", "нового раздела"),
    ("Перелинковка карточек товаров", "правки из ТЗ"),
    ("Статьи в блог по сезонным запросам", "5 статей"),
]


def _recommendation_waiting(ctx, project) -> None:
    """Marina has a recommendation to approve or decline on her home: the chronology's random
    decisions could leave her none, and the approval is half of what the cabinet is for."""
    from kabinet.timeline.models import Decision
    from kabinet.timeline.services import record_event

    record_event(
        project=project,
        kind=Kind.RECOMMENDATION,
        title="Рекомендация: фильтры каталога как посадочные страницы",
        body=(
            "Предлагаем открыть для индексации 40 страниц фильтров с частотными запросами "
            "(«холодильники no frost», «стиральные машины узкие»…): свои заголовки, тексты и "
            "место в меню. Оценка: +6–9 % визитов из поиска через 3 месяца. "
            "Нужно ваше согласие: страницы появятся в каталоге."
        ),
        author=ctx.users["viktoria"],
        decision=Decision.PENDING,
        occurred_at=ctx.now - timedelta(days=2, hours=3),
    )


def _next_month_plan(ctx, project, sergey: Viewer, today) -> None:
    from kabinet.core.demo import MONTHS_RU
    from kabinet.timeline.services import record_event
    from kabinet.work.models import Task

    first, last = kpi.month_bounds(kpi.add_months(today, 1))
    plan = record_event(
        project=project,
        kind=Kind.PLAN,
        title=f"План работ на {MONTHS_RU[first.month - 1]} {first.year}",
        author=sergey.user,
        body="Согласуем на созвоне; строки плана связаны с задачами — их состояние видно на главной.",
        period_start=first,
        period_end=last,
        occurred_at=ctx.now - timedelta(hours=3),
    )
    open_tasks = Task.objects.filter(project=project, visibility="client").exclude(
        status__in=Task.CLOSED_STATUSES
    )
    for position, (title, words) in enumerate(NEXT_MONTH_LINES):
        task = open_tasks.filter(title__icontains=words).order_by("due_at", "pk").first()
        PlanItem.objects.create(
            agency=ctx.agency, project=project, plan=plan, title=title, task=task, position=position
        )


def populate(ctx) -> None:
    from kabinet.health.digests import demo as digests

    _kpis(ctx)
    digests.populate(ctx)  # last: the letters are drafted from everything the demos wrote
