"""Demo KPIs: every new demo project gets the metrics of its service, filled from the built-in
sample source for the last thirteen months, so the charts are alive. Two stories for the flags:

- ТехноДом's SEO (Marina): she expects far more organic traffic than we forecast — "talk now";
- Зелёный Сад's SEO: the forecast was set high and the sessions grow too slowly — behind it.

Marina's project also gets next month's plan with its lines linked to the tasks that carry them.
Idempotent: only projects created in this run (`ctx.new_projects`) get KPIs and stories.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kabinet.clients.models import Service
from kabinet.core.scoping import Viewer
from kabinet.health import services, sources
from kabinet.health.models import Aggregation, Direction, Metric, Period, PlanItem, Source
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


def _next_month_plan(ctx, project, sergey: Viewer, today) -> None:
    from kabinet.timeline.services import record_event
    from kabinet.work.models import Task

    first, last = kpi.month_bounds(kpi.add_months(today, 1))
    plan = record_event(
        project=project,
        kind=Kind.PLAN,
        title=f"План работ на {first:%m.%Y}",
        author=sergey.user,
        body="Согласуем на созвоне; строки плана связаны с задачами — их состояние видно на главной.",
        period_start=first,
        period_end=last,
        occurred_at=ctx.now - timedelta(hours=3),
    )
    tasks = list(
        Task.objects.filter(project=project, visibility="client").order_by("due_at", "pk")[:3]
    )
    lines = [
        "Новый раздел каталога: посадочные страницы",
        "Перелинковка карточек товаров",
        "Статьи в блог по сезонным запросам",
    ]
    for position, title in enumerate(lines):
        task = tasks[position] if position < len(tasks) else None
        PlanItem.objects.create(
            agency=ctx.agency, project=project, plan=plan, title=title, task=task, position=position
        )


def populate(ctx) -> None:
    from kabinet.health.digests import demo as digests

    _kpis(ctx)
    digests.populate(ctx)  # last: the letters are drafted from everything the demos wrote
