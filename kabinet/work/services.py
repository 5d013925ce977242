"""Every write of the work app: tasks, their changes, playbooks, recurring work, rules.

Services trust their caller about *who* may act (views check it through kabinet.core.scoping)
but validate the data. Actor None means the system (a rule, a recurrence, a job).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from dateutil.rrule import rrulestr
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kabinet.clients.models import Project, ProjectMember
from kabinet.core import concurrency
from kabinet.core.formatting import format_due
from kabinet.core.models import STAFF_ROLES, Agency, AuditEntry, Membership, User
from kabinet.core.scoping import (
    Viewer,
    require_head,
    require_manager,
    require_project,
    require_staff,
)
from kabinet.core.services import Notice, audit, notify, notify_many
from kabinet.core.signals import task_completed
from kabinet.timeline.models import Kind
from kabinet.timeline.services import record_event
from kabinet.work.models import (
    AutomationRule,
    Playbook,
    PlaybookItem,
    PlaybookRun,
    ProjectRoleChoice,
    Recurrence,
    Task,
    TaskChange,
    Visibility,
)

# Fields change_task accepts; the tracked ones get a TaskChange row each.
EDITABLE_FIELDS = {
    "title",
    "description",
    "assignee",
    "estimate_hours",
    "due_at",
    "status",
    "visibility",
    "priority_boost",
    "pinned",
    "pinned_start",
    "blocked_by",
    "skill",
}
TRACKED_FIELDS = {
    "due_at",
    "assignee",
    "priority_boost",
    "status",
    "pinned",
    "visibility",
    "estimate_hours",
    "title",
}


# --------------------------------------------------------------------------- helpers


def _source_ref(source: object | None) -> tuple[str, str]:
    """(source_type, source_id) for a model instance, a ("type", id) pair, or nothing."""
    if source is None:
        return "", ""
    if isinstance(source, tuple):
        return str(source[0])[:64], str(source[1])[:64]
    return source._meta.label_lower, str(source.pk)  # type: ignore[attr-defined]


def _display(project: Project, field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field == "due_at":
        return format_due(project.agency, value)
    if field == "assignee":
        return str(value)
    if field == "status":
        return str(Task.Status(value).label)
    if field == "visibility":
        return str(Visibility(value).label)
    if field == "pinned":
        return _("yes") if value else _("no")
    return str(value)


def _raw(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, User):
        return str(value.pk)
    return str(value)[:300]


def _acting_user(viewer: Viewer | User | None) -> User | None:
    """The person acting: a Viewer's user, a User as given, None for the system (jobs, rules)."""
    return viewer.user if isinstance(viewer, Viewer) else viewer


def is_staff_of(*, agency: Agency, user: User | None) -> bool:
    return bool(
        user is not None
        and Membership.objects.filter(agency=agency, user=user, role__in=STAFF_ROLES).exists()
    )


def _clean_estimate(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        estimate = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            {"estimate_hours": _("Give the estimate as a number of hours.")}
        ) from exc
    if estimate < 0 or estimate > 10000:
        raise ValidationError(
            {"estimate_hours": _("The estimate must be between 0 and 10,000 hours.")}
        )
    return estimate


def _clean_due(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime) or timezone.is_naive(value):
        raise ValidationError({"due_at": _("Give the due date as a date and time.")})
    return value


def _clean_assignee(project: Project, assignee: User | None) -> User | None:
    if assignee is not None and not is_staff_of(agency=project.agency, user=assignee):
        raise ValidationError({"assignee": _("Tasks can be assigned only to agency staff.")})
    return assignee


def _clean_skill(project: Project, skill: Any):
    """The skill the task needs: one of the agency's (planning.Skill), or None."""
    if skill in (None, ""):
        return None
    from kabinet.planning.models import Skill

    pk = getattr(skill, "pk", skill)
    found = Skill.objects.filter(agency_id=project.agency_id, pk=pk).first()
    if found is None:
        raise ValidationError({"skill": _("Choose a skill from the agency's list.")})
    return found


def _clean_blockers(task: Task | None, project: Project, blockers: Iterable[Task]) -> list[Task]:
    blockers = list(blockers)
    for blocker in blockers:
        if blocker.agency_id != project.agency_id:
            raise ValidationError(
                {"blocked_by": _("A task can be blocked only by tasks of the same agency.")}
            )
        if task is not None and blocker.pk == task.pk:
            raise ValidationError({"blocked_by": _("A task cannot block itself.")})
    if task is not None and blockers:
        # Walk upstream from the new blockers: reaching the task itself would close a loop.
        seen: set[int] = set()
        frontier = {b.pk for b in blockers}
        while frontier:
            if task.pk in frontier:
                raise ValidationError(
                    {
                        "blocked_by": _(
                            "These dependencies would make a loop: a task would wait for itself."
                        )
                    }
                )
            seen |= frontier
            frontier = (
                set(
                    Task.blocked_by.through.objects.filter(from_task_id__in=frontier).values_list(
                        "to_task_id", flat=True
                    )
                )
                - seen
            )
    return blockers


# --------------------------------------------------------------------------- tasks


