"""Automation rules: evaluators find causes, `fire_once` acts once per cause.

Other apps add evaluators with `@evaluator("kind")` (imported from their AppConfig.ready()).
An evaluator is `(rule, now) -> int` (how many times it fired) and calls `fire_once` for each
cause it finds; the unique (rule, cause_key) row makes a second firing for the same cause a no-op,
however often or concurrently the rules run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kabinet.work.models import AutomationRule, RuleFiring, Task

if TYPE_CHECKING:
    from kabinet.work.services import TaskSpec

logger = logging.getLogger(__name__)

Evaluator = Callable[[AutomationRule, datetime], int]
_evaluators: dict[str, Evaluator] = {}


def evaluator(kind: str) -> Callable[[Evaluator], Evaluator]:
    """Register the evaluator of a rule kind (AutomationRule.Kind value)."""
    if kind not in AutomationRule.Kind.values:
        raise ValueError(f"unknown rule kind {kind!r}; add it to AutomationRule.Kind")

    def register(func: Evaluator) -> Evaluator:
        _evaluators[kind] = func
        return func

    return register


def evaluators() -> dict[str, Evaluator]:
    return dict(_evaluators)


def fire_once(rule: AutomationRule, cause_key: str, action: Callable[[], Task | None]) -> bool:
    """Record the firing and run the action in one transaction. False if this cause already fired.

    If the action fails, the firing is rolled back with it, so the cause fires on the next run.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                firing = RuleFiring.objects.create(
                    agency_id=rule.agency_id, rule=rule, cause_key=cause_key[:200]
                )
        except IntegrityError:
            return False
        task = action()
        if task is not None:
            firing.task = task
            RuleFiring.objects.filter(agency_id=rule.agency_id, pk=firing.pk).update(task=task)
    return True


def fire_many(
    rule: AutomationRule, items: Sequence[tuple[str, TaskSpec | None]]
) -> list[tuple[str, Task | None]]:
    """`fire_once` for many causes at once, each acting by creating a task (or by nothing: the
    caller acts on what is returned): the firings and their tasks are written together in a
    constant number of queries per batch of 500 causes. Returns the (cause, task) pairs that fired.

    Meant for causes `not_yet_fired` just returned. If another run fired one of them in the
    meantime (or a task is not valid), the batch is rolled back and fired one cause at a time with
    `fire_once`, where the unique (rule, cause_key) row decides, as always. Call it inside a
    transaction with what else acts on the returned causes, so a failure undoes the firings too.
    """
    from kabinet.work.services import create_system_tasks

    fired: list[tuple[str, Task | None]] = []
    for start in range(0, len(items), CAUSE_BATCH):
        batch: list[tuple[str, TaskSpec | None]] = []
        seen: set[str] = set()
        for cause, spec in items[start : start + CAUSE_BATCH]:
            if cause[:200] not in seen:  # a cause given twice fires once, as with fire_once
                seen.add(cause[:200])
                batch.append((cause, spec))
        try:
            with transaction.atomic():
                specs = [spec for _c, spec in batch if spec is not None]
                made = iter(create_system_tasks(agency=rule.agency, specs=specs))
                tasks = [next(made)[0] if spec is not None else None for _c, spec in batch]
                RuleFiring.objects.bulk_create(
                    RuleFiring(
                        agency_id=rule.agency_id, rule=rule, cause_key=cause[:200], task=task
                    )
                    for (cause, _spec), task in zip(batch, tasks, strict=True)
                )
            fired.extend((cause, task) for (cause, _spec), task in zip(batch, tasks, strict=True))
        except (IntegrityError, ValidationError):
            for cause, spec in batch:
                made_now: list[Task | None] = []

                def action(spec=spec, made_now=made_now) -> Task | None:
                    made_now.append(_create_one(spec) if spec is not None else None)
                    return made_now[0]

                if fire_once(rule, cause, action):
                    fired.append((cause, made_now[0]))
    return fired


def _create_one(spec: TaskSpec) -> Task:
    from kabinet.work.services import create_task

    return create_task(viewer=None, **spec.arguments())


CAUSE_BATCH = 500


def not_yet_fired(rule: AutomationRule, causes: Iterable[str]) -> set[str]:
    """The causes, of those given, this rule has not fired for yet, in one query per 500.

    Evaluators ask this before doing any per-cause work, so a run that finds only causes it has
    already acted on costs a constant number of queries; `fire_once` still guards each firing.
    """
    wanted = list(dict.fromkeys(causes))
    done: set[str] = set()
    for start in range(0, len(wanted), CAUSE_BATCH):
        keys = [c[:200] for c in wanted[start : start + CAUSE_BATCH]]
        done.update(
            RuleFiring.objects.filter(
                agency_id=rule.agency_id, rule=rule, cause_key__in=keys
            ).values_list("cause_key", flat=True)
        )
    return {c for c in wanted if c[:200] not in done}


def run_rule(rule: AutomationRule, now: datetime | None = None) -> int:
    func = _evaluators.get(rule.kind)
    if func is None or not rule.enabled:
        return 0
    return func(rule, now or timezone.now())


def run_all_rules(now: datetime | None = None) -> int:
    """Evaluate every enabled rule of every agency; a failing rule is logged and skipped.

    An agency whose head never saved the rules runs them with their defaults (the rules page
    shows those defaults without writing them: the rows are created here, by the job)."""
    from kabinet.core.models import Agency
    from kabinet.work.services import ensure_default_rules

    now = now or timezone.now()
    fired = 0
    for agency in Agency.objects.order_by("pk"):  # one agency's rules at a time
        rules = list(AutomationRule.objects.filter(agency=agency).order_by("pk"))
        if not rules:
            ensure_default_rules(agency=agency)
            rules = list(AutomationRule.objects.filter(agency=agency).order_by("pk"))
        for rule in rules:
            if not rule.enabled:
                continue
            rule.agency = agency
            try:
                fired += run_rule(rule, now)
            except Exception:
                logger.exception("automation rule %s (%s) failed", rule.pk, rule.kind)
    return fired


