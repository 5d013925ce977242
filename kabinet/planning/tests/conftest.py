"""Builders for planning tests: tasks on the personas' projects and a fixed planning clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kabinet.lib.business_calendar import DEFAULT_TZ as MSK

# Monday 7 December 2026, 09:00 in the agency's time zone: a plain working week follows.
MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=MSK)


@pytest.fixture
def now():
    return MONDAY


@pytest.fixture
def make_task(project):
    from kabinet.work.services import create_task

    def _make(
        title,
        *,
        assignee=None,
        hours=2,
        due=None,
        visibility="internal",
        blocked_by=(),
        on=None,
        **extra,
    ):
        task = create_task(
            viewer=None,
            project=on or project,
            title=title,
            assignee=assignee,
            estimate_hours=hours,
            due_at=due,
            visibility=visibility,
            blocked_by=blocked_by,
        )
        if extra:
            from kabinet.work.models import Task

            Task.objects.filter(pk=task.pk).update(**extra)
            task.refresh_from_db()
        return task

    return _make


@pytest.fixture
def plan(agency, now):
    """plan() -> the PlanRun of the agency, computed at the fixed Monday morning."""
    from kabinet.planning.services import replan

    def _plan(at=None):
        return replan(agency=agency, reason="test", now=at or now)

    return _plan


def hours_after(start: datetime, hours: float) -> datetime:
    return start + timedelta(hours=hours)


@pytest.fixture
def elena(agency, project):
    """A second SEO specialist on Viktoria's project."""
    from kabinet.clients.models import ProjectMember
    from kabinet.core.testing import Role, make_user

    user = make_user(agency, "elena@agency.test", Role.SPECIALIST, full_name="Елена Морозова")
    ProjectMember.objects.create(
        agency=agency, project=project, user=user, role=ProjectMember.ProjectRole.SPECIALIST
    )
    return user


@pytest.fixture
def nikita(agency, project):
    """A developer on the same project: a seat on it, but not the SEO skill."""
    from kabinet.clients.models import ProjectMember
    from kabinet.core.testing import Role, make_user

    user = make_user(agency, "nikita@agency.test", Role.SPECIALIST, full_name="Никита Волков")
    ProjectMember.objects.create(
        agency=agency, project=project, user=user, role=ProjectMember.ProjectRole.SPECIALIST
    )
    return user


@pytest.fixture
def skills(agency, head, viktoria, elena, nikita):
    """The agency's vocabulary; Viktoria and Elena do SEO, Nikita development."""
    from kabinet.core.scoping import viewer_for
    from kabinet.planning import services
    from kabinet.planning.models import Skill

    chief = viewer_for(head)
    services.save_skills(viewer=chief, names="SEO\nРазработка")
    by_name = {s.name: s for s in Skill.objects.filter(agency=agency)}
    for person, name in ((viktoria, "SEO"), (elena, "SEO"), (nikita, "Разработка")):
        services.save_schedule(viewer=chief, person=person, skills=[by_name[name].pk])
    return by_name


@pytest.fixture
def stored_plan(agency, project, now):
    """stored_plan(person, first, last, late_hours=0) -> tasks with forecasts as a plan run stores
    them (rank = position in the person's queue), written in bulk without planning."""
    from kabinet.planning.models import PlanRun, TaskForecast
    from kabinet.work.models import Task

    run = PlanRun.objects.create(agency=agency, finished_at=now)

    def _store(person, first, last, *, late_hours=0.0):
        tasks = Task.objects.bulk_create(
            Task(
                agency=agency,
                project=project,
                title=f"Задача {n:02}",
                assignee=person,
                estimate_hours=1,
                due_at=now + timedelta(days=1, minutes=n),
            )
            for n in range(first, last)
        )
        TaskForecast.objects.bulk_create(
            TaskForecast(
                agency=agency,
                task=task,
                plan_run=run,
                person=person,
                weight=1.0,
                predicted_start=now + timedelta(hours=n),
                predicted_finish=now + timedelta(hours=n + 1),
                late_hours=late_hours + n if late_hours else 0.0,
                slack_hours=-(late_hours + n) if late_hours else 100.0,
                rank=n + 1,
                details={},
            )
            for n, task in zip(range(first, last), tasks, strict=True)
        )
        return tasks

    return _store


@pytest.fixture
def proposal(project, viktoria, make_task, plan, now):
    """A pending deadline proposal on a client-visible task that cannot be done by its due date
    (12 hours of work due in 9)."""
    from kabinet.planning.models import DeadlineProposal, ProposalStatus

    task = make_task(
        "Переписать тексты категорий",
        assignee=viktoria,
        hours=12,
        due=now + timedelta(hours=9),
        visibility="client",
    )
    plan()
    return DeadlineProposal.objects.get(task=task, status=ProposalStatus.PENDING)


@pytest.fixture
def accepted_date(agency):
    """accepted_date(task) -> the task's due date made a commitment: a move to it the manager
    accepted (and told the client) a day ago."""
    from kabinet.planning.models import DeadlineProposal, ProposalStatus

    def _accept(task):
        return DeadlineProposal.objects.create(
            agency=agency,
            task=task,
            old_due=task.due_at - timedelta(days=1),
            new_due=task.due_at,
            lateness_hours=1,
            status=ProposalStatus.ACCEPTED,
        )

    return _accept


@pytest.fixture
def pending_moves(agency):
    """pending_moves(tasks, message="") -> a pending deadline move per task, two days later,
    as the plan run proposes them."""
    from kabinet.planning.models import DeadlineProposal, ProposalStatus

    def _propose(tasks, message=""):
        return [
            DeadlineProposal.objects.create(
                agency=agency,
                task=task,
                old_due=task.due_at,
                new_due=task.due_at + timedelta(days=2),
                lateness_hours=5,
                message=message,
                status=ProposalStatus.PENDING,
            )
            for task in tasks
        ]

    return _propose