def create_task(
    *,
    viewer: Viewer | User | None,
    project: Project,
    title: str,
    description: str = "",
    assignee: User | None = None,
    estimate_hours: Decimal | float | str | None = None,
    due_at: datetime | None = None,
    visibility: str = Visibility.INTERNAL,
    blocked_by: Iterable[Task] = (),
    source: object | None = None,
    dedupe_key: str = "",
    status: str = Task.Status.TODO,
    tell_assignee: bool = True,
    skill: Any = None,
) -> Task:
    """Create a task. With a dedupe_key the same cause creates one task, however often called:
    the existing task is returned instead (the unique constraint decides, not a prior read).
    tell_assignee=False: the caller tells the assignee itself (a playbook: once for all its tasks)."""
    return create_task_once(
        viewer=viewer,
        project=project,
        title=title,
        description=description,
        assignee=assignee,
        estimate_hours=estimate_hours,
        due_at=due_at,
        visibility=visibility,
        blocked_by=blocked_by,
        source=source,
        dedupe_key=dedupe_key,
        status=status,
        tell_assignee=tell_assignee,
        skill=skill,
    )[0]


def create_task_once(
    *,
    viewer: Viewer | User | None,
    project: Project,
    title: str,
    description: str = "",
    assignee: User | None = None,
    estimate_hours: Decimal | float | str | None = None,
    due_at: datetime | None = None,
    visibility: str = Visibility.INTERNAL,
    blocked_by: Iterable[Task] = (),
    source: object | None = None,
    dedupe_key: str = "",
    status: str = Task.Status.TODO,
    tell_assignee: bool = True,
    skill: Any = None,
) -> tuple[Task, bool]:
    """create_task that also says whether the task is new (False: this cause already had one)."""
    actor = _acting_user(viewer)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the task a title.")})
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Choose who sees the task.")})
    if status not in Task.OPEN_STATUSES:
        raise ValidationError({"status": _("A new task must be open.")})
    estimate = _clean_estimate(estimate_hours)
    due_at = _clean_due(due_at)
    assignee = _clean_assignee(project, assignee)
    blockers = _clean_blockers(None, project, blocked_by)
    skill = _clean_skill(project, skill)
    source_type, source_id = _source_ref(source)
    try:
        with transaction.atomic():
            task = Task.objects.create(
                agency_id=project.agency_id,
                project=project,
                title=title[:300],
                description=description or "",
                assignee=assignee,
                estimate_hours=estimate,
                due_at=due_at,
                visibility=visibility,
                status=status,
                source_type=source_type,
                source_id=source_id,
                dedupe_key=dedupe_key[:200],
                created_by=actor,
                skill=skill,
            )
            if blockers:
                task.blocked_by.set(blockers)
            audit(
                agency=project.agency,
                actor=actor,
                verb="task_created",
                obj=task,
                source=f"{source_type}:{source_id}",
            )
            if tell_assignee and assignee is not None and assignee != actor:
                _notify_assignee(task, assignee, f"task:{task.pk}:assigned:{assignee.pk}")
    except IntegrityError:
        if not dedupe_key:
            raise
        return Task.objects.get(agency_id=project.agency_id, dedupe_key=dedupe_key[:200]), False
    return task, True


def _assignee_notice(
    task: Task, assignee: User, dedupe_key: str, agency: Agency | None = None
) -> Notice:
    """What a new task's assignee is told, in their language (one task or many at once)."""
    from django.urls import reverse

    with translation.override(assignee.language):
        return Notice(
            user=assignee,
            agency=agency or task.project.agency,
            kind="task_assigned",
            title=_("New task for you: %(title)s") % {"title": task.title},
            body=task.description[:400],
            url=reverse("work:task", args=[task.pk]),
            project=task.project,
            action=_("Do it, or tell the manager if it cannot be done in time."),
            due_at=task.due_at,
            dedupe_key=dedupe_key,
        )


def _notify_assignee(task: Task, assignee: User, dedupe_key: str) -> None:
    notice = _assignee_notice(task, assignee, dedupe_key)
    notify(**{f.name: getattr(notice, f.name) for f in dataclass_fields(notice)})


@dataclass(frozen=True)
class TaskSpec:
    """One task a job creates (actor: the system), for `create_system_tasks`."""

    project: Project
    title: str
    description: str = ""
    assignee: User | None = None
    estimate_hours: Decimal | float | str | None = None
    due_at: datetime | None = None
    visibility: str = Visibility.INTERNAL
    source: object | None = None
    dedupe_key: str = ""

    def arguments(self) -> dict[str, Any]:
        """The spec as the keyword arguments of `create_task_once`."""
        return {f.name: getattr(self, f.name) for f in dataclass_fields(self)}


SYSTEM_TASK_BATCH = 500


def create_system_tasks(*, agency: Agency, specs: Sequence[TaskSpec]) -> list[tuple[Task, bool]]:
    """`create_task_once` by the system for many tasks at once (the periodic jobs), in a constant
    number of queries per batch of 500 instead of a dozen per task: the same checks, the tasks,
    their audit entries and their assignees' notifications each written in one multi-row insert,
    and one replanning request for the agency (a multi-row insert sends no post_save).

    Returns (task, new) for each spec, in order; a dedupe key already taken gives the task that
    has it and False, like `create_task_once`. A batch that meets a key another run took in the
    meantime is rolled back and made one task at a time, where the unique constraint decides.
    Raises ValidationError before writing anything if a spec is not valid.
    """
    specs = list(specs)
    for spec in specs:
        if spec.project.agency_id != agency.pk:
            raise ValueError("every task must belong to a project of the agency")
    cleaned = _clean_specs(agency, specs)
    result: list[tuple[Task, bool]] = []
    for start in range(0, len(specs), SYSTEM_TASK_BATCH):
        batch = cleaned[start : start + SYSTEM_TASK_BATCH]
        taken = _tasks_with_keys(agency, {s.dedupe_key for s in batch if s.dedupe_key})
        try:
            with transaction.atomic():
                result.extend(_insert_system_tasks(agency, batch, taken))
        except IntegrityError:
            # another run created one of these meanwhile: one at a time, the constraint decides
            result.extend(create_task_once(viewer=None, **spec.arguments()) for spec in batch)
    return result


