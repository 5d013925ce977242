"""Client questions over HTTP: thin handlers over the same selectors and services as the pages.

Mounted automatically under /api/v1/ by kabinet.api.main. Anything the viewer may not see is a 404.
"""

# No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.

from datetime import datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from kabinet.api.pagination import CursorPagination
from kabinet.api.schemas import In, MessageText, NoteText, OneLine, PathId, ThreadStatusEnum
from kabinet.core.scoping import project_or_404, require_staff
from kabinet.questions import selectors, services
from kabinet.timeline import search

router = Router(tags=["questions"])


class ClockOut(Schema):
    target: str
    cycle: int
    state: str
    budget_hours: float
    elapsed_hours: float
    remaining_hours: float
    due_at: datetime | None


class ThreadOut(Schema):
    id: int
    project_id: PathId
    subject: str
    status: str
    asked_by: str | None
    assignee: str | None
    created_at: datetime
    resolved_at: datetime | None
    rating: int | None
    rating_comment: str
    sla: list[ClockOut] | None = None  # staff only


class MessageOut(Schema):
    id: int
    kind: str
    author: str | None
    body: str
    internal: bool
    created_at: datetime


class ThreadDetailOut(ThreadOut):
    messages: list[MessageOut]


class AskIn(In):
    subject: OneLine
    body: MessageText


class MessageIn(In):
    body: MessageText
    internal: bool = False  # staff only
    keep_waiting: bool = False  # staff only


class ReopenIn(In):
    body: MessageText = ""


class RateIn(In):
    rating: int = Field(..., ge=1, le=5)
    comment: NoteText = ""


class RelatedOut(Schema):
    id: int
    kind: str
    title: str
    occurred_at: datetime


def _hours(delta) -> float:
    return round(delta.total_seconds() / 3600, 2)


def thread_out(viewer, thread, result=None) -> dict:
    data = {
        "id": thread.pk,
        "project_id": thread.project_id,
        "subject": thread.subject,
        "status": thread.status,
        "asked_by": thread.asked_by.full_name if thread.asked_by else None,
        "assignee": thread.assignee.full_name if thread.assignee else None,
        "created_at": thread.created_at,
        "resolved_at": thread.resolved_at,
        "rating": thread.rating,
        "rating_comment": thread.rating_comment,
        "sla": None,
    }
    if viewer.is_staff and result is not None:
        data["sla"] = [
            {
                "target": c.target.value,
                "cycle": c.cycle,
                "state": c.state.value,
                "budget_hours": _hours(c.budget),
                "elapsed_hours": _hours(c.elapsed),
                "remaining_hours": _hours(c.remaining),
                "due_at": c.due_at,
            }
            for c in result.clocks
        ]
    return data


def _detail(viewer, thread_id: PathId) -> dict:
    thread = selectors.thread_or_404(viewer, thread_id)
    result = (
        selectors.with_sla(viewer, selectors.threads(viewer).filter(pk=thread.pk))[0].result
        if viewer.is_staff
        else None
    )
    data = thread_out(viewer, thread, result)
    data["messages"] = [
        {
            "id": m.pk,
            "kind": m.kind,
            "author": m.author.full_name if m.author else None,
            "body": m.body,
            "internal": m.internal,
            "created_at": m.created_at,
        }
        for m in selectors.messages(viewer, thread)
    ]
    return data


def _threads_out(request, page: list) -> list[dict]:
    """One page of threads; for staff with their SLA clocks (computed for this page only)."""
    viewer = request.viewer
    if not viewer.is_staff:
        return [thread_out(viewer, t) for t in page]
    rows = {
        r.thread.pk: r
        for r in selectors.with_sla(
            viewer, selectors.threads(viewer).filter(pk__in=[t.pk for t in page])
        )
    }
    return [thread_out(viewer, rows[t.pk].thread, rows[t.pk].result) for t in page]


@router.get("/projects/{project_id}/questions", response=list[ThreadOut])
@paginate(CursorPagination, ordering=("-created_at", "-pk"), out_page=_threads_out)
def list_threads(request, project_id: PathId, status: ThreadStatusEnum | None = None):
    """The project's questions, newest first; `status` narrows them."""
    qs = selectors.project_threads(request.viewer, project_id)
    return qs.filter(status=status.value) if status else qs


@router.post(
    "/projects/{project_id}/questions",
    response={201: ThreadDetailOut},
)
def ask(request, project_id: PathId, payload: AskIn):
    viewer = request.viewer
    project = project_or_404(viewer, project_id)
    thread = services.ask(
        viewer=viewer, project=project, subject=payload.subject, body=payload.body
    )
    return Status(201, _detail(viewer, thread.pk))


@router.get("/questions/{thread_id}", response=ThreadDetailOut)
def get_thread(request, thread_id: PathId):
    return _detail(request.viewer, thread_id)


@router.post(
    "/questions/{thread_id}/messages",
    response={201: ThreadDetailOut},
)
def post_message(request, thread_id: PathId, payload: MessageIn):
    viewer = request.viewer
    thread = selectors.thread_or_404(viewer, thread_id)
    if viewer.is_staff:
        services.reply(
            viewer=viewer,
            thread=thread,
            body=payload.body,
            internal=payload.internal,
            keep_waiting=payload.keep_waiting,
        )
    else:
        services.client_message(viewer=viewer, thread=thread, body=payload.body)
    return Status(201, _detail(viewer, thread.pk))


def _client_step(request, thread_id: PathId, step) -> Status:
    viewer = request.viewer
    thread = selectors.thread_or_404(viewer, thread_id)
    step(viewer, thread)  # domain errors: 404 / 400 / 409 through kabinet.core.errors
    return Status(201, _detail(viewer, thread.pk))


@router.post(
    "/questions/{thread_id}/resolve",
    response={201: ThreadDetailOut},
)
def resolve(request, thread_id: PathId):
    return _client_step(request, thread_id, lambda v, t: services.resolve(viewer=v, thread=t))


@router.post(
    "/questions/{thread_id}/reopen",
    response={201: ThreadDetailOut},
)
def reopen(request, thread_id: PathId, payload: ReopenIn):
    return _client_step(
        request, thread_id, lambda v, t: services.reopen(viewer=v, thread=t, body=payload.body)
    )


@router.post("/questions/{thread_id}/rate", response={201: ThreadDetailOut})
def rate(request, thread_id: PathId, payload: RateIn):
    return _client_step(
        request,
        thread_id,
        lambda v, t: services.rate(
            viewer=v, thread=t, rating=payload.rating, comment=payload.comment
        ),
    )


@router.get("/questions/{thread_id}/related", response=list[RelatedOut])
def related(request, thread_id: PathId, q: str = ""):
    viewer = request.viewer
    thread = selectors.thread_or_404(viewer, thread_id)
    require_staff(viewer)
    text = q[:2000] or thread.subject + " " + " ".join(
        m.body for m in selectors.messages(viewer, thread) if m.from_client
    )
    items = search.related(
        viewer, thread.project, text, 5, exclude_ids=selectors.related_exclusions(thread)
    )
    return [
        {"id": e.pk, "kind": e.kind, "title": e.shown_title, "occurred_at": e.occurred_at}
        for e in items
    ]