# --------------------------------------------------------------------------- built-in evaluators


def _local_date(calendar, at: datetime) -> date:
    return timezone.localtime(at, calendar.tz).date()


@evaluator(AutomationRule.Kind.CLIENT_SILENCE)
def client_silence(rule: AutomationRule, now: datetime) -> int:
    """No client-visible update for N business days → "send the client an update" for the AM.

    The cause is the silence that began at the last update, so a new silence fires again.
    """
    from kabinet.clients.models import Project, ProjectMember
    from kabinet.work.services import TaskSpec, people_for_role

    days = int(rule.param("business_days"))
    calendar = rule.agency.calendar()
    today = _local_date(calendar, now)
    silent: list[tuple[Project, date, datetime | None, str]] = []
    for project in Project.objects.filter(
        agency=rule.agency, status=Project.Status.ACTIVE
    ).select_related("agency", "company"):
        since = project.last_client_update_at
        since_day = _local_date(calendar, since) if since else project.start_date
        if calendar.business_days_between(since_day, today) < days:
            continue
        cause = f"silence:{project.pk}:{since.isoformat() if since else 'never'}"
        silent.append((project, since_day, since, cause))
    new = not_yet_fired(rule, [cause for *_rest, cause in silent])
    silent = [row for row in silent if row[-1] in new]
    managers = people_for_role(
        agency=rule.agency,
        project_ids=[project.pk for project, *_rest in silent],
        role=ProjectMember.ProjectRole.ACCOUNT_MANAGER,
    )
    due_at = calendar.end_of_business_day(now)
    items: list[tuple[str, TaskSpec | None]] = []
    for project, since_day, _since, cause in silent:
        manager = managers.get(project.pk)
        with translation.override(manager.language if manager else "ru"):
            title = _("Send the client an update: %(project)s") % {"project": project}
            body = _("Nothing client-visible has been published since %(day)s.") % {
                "day": formats.date_format(since_day, "SHORT_DATE_FORMAT")
            }
        spec = TaskSpec(
            project=project,
            title=title,
            description=body,
            assignee=manager,
            due_at=due_at,
            source=("rule", rule.pk),
            dedupe_key=f"rule:{rule.pk}:{cause}",
        )
        items.append((cause, spec))
    return len(fire_many(rule, items))


def _month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)


@evaluator(AutomationRule.Kind.REPORT_MISSING)
def report_missing(rule: AutomationRule, now: datetime) -> int:
    """The last monthly reporting period ended more than N business days ago and no report for it
    was published → a report task for the project's specialist (or its account manager)."""
    from kabinet.clients.models import Project, ProjectMember
    from kabinet.timeline.models import Event, Kind, Visibility
    from kabinet.work.services import TaskSpec, people_for_role

    grace = int(rule.param("grace_business_days"))
    calendar = rule.agency.calendar()
    today = _local_date(calendar, now)
    period_start, period_end = _month_bounds(today.replace(day=1) - timedelta(days=1))
    if calendar.business_days_between(period_end, today) < grace:
        return 0
    projects = list(
        Project.objects.filter(
            agency=rule.agency, status=Project.Status.ACTIVE, start_date__lte=period_start
        ).select_related("agency", "company")
    )
    published = set(
        Event.objects.filter(
            agency=rule.agency,
            kind=Kind.REPORT,
            visibility=Visibility.CLIENT,
            period_start__lte=period_end,
            period_end__gte=period_start,
        ).values_list("project_id", flat=True)
    )
    missing = [p for p in projects if p.pk not in published]
    new = not_yet_fired(rule, [f"report:{p.pk}:{period_start:%Y-%m}" for p in missing])
    missing = [p for p in missing if f"report:{p.pk}:{period_start:%Y-%m}" in new]
    ids = [p.pk for p in missing]
    specialists = people_for_role(
        agency=rule.agency, project_ids=ids, role=ProjectMember.ProjectRole.SPECIALIST
    )
    managers = people_for_role(
        agency=rule.agency,
        project_ids=[pk for pk in ids if pk not in specialists],
        role=ProjectMember.ProjectRole.ACCOUNT_MANAGER,
    )
    due_at = calendar.end_of_business_day(now)
    items: list[tuple[str, TaskSpec | None]] = []
    for project in missing:
        cause = f"report:{project.pk}:{period_start:%Y-%m}"
        person = specialists.get(project.pk) or managers.get(project.pk)
        with translation.override(person.language if person else "ru"):
            title = _("Publish the report for %(period)s: %(project)s") % {
                "period": f"{period_start:%m.%Y}",
                "project": project,
            }
            body = _(
                "The reporting period %(start)s – %(end)s has ended and no report is published."
            ) % {
                "start": period_start,
                "end": period_end,
            }
        spec = TaskSpec(
            project=project,
            title=title,
            description=body,
            assignee=person,
            due_at=due_at,
            source=("rule", rule.pk),
            dedupe_key=f"rule:{rule.pk}:{cause}",
        )
        items.append((cause, spec))
    return len(fire_many(rule, items))


__all__ = [
    "Evaluator",
    "evaluator",
    "evaluators",
    "fire_many",
    "fire_once",
    "not_yet_fired",
    "run_all_rules",
    "run_rule",
]