def _clean_specs(agency: Agency, specs: list[TaskSpec]) -> list[TaskSpec]:
    """The specs as create_task_once would store them; the assignees' staff check is one query."""
    assignee_ids = {s.assignee.pk for s in specs if s.assignee is not None}
    staff: set[int] = set()
    if assignee_ids:
        staff = set(
            Membership.objects.filter(
                agency=agency, user_id__in=assignee_ids, role__in=STAFF_ROLES
            ).values_list("user_id", flat=True)
        )
    cleaned = []
    for spec in specs:
        title = (spec.title or "").strip()
        if not title:
            raise ValidationError({"title": _("Give the task a title.")})
        if spec.visibility not in Visibility.values:
            raise ValidationError({"visibility": _("Choose who sees the task.")})
        if spec.assignee is not None and spec.assignee.pk not in staff:
            raise ValidationError({"assignee": _("Tasks can be assigned only to agency staff.")})
        cleaned.append(
            replace(
                spec,
                title=title,
                estimate_hours=_clean_estimate(spec.estimate_hours),
                due_at=_clean_due(spec.due_at),
                dedupe_key=(spec.dedupe_key or "")[:200],
            )
        )
    return cleaned


def _tasks_with_keys(agency: Agency, keys: set[str]) -> dict[str, Task]:
    """The agency's tasks that have these dedupe keys already, in one query."""
    if not keys:
        return {}
    return {
        t.dedupe_key: t
        for t in Task.objects.filter(agency=agency, dedupe_key__in=keys).select_related(
            "project__agency", "assignee"
        )
    }


def _insert_system_tasks(
    agency: Agency, specs: list[TaskSpec], taken: dict[str, Task]
) -> list[tuple[Task, bool]]:
    taken = dict(taken)
    rows: list[Task] = []
    chosen: list[Task] = []  # the task of each spec, in order
    for spec in specs:
        if spec.dedupe_key and spec.dedupe_key in taken:
            chosen.append(taken[spec.dedupe_key])
            continue
        source_type, source_id = _source_ref(spec.source)
        task = Task(
            agency_id=agency.pk,
            project=spec.project,
            title=spec.title[:300],
            description=spec.description or "",
            assignee=spec.assignee,
            estimate_hours=spec.estimate_hours,
            due_at=spec.due_at,
            visibility=spec.visibility,
            status=Task.Status.TODO,
            source_type=source_type,
            source_id=source_id,
            dedupe_key=spec.dedupe_key,
            created_by=None,
        )
        rows.append(task)
        chosen.append(task)
        if spec.dedupe_key:
            taken[spec.dedupe_key] = task  # the same key twice in the batch: one task
    if rows:
        Task.objects.bulk_create(rows)  # PostgreSQL and SQLite >= 3.35 return the new keys
        AuditEntry.objects.bulk_create(
            AuditEntry(
                agency=agency,
                actor=None,
                verb="task_created",
                object_type=Task._meta.label_lower,
                object_id=str(t.pk),
                data={"source": f"{t.source_type}:{t.source_id}"},
            )
            for t in rows
        )
        notify_many(
            notices=[
                _assignee_notice(
                    t, t.assignee, f"task:{t.pk}:assigned:{t.assignee.pk}", agency=agency
                )
                for t in rows
                if t.assignee is not None
            ]
        )
        from kabinet.planning.services import request_replan

        request_replan(agency_id=agency.pk)  # what post_save would have asked for, once
    inserted = {id(t) for t in rows}
    result: list[tuple[Task, bool]] = []
    for task in chosen:
        result.append((task, id(task) in inserted))
        inserted.discard(id(task))  # a key given twice: new the first time only
    return result


def describe_task(*, task: Task) -> dict[str, tuple[str, str]]:
    """The task as stored, field by field, written as its edit form shows it (the conflict panel)."""

    def local(value: datetime | None) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"

    blockers = ", ".join(str(t) for t in task.blocked_by.order_by("pk")) or "—"
    return {
        "title": (_("Title"), task.title),
        "description": (_("Description"), task.description or "—"),
        "assignee": (_("Assignee"), str(task.assignee) if task.assignee_id else "—"),
        "estimate_hours": (
            _("Estimate, hours"),
            _number(task.estimate_hours) if task.estimate_hours is not None else "—",
        ),
        "due_at": (_("Due"), local(task.due_at)),
        "visibility": (_("Who sees it"), str(Visibility(task.visibility).label)),
        "status": (_("Status"), str(Task.Status(task.status).label)),
        "priority_boost": (_("Priority boost"), str(task.priority_boost)),
        "blocked_by": (_("Blocked by"), blockers),
        "skill": (_("Skill needed"), str(task.skill) if task.skill_id else "—"),
    }


