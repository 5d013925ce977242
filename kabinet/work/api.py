"""Tasks over HTTP: list (filters: project, state, assignee, due period), create, update, done, and
dependencies. A client reads the client-visible tasks of her projects; every write is the agency's
and goes through work.services with the acting viewer, as on the pages.

Mounted automatically under /api/v1/ by kabinet.api.main.
"""

# No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from kabinet.api.pagination import CursorPagination
from kabinet.api.schemas import (
    TEXT_MAX,
    BodyId,
    Day,
    In,
    PathId,
    QueryId,
    TaskStatusEnum,
    Version,
    VisibilityEnum,
    When,
)
from kabinet.core.concurrency import etag, expected_version
from kabinet.core.scoping import project_or_404, require_staff
from kabinet.work import selectors, services
from kabinet.work.models import Task

router = Router(tags=["tasks"])

TaskStatus = TaskStatusEnum


class TaskOut(Schema):
    id: int
    project_id: PathId
    title: str
    description: str
    status: TaskStatus
    visibility: VisibilityEnum
    assignee_id: int | None
    assignee: str | None
    estimate_hours: Decimal | None
    due_at: datetime | None
    completed_at: datetime | None
    created_at: datetime
    blocked_by: list[int] = Field(description="ids of the tasks this one waits for (you may see)")
    version: int = Field(description="send it back with a change (or If-Match: its ETag)")


class TaskIn(In):
    title: str = Field(..., min_length=1, max_length=300)
    description: str = Field("", max_length=TEXT_MAX)
    assignee_id: BodyId | None = None
    estimate_hours: Decimal | None = Field(None, ge=0, le=10000, max_digits=7, decimal_places=2)
    due_at: When | None = None
    visibility: VisibilityEnum = VisibilityEnum("internal")
    status: TaskStatus = TaskStatus("todo")
    blocked_by: list[BodyId] = Field(default_factory=list, max_length=100)


class TaskPatch(In):
    """Only the fields sent change; moving `due_at` needs a `reason` (kept on the record)."""

    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=TEXT_MAX)
    assignee_id: BodyId | None = None
    estimate_hours: Decimal | None = Field(None, ge=0, le=10000, max_digits=7, decimal_places=2)
    due_at: When | None = None
    visibility: VisibilityEnum | None = None
    status: TaskStatus | None = None
    reason: str = Field("", max_length=2000)
    version: Version | None = None


class DependenciesIn(In):
    blocked_by: list[BodyId] = Field(..., max_length=100, description="the whole new list")


def _task_dict(t, blocked_by: list[int]) -> dict:
    return {
        "id": t.pk,
        "project_id": t.project_id,
        "title": t.title,
        "description": t.description,
        "status": t.status,
        "visibility": t.visibility,
        "assignee_id": t.assignee_id,
        "assignee": t.assignee.full_name if t.assignee else None,
        "estimate_hours": t.estimate_hours,
        "due_at": t.due_at,
        "completed_at": t.completed_at,
        "created_at": t.created_at,
        "blocked_by": sorted(blocked_by),
        "version": t.version,
    }


def _tasks_out(request, page: list) -> list[dict]:
    """A page of tasks with their blockers (only those the viewer may see) in one query."""
    viewer = request.viewer
    through = Task.blocked_by.through.objects.filter(
        from_task_id__in=[t.pk for t in page], to_task__in=selectors.tasks(viewer)
    )
    blockers: dict[int, list[int]] = {}
    for from_id, to_id in through.values_list("from_task_id", "to_task_id"):
        blockers.setdefault(from_id, []).append(to_id)
    return [_task_dict(t, blockers.get(t.pk, [])) for t in page]


def task_out(request, task_id: PathId) -> dict:
    return _tasks_out(request, [selectors.task_or_404(request.viewer, task_id)])[0]


def _assignee(viewer, pk: int | None):
    if pk is None:
        return None
    person = selectors.colleagues(viewer).filter(pk=pk).first()
    if person is None:
        raise ValidationError({"assignee_id": _("Tasks can be assigned only to agency staff.")})
    return person


