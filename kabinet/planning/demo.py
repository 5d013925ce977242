"""Demo: default priority weights and a computed plan, so Viktoria's queue is ordered with
reasons and Sergey's "At risk" page has a deadline move to decide.

People as they really work: the agency's skills, each person's skills (the task of a project
needs its service's skill), Elena also on two of Viktoria's SEO projects (so the plan can propose
giving her late SEO work), Pavel working four days a week and shorter days, Alexey on vacation
next week and Viktoria off for a day.

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


SKILLS = ["SEO", "PPC", "SMM", "Аналитика", "Разработка", "Работа с клиентом"]
SERVICE_SKILL = {
    "seo": "SEO",
    "ppc": "PPC",
    "smm": "SMM",
    "analytics": "Аналитика",
    "development": "Разработка",
}
PEOPLE = {
    "viktoria": ["SEO", "Аналитика"],
    "elena": ["SEO"],
    "alexey": ["PPC"],
    "olga": ["SMM"],
    "pavel": ["Аналитика"],
    "nikita": ["Разработка"],
    "sergey": ["Работа с клиентом"],
    "irina": ["Работа с клиентом"],
    "dmitry": ["Работа с клиентом"],
}


def _people(ctx) -> None:
    """Skills, schedules, absences and a second SEO specialist on two projects (idempotent)."""
    from datetime import time

    from kabinet.clients.models import ProjectMember
    from kabinet.core.scoping import viewer_for
    from kabinet.planning import services
    from kabinet.planning.models import Absence, Skill

    head = ctx.users.get("head")
    if head is None or Skill.objects.filter(agency=ctx.agency).exists():
        return
    viewer = viewer_for(head)
    services.save_skills(viewer=viewer, names=SKILLS)
    skill = {s.name: s for s in Skill.objects.filter(agency=ctx.agency)}
    for key, names in PEOPLE.items():
        user = ctx.users.get(key)
        if user is None:
            continue
        extra = {}
        if key == "pavel":
            extra = {"work_start": time(10), "work_end": time(17), "weekdays": [0, 1, 2, 3]}
        services.save_schedule(
            viewer=viewer, person=user, skills=[skill[n].pk for n in names], **extra
        )
    calendar = ctx.agency.calendar()
    today = ctx.now.astimezone(calendar.tz).date()
    for key, first, last, kind in (
        ("alexey", 5, 9, "vacation"),
        ("viktoria", 3, 3, "day_off"),
    ):
        user = ctx.users.get(key)
        if user is not None and not Absence.objects.filter(user=user).exists():
            services.add_absence(
                viewer=viewer,
                person=user,
                kind=kind,
                starts_on=calendar.add_business_days(today, first),
                ends_on=calendar.add_business_days(today, last),
            )
    elena = ctx.users.get("elena")
    if elena is not None:
        for name in ("SEO technodom.example", "SEO zelsad.example"):
            project = Project.objects.filter(agency=ctx.agency, name=name).first()
            if project is not None:
                ProjectMember.objects.get_or_create(
                    project=project,
                    user=elena,
                    defaults={"agency": ctx.agency, "role": ProjectMember.ProjectRole.SPECIALIST},
                )


def _task_skills(ctx) -> None:
    """Every open task needs its project's skill (an account manager's: client work)."""
    from kabinet.clients.models import ProjectMember
    from kabinet.planning.models import Skill

    skill = {s.name: s for s in Skill.objects.filter(agency=ctx.agency)}
    if not skill:
        return
    managers = {
        m.user_id
        for m in ProjectMember.objects.filter(
            agency=ctx.agency, role=ProjectMember.ProjectRole.ACCOUNT_MANAGER
        )
    }
    for task in Task.objects.filter(
        agency=ctx.agency, status__in=Task.OPEN_STATUSES
    ).select_related("project"):
        name = (
            "Работа с клиентом"
            if task.assignee_id in managers
            else SERVICE_SKILL.get(task.project.service)
        )
        if name in skill and task.skill_id is None:
            Task.objects.filter(pk=task.pk).update(skill=skill[name])


def populate(ctx) -> None:
    weights_for(ctx.agency)
    _people(ctx)
    viktoria = ctx.users.get("viktoria")
    made: dict[str, Task] = {}
    own = Task.objects.filter(agency=ctx.agency, dedupe_key__startswith="demo:planning:").exists()
    others = Task.objects.filter(
        agency=ctx.agency, assignee=viktoria, status__in=Task.OPEN_STATUSES
    )
    if own or others.count() < 5:
        for spec in QUEUE:
            _create(ctx, spec, made)
    _task_skills(ctx)
    replan(agency=ctx.agency, reason="demo", force=False)
    has_client_proposal = DeadlineProposal.objects.filter(
        agency=ctx.agency, status=ProposalStatus.PENDING, task__visibility="client"
    ).exists()
    if not has_client_proposal or own:
        if _create(ctx, LATE, made) is not None:
            _task_skills(ctx)
            replan(agency=ctx.agency, reason="demo", force=False)