def _number(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text


def change_task(
    *,
    viewer: Viewer | User | None,
    task: Task,
    reason: str = "",
    client_reason: str | None = None,
    version: int | None = None,
    **changes: Any,
) -> Task:
    """Change a task; each changed tracked field is recorded with who and why.

    A reason is required to move a due date. Moving the due date of a client-visible task
    writes a deadline event with the old and new date and the reason to the client's chronology.
    `version` is the version the person edited (kabinet.core.concurrency): if the task changed
    since, nothing is written and ``EditConflict`` carries the stored task.
    """
    actor = _acting_user(viewer)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"change_task() got unknown fields: {', '.join(sorted(unknown))}")
    reason = (reason or "").strip()
    with transaction.atomic():
        task = (
            Task.objects.select_for_update()
            .select_related("project__agency", "project__company")
            .get(pk=task.pk)
        )
        concurrency.check(task, version, saved=lambda: describe_task(task=task))
        project = task.project
        clean: dict[str, Any] = {}
        for field, value in changes.items():
            if field == "title":
                value = (value or "").strip()
                if not value:
                    raise ValidationError({"title": _("Give the task a title.")})
            elif field == "estimate_hours":
                value = _clean_estimate(value)
            elif field == "due_at":
                value = _clean_due(value)
            elif field == "assignee":
                value = _clean_assignee(project, value)
            elif field == "status" and value not in Task.Status.values:
                raise ValidationError({"status": _("Choose a status.")})
            elif field == "visibility" and value not in Visibility.values:
                raise ValidationError({"visibility": _("Choose who sees the task.")})
            elif field == "priority_boost":
                try:
                    value = int(value)
                except (TypeError, ValueError) as exc:
                    raise ValidationError(
                        {"priority_boost": _("The priority boost is a whole number.")}
                    ) from exc
                if not -100 <= value <= 100:
                    raise ValidationError(
                        {"priority_boost": _("The priority boost must be between -100 and 100.")}
                    )
            elif field == "blocked_by":
                value = _clean_blockers(task, project, value)
            elif field == "skill":
                value = _clean_skill(project, value)
            clean[field] = value
        if "due_at" in clean and clean["due_at"] != task.due_at and not reason:
            raise ValidationError(
                {"reason": _("Say why the due date moves: the reason is kept on the record.")}
            )

        old_due = task.due_at
        recorded: list[TaskChange] = []
        completing = clean.get("status") == Task.Status.DONE and task.status != Task.Status.DONE
        touched: set[str] = set()
        for field, value in clean.items():
            if field == "blocked_by":
                before = set(task.blocked_by.values_list("pk", flat=True))
                if before != {t.pk for t in value}:
                    task.blocked_by.set(value)
                    touched.add(field)
                continue
            old = getattr(task, field)
            if old == value:
                continue
            touched.add(field)
            if field in TRACKED_FIELDS:
                recorded.append(
                    TaskChange(
                        agency_id=task.agency_id,
                        task=task,
                        actor=actor,
                        field=field,
                        old=_raw(old),
                        new=_raw(value),
                        old_display=_display(project, field, old)[:300],
                        new_display=_display(project, field, value)[:300],
                        reason=reason,
                    )
                )
            setattr(task, field, value)
        if "status" in clean:
            if task.status == Task.Status.DONE and task.completed_at is None:
                task.completed_at = timezone.now()
            elif task.status != Task.Status.DONE:
                task.completed_at = None
        if touched:
            concurrency.bump(task)
        task.save()
        TaskChange.objects.bulk_create(recorded)
        changed = {c.field for c in recorded}
        if "due_at" in changed and task.is_client_visible:
            # The client reads the reason meant for her; the recorded one may be internal.
            shown = reason if client_reason is None else client_reason.strip()
            _record_deadline_move(actor, task, old_due, task.due_at, shown)
        if "assignee" in changed and task.assignee is not None and task.assignee != actor:
            change = next(c for c in recorded if c.field == "assignee")
            _notify_assignee(
                task, task.assignee, f"task:{task.pk}:assigned:{task.assignee.pk}:{change.pk}"
            )
        if completing:
            _after_completion(actor, task)
        if touched:
            audit(
                agency=project.agency,
                actor=actor,
                verb="task_changed",
                obj=task,
                fields=sorted(touched),
                reason=reason,
            )
    return task


def _record_deadline_move(
    actor: User | None, task: Task, old: datetime | None, new: datetime | None, reason: str
) -> None:
    project = task.project
    # The chronology is read by the client: write it in the client's language.
    with translation.override(project.company.language):
        body = _("Due date: %(old)s → %(new)s.\n\nReason: %(reason)s") % {
            "old": format_due(project.agency, old),
            "new": format_due(project.agency, new),
            "reason": reason,
        }
    record_event(
        project=project,
        kind=Kind.DEADLINE,
        title_key="deadline_moved",
        title_params={"title": task.title},
        body=body,
        author=actor,
        visibility=Visibility.CLIENT,
        source=task,
    )


def complete_task(*, viewer: Viewer | User | None, task: Task) -> Task:
    """Mark a task done (idempotent: completing a done task changes nothing)."""
    return change_task(viewer=viewer, task=task, status=Task.Status.DONE)


def complete_task_made_for(
    *, actor: User | None, source: object, task_id: int | None
) -> Task | None:
    """Complete task `task_id` if it is open and was created for `source` (see `create_task`'s
    `source`): the work made for a thing is done when the thing is. A task of any other origin
    is left as it is. Returns the completed task, or None."""
    if task_id is None:
        return None
    source_type, source_id = _source_ref(source)
    task = (
        Task.objects.filter(
            agency_id=source.agency_id,  # type: ignore[attr-defined]
            pk=task_id,
            source_type=source_type,
            source_id=source_id,
            status__in=Task.OPEN_STATUSES,
        )
        .select_related("project")
        .first()
    )
    return complete_task(viewer=actor, task=task) if task is not None else None


def _after_completion(actor: User | None, task: Task) -> None:
    if task.is_client_visible:
        record_event(
            project=task.project,
            kind=Kind.TASK,
            title_key="task_done",
            title_params={"title": task.title},
            body=task.description,
            author=actor or task.assignee,
            visibility=Visibility.CLIENT,
            source=task,
        )
    pk = task.pk

    def send() -> None:
        fresh = Task.objects.select_related("project").get(pk=pk)
        task_completed.send(sender=Task, task=fresh, actor=actor)

    transaction.on_commit(send)