def _blockers(viewer, ids: list[int]) -> list[Task]:
    found = list(selectors.tasks(viewer).filter(pk__in=set(ids)))
    if len(found) != len(set(ids)):
        raise ValidationError({"blocked_by": _("A task can wait only for tasks you can see.")})
    return found


@router.get("/tasks", response=list[TaskOut])
@paginate(CursorPagination, ordering=("pk",), out_page=_tasks_out)
def list_tasks(
    request,
    project: QueryId = None,
    status: TaskStatus | None = None,
    assignee: QueryId = None,
    due_from: Day | None = None,
    due_to: Day | None = None,
):
    """Tasks you may see, oldest first; filters: project, status, assignee (a user id), due period."""
    viewer = request.viewer
    qs = selectors.tasks(viewer)
    if project is not None:
        qs = qs.filter(project=project_or_404(viewer, project))
    if status:
        qs = qs.filter(status=status.value)
    if assignee is not None:
        qs = qs.filter(assignee_id=assignee)
    if due_from:
        qs = qs.filter(due_at__date__gte=due_from)
    if due_to:
        qs = qs.filter(due_at__date__lte=due_to)
    return qs


@router.get("/tasks/{task_id}", response=TaskOut)
def get_task(request, task_id: PathId, response: HttpResponse):
    """The task; its ETag is its version, for `If-Match` on a change."""
    out = task_out(request, task_id)
    response["ETag"] = etag(out["version"])
    return out


@router.post("/projects/{project_id}/tasks", response={201: TaskOut})
def create_task(request, project_id: PathId, payload: TaskIn):
    viewer = request.viewer
    require_staff(viewer)
    project = project_or_404(viewer, project_id)
    task = services.create_task(
        viewer=viewer,
        project=project,
        title=payload.title,
        description=payload.description,
        assignee=_assignee(viewer, payload.assignee_id),
        estimate_hours=payload.estimate_hours,
        due_at=payload.due_at,
        visibility=payload.visibility.value,
        status=payload.status.value,
        blocked_by=_blockers(viewer, payload.blocked_by),
    )
    return Status(201, task_out(request, task.pk))


@router.patch("/tasks/{task_id}", response=TaskOut)
def update_task(request, task_id: PathId, payload: TaskPatch, response: HttpResponse):
    """Change the fields sent; each tracked change is recorded with who and why.

    Send the `version` you read (or `If-Match` with the ETag): if the task changed since, nothing
    is changed and the answer is 409 (412 for If-Match) with the current version and values."""
    viewer = request.viewer
    task = selectors.staff_task_or_404(viewer, task_id)
    sent = payload.model_dump(exclude_unset=True)
    reason = sent.pop("reason", "")
    version = expected_version(request, sent.pop("version", None))
    changes = {k: v for k, v in sent.items() if k != "assignee_id"}
    if "assignee_id" in sent:
        changes["assignee"] = _assignee(viewer, sent["assignee_id"])
    for name in ("visibility", "status"):
        if changes.get(name) is not None:
            changes[name] = changes[name].value
    for name in ("title", "status", "visibility"):
        if name in changes and changes[name] is None:
            raise ValidationError({name: _("This field cannot be empty.")})
    services.change_task(viewer=viewer, task=task, reason=reason, version=version, **changes)
    out = task_out(request, task.pk)
    response["ETag"] = etag(out["version"])
    return out


@router.post("/tasks/{task_id}/done", response=TaskOut)
def complete_task(request, task_id: PathId):
    """Done (doing it twice changes nothing); a client-visible task shows in the chronology."""
    viewer = request.viewer
    task = selectors.staff_task_or_404(viewer, task_id)
    services.complete_task(viewer=viewer, task=task)
    return task_out(request, task.pk)


@router.put("/tasks/{task_id}/dependencies", response=TaskOut)
def set_dependencies(request, task_id: PathId, payload: DependenciesIn):
    """Replace what the task waits for; a loop is refused naming `blocked_by`."""
    viewer = request.viewer
    task = selectors.staff_task_or_404(viewer, task_id)
    services.change_task(viewer=viewer, task=task, blocked_by=_blockers(viewer, payload.blocked_by))
    return task_out(request, task.pk)
