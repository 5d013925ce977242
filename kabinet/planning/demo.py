"""Demo: default priority weights and a computed plan, so Viktoria's queue is ordered with
reasons and Sergey's "At risk" page has a deadline move to decide.

Idempotent: the weights row is one per agency; the demo tasks below carry dedupe keys (so they
are created once), and they are added only when the work app's demo has not already given
Viktoria a queue; the one late client-visible task that guarantees a proposal has its own key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kabinet.clients.models import Project
from kabinet.planning.adapter import weights_for
from kabinet.planning.models import DeadlineProposal, ProposalStatus
from kabinet.planning.services import replan
from kabinet.work.models import Task
from kabinet.work.services import create_task


@dataclass
class DemoTask:
    key: str
    project: str  # project name
    title: str
    hours: float
    due_days: int  # business days from today, due at the end of that day
    visibility: str = "internal"
    blocked_by: str = ""
    boost: int = 0


QUEUE = [
    DemoTask(
        "audit", "SEO technodom.example", "Технический аудит раздела «Холодильники»", 6, 4, "client"
    ),
    DemoTask(
        "spec",
        "SEO technodom.example",
        "ТЗ на исправление дублей по итогам аудита",
        3,
        6,
        "client",
        "audit",
    ),
    DemoTask("meta", "SEO zelsad.example", "Мета-теги для новых категорий", 2, 2, "client"),
    DemoTask("links", "SEO technodom.example", "Подбор площадок для ссылок", 3, 10),
    DemoTask("report", "SEO zelsad.example", "Черновик отчёта за месяц", 2, 5, "client"),
    DemoTask(
        "core", "SEO mebelplus.example", "Семантическое ядро для раздела «Кухни»", 6, 9, "client"
    ),
    DemoTask(
        "robots", "SEO mebelplus.example", "Проверить robots.txt и карту сайта", 1, 1, boost=2
    ),
    DemoTask("cleanup", "SEO technodom.example", "Внутренняя уборка: старые редиректы", 2, 15),
]
# Too much work for its deadline: the plan cannot avoid lateness and proposes a move.
LATE = DemoTask(
    "late",
    "SEO technodom.example",
    "Переписать тексты категорий «Холодильники» и «Морозильники»",
    14,
    1,
    "client",
)


def _due(ctx, days: int) -> datetime:
    calendar = ctx.agency.calendar()
    today = ctx.now.astimezone(calendar.tz).date()
    return calendar.closing_of(calendar.add_business_days(today, days))


def _create(ctx, spec: DemoTask, made: dict[str, Task]) -> Task | None:
    project = Project.objects.filter(agency=ctx.agency, name=spec.project).first()
    viktoria = ctx.users.get("viktoria")
    if project is None or viktoria is None:
        return None
    task = create_task(
        viewer=None,
        project=project,
        title=spec.title,
        assignee=viktoria,
        estimate_hours=spec.hours,
        due_at=_due(ctx, spec.due_days),
        visibility=spec.visibility,
        blocked_by=[made[spec.blocked_by]] if spec.blocked_by in made else [],
        dedupe_key=f"demo:planning:{spec.key}",
    )
    if spec.boost and task.priority_boost != spec.boost:
        Task.objects.filter(pk=task.pk).update(priority_boost=spec.boost)
    made[spec.key] = task
    return task


def populate(ctx) -> None:
    weights_for(ctx.agency)
    viktoria = ctx.users.get("viktoria")
    made: dict[str, Task] = {}
    own = Task.objects.filter(agency=ctx.agency, dedupe_key__startswith="demo:planning:").exists()
    others = Task.objects.filter(
        agency=ctx.agency, assignee=viktoria, status__in=Task.OPEN_STATUSES
    )
    if own or others.count() < 5:
        for spec in QUEUE:
            _create(ctx, spec, made)
    replan(agency=ctx.agency, reason="demo")
    has_client_proposal = DeadlineProposal.objects.filter(
        agency=ctx.agency, status=ProposalStatus.PENDING, task__visibility="client"
    ).exists()
    if not has_client_proposal or own:
        if _create(ctx, LATE, made) is not None:
            replan(agency=ctx.agency, reason="demo")