# --------------------------------------------------------------------------- team roles


def person_for_role(*, project: Project, role: str) -> User | None:
    """The first team member with that role (the account manager, the specialist)."""
    member = (
        ProjectMember.objects.filter(agency_id=project.agency_id, project=project, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return member.user if member else None


def people_for_role(*, agency: Agency, project_ids: Iterable[int], role: str) -> dict[int, User]:
    """`person_for_role` for many projects: project id → its first member with that role, in one
    query per 500 projects (a project without one is left out)."""
    ids = list(dict.fromkeys(project_ids))
    found: dict[int, User] = {}
    for start in range(0, len(ids), SYSTEM_TASK_BATCH):
        for member in (
            ProjectMember.objects.filter(
                agency=agency, project_id__in=ids[start : start + SYSTEM_TASK_BATCH], role=role
            )
            .select_related("user")
            .order_by("pk")
        ):
            found.setdefault(member.project_id, member.user)
    return found


# --------------------------------------------------------------------------- playbooks


def due_for_offset(*, project: Project, start: date, offset_business_days: int) -> datetime:
    """End of the n-th business day after the start (n = 0: the start day, or the next business day)."""
    calendar = project.agency.calendar()
    day = calendar.add_business_days(start, offset_business_days)
    return calendar.closing_of(day)


def describe_playbook_items(*, items: list[dict]) -> str:
    """A playbook's tasks, one line each, in the shape `save_playbook` takes them: the conflict
    panel writes the saved tasks and the ones typed into the form in the same words."""
    lines = []
    for n, item in enumerate(items, start=1):
        days = item.get("offset_business_days") or 0
        parts = [
            ngettext("due after %(days)s business day", "due after %(days)s business days", days)
            % {"days": days}
        ]
        if item.get("estimate_hours") is not None:
            parts.append(_("%(hours)s h") % {"hours": _number(item["estimate_hours"])})
        parts.append(str(ProjectRoleChoice(item.get("role") or ProjectRoleChoice.SPECIALIST).label))
        parts.append(str(Visibility(item.get("visibility") or Visibility.CLIENT).label))
        if item.get("depends_on"):
            rows = ", ".join(str(d + 1) for d in item["depends_on"])
            parts.append(_("after %(rows)s") % {"rows": rows})
        lines.append(f"{n}. {(item.get('title') or '').strip()} ({'; '.join(parts)})")
    return "\n".join(lines) or "—"


def describe_playbook(*, playbook: Playbook) -> dict[str, tuple[str, str]]:
    """The playbook as stored, in the fields of its edit form (the conflict panel); its tasks are
    one row, "items"."""
    from kabinet.work.forms import PlaybookForm

    stored = list(
        PlaybookItem.objects.filter(agency_id=playbook.agency_id, playbook=playbook)
        .prefetch_related("depends_on")
        .order_by("position", "pk")
    )
    index = {item.pk: n for n, item in enumerate(stored)}
    items = [
        {
            "title": item.title,
            "offset_business_days": item.offset_business_days,
            "estimate_hours": item.estimate_hours,
            "role": item.role,
            "visibility": item.visibility,
            "depends_on": sorted(index[d.pk] for d in item.depends_on.all() if d.pk in index),
        }
        for item in stored
    ]
    languages = dict(PlaybookForm.base_fields["language"].choices)
    return {
        "name": (_("Name"), playbook.name),
        "language": (_("Language"), str(languages.get(playbook.language, playbook.language))),
        "service": (_("Service"), playbook.service or "—"),
        "description": (_("Description"), playbook.description or "—"),
        "items": (_("Tasks"), describe_playbook_items(items=items)),
    }


def save_playbook(
    *,
    viewer: Viewer,
    playbook: Playbook | None = None,
    name: str,
    language: str,
    service: str = "",
    description: str = "",
    items: list[dict],
    version: int | None = None,
) -> Playbook:
    """Create or replace a playbook with its items.

    items: [{"title", "description", "offset_business_days", "estimate_hours", "role",
    "visibility", "depends_on": [indexes of earlier items]}] in order. The head's only.
    `version` is the playbook as the head saw it when replacing one: saved since by someone else,
    ``EditConflict`` (kabinet.core.concurrency) and nothing is written.
    """
    require_head(viewer)
    actor, agency = viewer.user, viewer.agency
    if playbook is not None and playbook.agency_id != agency.pk:
        raise PermissionDenied
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors.setdefault("name", []).append(_("Give the playbook a name."))
    if not items:
        errors.setdefault("items", []).append(_("Add at least one task to the playbook."))
    for index, item in enumerate(items):
        label = _("Task %(n)s") % {"n": index + 1}
        if not (item.get("title") or "").strip():
            errors.setdefault("items", []).append(
                _("%(label)s: give it a title.") % {"label": label}
            )
        offset = item.get("offset_business_days")
        if not isinstance(offset, int) or offset < 0 or offset > 1000:
            errors.setdefault("items", []).append(
                _("%(label)s: the offset is a whole number of business days from 0 to 1000.")
                % {"label": label}
            )
        for dep in item.get("depends_on") or []:
            if not isinstance(dep, int) or not 0 <= dep < index:
                errors.setdefault("items", []).append(
                    _("%(label)s: it can depend only on tasks above it.") % {"label": label}
                )
        try:
            item["estimate_hours"] = _clean_estimate(item.get("estimate_hours"))
        except ValidationError:
            errors.setdefault("items", []).append(
                _("%(label)s: the estimate is a number of hours from 0 to 10,000.")
                % {"label": label}
            )
        if item.get("role", ProjectRoleChoice.SPECIALIST) not in ProjectRoleChoice.values:
            errors.setdefault("items", []).append(_("%(label)s: choose a role.") % {"label": label})
    clash = Playbook.objects.filter(agency=agency, name=name, language=language)
    if playbook is not None:
        clash = clash.exclude(pk=playbook.pk)
    if name and clash.exists():
        errors.setdefault("name", []).append(
            _("A playbook with this name and language already exists.")
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if playbook is None:
            playbook = Playbook.objects.create(
                agency=agency,
                name=name,
                language=language,
                service=service,
                description=description,
            )
            verb = "playbook_created"
        else:
            playbook = Playbook.objects.select_for_update().get(pk=playbook.pk)
            concurrency.check(playbook, version, saved=lambda: describe_playbook(playbook=playbook))
            playbook.name, playbook.language = name, language
            playbook.service, playbook.description = service, description
            concurrency.bump(playbook)
            playbook.save()
            playbook.items.all().delete()
            verb = "playbook_changed"
        created: list[PlaybookItem] = []
        for index, item in enumerate(items):
            row = PlaybookItem.objects.create(
                agency=agency,
                playbook=playbook,
                position=index,
                title=item["title"].strip()[:300],
                description=item.get("description", ""),
                offset_business_days=item["offset_business_days"],
                estimate_hours=item.get("estimate_hours"),
                role=item.get("role") or ProjectRoleChoice.SPECIALIST,
                visibility=item.get("visibility") or Visibility.CLIENT,
            )
            deps = [created[d] for d in item.get("depends_on") or []]
            if deps:
                row.depends_on.set(deps)
            created.append(row)
        audit(agency=agency, actor=actor, verb=verb, obj=playbook, items=len(items))
    return playbook


def start_from_playbook(
    *, viewer: Viewer, project: Project, playbook: Playbook, start: date
) -> list[Task]:
    """Create the playbook's tasks on the project: business-day due dates, roles, dependencies.

    Once per project and playbook: a second start is refused with a clear message. Managers of
    the project (and the head) start playbooks.
    """
    require_manager(viewer)
    require_project(viewer, project)
    actor = viewer.user
    if playbook.agency_id != project.agency_id:
        raise ValidationError({"playbook": _("Choose one of your agency's playbooks.")})
    if not isinstance(start, date):
        raise ValidationError({"start": _("Give the start date.")})
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = PlaybookRun.objects.create(
                    agency_id=project.agency_id,
                    project=project,
                    playbook=playbook,
                    start_date=start,
                    started_by=actor,
                )
        except IntegrityError as exc:
            raise ValidationError(
                {
                    "playbook": _("This project was already started from “%(name)s”.")
                    % {"name": playbook.name}
                }
            ) from exc
        in_agency = PlaybookItem.objects.filter(agency_id=playbook.agency_id)
        items = list(
            in_agency.filter(playbook=playbook)
            .prefetch_related(Prefetch("depends_on", queryset=in_agency))
            .order_by("position", "pk")
        )
        by_item: dict[int, Task] = {}
        for item in items:
            by_item[item.pk] = create_task(
                viewer=actor,
                project=project,
                title=item.title,
                description=item.description,
                assignee=person_for_role(project=project, role=item.role),
                estimate_hours=item.estimate_hours,
                due_at=due_for_offset(
                    project=project, start=start, offset_business_days=item.offset_business_days
                ),
                visibility=item.visibility,
                blocked_by=[by_item[d.pk] for d in item.depends_on.all() if d.pk in by_item],
                source=("playbook", playbook.pk),
                dedupe_key=f"playbook:{run.pk}:item:{item.pk}",
                tell_assignee=False,
            )
        audit(
            agency=project.agency,
            actor=actor,
            verb="playbook_started",
            obj=playbook,
            project=project.pk,
            tasks=len(items),
        )
        tasks = [by_item[i.pk] for i in items]
        _tell_playbook_assignees(actor, project, playbook, run, tasks)
    return tasks


def _tell_playbook_assignees(
    actor: User | None, project: Project, playbook: Playbook, run: PlaybookRun, tasks: list[Task]
) -> None:
    """One notification per person for a whole playbook start, not one per task."""
    from django.urls import reverse

    by_person: dict[int, list[Task]] = {}
    for task in tasks:
        if task.assignee_id is not None and task.assignee != actor:
            by_person.setdefault(task.assignee_id, []).append(task)
    for mine in by_person.values():
        person = mine[0].assignee
        mine.sort(key=lambda t: (t.due_at is None, t.due_at))
        with translation.override(person.language):
            lines = [
                f"— {t.title}" + (f" ({format_due(project.agency, t.due_at)})" if t.due_at else "")
                for t in mine[:10]
            ]
            if len(mine) > 10:
                lines.append(_("…and %(count)d more") % {"count": len(mine) - 10})
            title = ngettext(
                "“%(playbook)s” started: %(count)d task for you",
                "“%(playbook)s” started: %(count)d tasks for you",
                len(mine),
            ) % {"playbook": playbook.name, "count": len(mine)}
            notify(
                user=person,
                agency=project.agency,
                kind="playbook_started",
                title=title,
                body="\n".join(lines),
                url=reverse("work:project_tasks", args=[project.pk]),
                project=project,
                action=_("Look through your tasks; the first one is due first."),
                due_at=mine[0].due_at,
                dedupe_key=f"playbook:{run.pk}:told:{person.pk}",
            )


# --------------------------------------------------------------------------- recurrence


def validate_recurrence(
    *, mode: str, rrule: str, business_day: int | None, starts_on: date | None
) -> None:
    errors: dict[str, str] = {}
    if mode == Recurrence.Mode.RRULE:
        text = (rrule or "").strip()
        if not text:
            errors["rrule"] = _("Write the rule, e.g. FREQ=WEEKLY;BYDAY=MO.")
        else:
            try:
                rrulestr(text.removeprefix("RRULE:"), dtstart=datetime(2026, 1, 1))
            except (ValueError, TypeError) as exc:
                errors["rrule"] = _("This is not a valid RRULE (RFC 5545): %(error)s") % {
                    "error": exc
                }
    elif mode == Recurrence.Mode.BUSINESS_DAY:
        if business_day is None or not (1 <= business_day <= 15):
            errors["business_day"] = _("Choose the business day of the month: 1 to 15.")
    else:
        errors["mode"] = _("Choose how the task repeats.")
    if starts_on is None:
        errors["starts_on"] = _("Give the date the repetition starts.")
    if errors:
        raise ValidationError(errors)


def save_recurrence(
    *, viewer: Viewer, project: Project, recurrence: Recurrence | None = None, **fields: Any
) -> Recurrence:
    """Staff of the project set up recurring work (RRULE or n-th business day of the month)."""
    require_staff(viewer)
    require_project(viewer, project)
    if recurrence is not None and recurrence.project_id != project.pk:
        raise PermissionDenied
    actor = viewer.user
    validate_recurrence(
        mode=fields.get("mode", ""),
        rrule=fields.get("rrule", ""),
        business_day=fields.get("business_day"),
        starts_on=fields.get("starts_on"),
    )
    if not (fields.get("title") or "").strip():
        raise ValidationError({"title": _("Give the task a title.")})
    fields["estimate_hours"] = _clean_estimate(fields.get("estimate_hours"))
    _clean_assignee(project, fields.get("assignee"))
    with transaction.atomic():
        if recurrence is None:
            recurrence = Recurrence.objects.create(
                agency_id=project.agency_id, project=project, **fields
            )
        else:
            for key, value in fields.items():
                setattr(recurrence, key, value)
            recurrence.save()
        audit(agency=project.agency, actor=actor, verb="recurrence_saved", obj=recurrence)
    return recurrence


def occurrences(*, recurrence: Recurrence, start: datetime, end: datetime) -> list[datetime]:
    """Due instants of a recurrence in [start, end), aware, in the agency's calendar."""
    calendar = recurrence.project.agency.calendar()
    tz = calendar.tz
    due_time = recurrence.due_time
    result: list[datetime] = []
    if recurrence.mode == Recurrence.Mode.BUSINESS_DAY:
        n = recurrence.business_day or 1
        local = start.astimezone(tz)
        year, month = local.year, local.month
        while True:
            try:
                day = calendar.nth_business_day(year, month, n)
            except ValueError:
                day = None  # a month with fewer business days than n: skipped
            if day is not None:
                at = (
                    datetime.combine(day, due_time, tzinfo=tz)
                    if due_time
                    else calendar.closing_of(day)
                )
                if at >= end:
                    break
                if at >= start and day >= recurrence.starts_on:
                    result.append(at)
            month += 1
            if month > 12:
                year, month = year + 1, 1
            if datetime(year, month, 1, tzinfo=tz) >= end:
                break
        return result
    dtstart = datetime.combine(recurrence.starts_on, due_time or calendar.end, tzinfo=tz)
    rule = rrulestr(
        recurrence.rrule.strip().removeprefix("RRULE:"), dtstart=dtstart.replace(tzinfo=None)
    )
    for naive in rule.between(
        start.astimezone(tz).replace(tzinfo=None), end.astimezone(tz).replace(tzinfo=None), inc=True
    ):
        at = naive.replace(tzinfo=tz)
        if start <= at < end:
            result.append(at)
    return result


def _occurrence_keys(*, recurrence: Recurrence, now: datetime) -> list[tuple[datetime, str]]:
    """(due, dedupe key) of every occurrence from now up to `lead_days` ahead (and the current
    one if it was missed)."""
    window_start = now - timedelta(days=2)
    window_end = now + timedelta(days=recurrence.lead_days + 1)
    return [
        (due, f"recurrence:{recurrence.pk}:{due.date().isoformat()}")
        for due in occurrences(recurrence=recurrence, start=window_start, end=window_end)
    ]


def generate_occurrences(
    *, recurrence: Recurrence, now: datetime, existing: set[str] | None = None
) -> int:
    """Create the tasks of every occurrence due from now up to `lead_days` ahead (and the current
    one if it was missed). Each occurrence is created once: its dedupe_key is unique.

    `existing` is the dedupe keys already taken (the periodic job reads them for a whole batch of
    recurrences in one query); without it they are read here, in one query."""
    due_keys = _occurrence_keys(recurrence=recurrence, now=now)
    if existing is None:
        existing = set(
            Task.objects.filter(
                agency_id=recurrence.agency_id, dedupe_key__in=[k for _d, k in due_keys]
            ).values_list("dedupe_key", flat=True)
        )
    created = 0
    project = recurrence.project
    for due, key in due_keys:
        if key in existing:
            continue
        _task, new = create_task_once(
            viewer=None,
            project=project,
            title=recurrence.title,
            description=recurrence.description,
            assignee=recurrence.assignee
            or person_for_role(project=project, role=recurrence.assignee_role),
            estimate_hours=recurrence.estimate_hours,
            due_at=due,
            visibility=recurrence.visibility,
            source=recurrence,
            dedupe_key=key,
        )
        created += new
    return created


RECURRENCE_BATCH = 200


def generate_all_occurrences(*, now: datetime | None = None) -> int:
    """The periodic job: every active recurrence of an active project, one agency at a time, 200
    at a time. Which occurrences already have their task is read in one query per batch, and the
    batch's new tasks are made together (`create_system_tasks`), so a run costs a constant number
    of queries per batch whether it creates nothing or hundreds of tasks."""
    now = now or timezone.now()
    total = 0
    for agency in Agency.objects.order_by("pk"):
        recurrences = list(
            Recurrence.objects.filter(
                agency=agency, active=True, project__status=Project.Status.ACTIVE
            )
            .select_related("project__agency", "assignee")
            .order_by("pk")
        )
        for start in range(0, len(recurrences), RECURRENCE_BATCH):
            total += _generate_batch(agency, recurrences[start : start + RECURRENCE_BATCH], now)
    return total


def _generate_batch(agency: Agency, batch: list[Recurrence], now: datetime) -> int:
    due = {r.pk: _occurrence_keys(recurrence=r, now=now) for r in batch}
    keys = [key for pairs in due.values() for _d, key in pairs]
    existing = set(
        Task.objects.filter(agency=agency, dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
    todo = [r for r in batch if any(key not in existing for _d, key in due[r.pk])]
    if not todo:
        return 0
    by_role: dict[str, dict[int, User]] = {}
    for role in {r.assignee_role for r in todo if r.assignee_id is None}:
        by_role[role] = people_for_role(
            agency=agency, project_ids=[r.project_id for r in todo], role=role
        )
    specs = [
        TaskSpec(
            project=r.project,
            title=r.title,
            description=r.description,
            assignee=r.assignee or by_role[r.assignee_role].get(r.project_id),
            estimate_hours=r.estimate_hours,
            due_at=due_at,
            visibility=r.visibility,
            source=r,
            dedupe_key=key,
        )
        for r in todo
        for due_at, key in due[r.pk]
        if key not in existing
    ]
    try:
        made = create_system_tasks(agency=agency, specs=specs)
    except ValidationError:
        # one of them is not valid (an assignee who left the staff): one recurrence at a time,
        # as before, so the others are made and the bad one fails as it always did
        return sum(generate_occurrences(recurrence=r, now=now, existing=existing) for r in todo)
    return sum(new for _task, new in made)


# --------------------------------------------------------------------------- rules


def ensure_default_rules(*, agency: Agency) -> list[AutomationRule]:
    """The agency's rules, created with sensible defaults the first time."""
    for kind in AutomationRule.Kind.values:
        try:
            with transaction.atomic():
                AutomationRule.objects.get_or_create(
                    agency=agency,
                    kind=kind,
                    defaults={"params": dict(AutomationRule.DEFAULT_PARAMS[kind])},
                )
        except IntegrityError:
            pass  # created concurrently
    return list(AutomationRule.objects.filter(agency=agency).order_by("kind"))


def describe_rule(*, rule: AutomationRule) -> dict[str, tuple[str, str]]:
    """The rule as stored, in the fields of its form on the rules page (the conflict panel)."""
    from kabinet.work.forms import RuleForm

    saved = {"enabled": (_("Enabled"), _("yes") if rule.enabled else _("no"))}
    for name in AutomationRule.DEFAULT_PARAMS.get(rule.kind, {}):
        saved[name] = (str(RuleForm.PARAM_LABELS.get(name, name)), str(rule.param(name)))
    return saved


def update_rule(
    *,
    viewer: Viewer,
    kind: str,
    enabled: bool,
    params: dict[str, Any],
    version: int | None = None,
) -> AutomationRule:
    """The head switches one of the agency's rules on or off and sets its thresholds (the row is
    created with the defaults the first time it is saved). `version` is the rule as the head saw
    it (a rule never saved shows the defaults as version 1): saved since by someone else,
    ``EditConflict`` (kabinet.core.concurrency) and nothing is written."""
    require_head(viewer)
    if kind not in AutomationRule.Kind.values:
        raise ValidationError({"__all__": _("Choose one of the rules.")})
    rule, _created = AutomationRule.objects.get_or_create(
        agency=viewer.agency,
        kind=kind,
        defaults={"params": dict(AutomationRule.DEFAULT_PARAMS[kind])},
    )
    actor = viewer.user
    defaults = AutomationRule.DEFAULT_PARAMS.get(rule.kind, {})
    clean: dict[str, int] = {}
    errors: dict[str, str] = {}
    for name in defaults:
        raw = params.get(name, defaults[name])
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            errors[name] = _("Give a whole number.")
            continue
        if not 1 <= value <= 1000:
            errors[name] = _("Give a number from 1 to 1000.")
            continue
        clean[name] = value
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule = AutomationRule.objects.select_for_update().get(pk=rule.pk)
        concurrency.check(rule, version, saved=lambda: describe_rule(rule=rule))
        rule.enabled = bool(enabled)
        rule.params = clean
        concurrency.bump(rule)
        rule.save()
        audit(
            agency=rule.agency,
            actor=actor,
            verb="rule_changed",
            obj=rule,
            enabled=rule.enabled,
            params=clean,
        )
    return rule


__all__ = [
    "EDITABLE_FIELDS",
    "change_task",
    "complete_task",
    "create_task",
    "create_task_once",
    "due_for_offset",
    "ensure_default_rules",
    "generate_all_occurrences",
    "generate_occurrences",
    "occurrences",
    "person_for_role",
    "save_playbook",
    "save_recurrence",
    "start_from_playbook",
    "update_rule",
    "validate_recurrence",
]
