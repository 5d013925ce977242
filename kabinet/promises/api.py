"""Promises over HTTP: list a project's promises, confirm a detected one, keep one with evidence,
renegotiate one. Reading is for everyone on the project (promises are made to the client); every
write is the agency's and goes through promises.services, as on the pages.

Mounted automatically under /api/v1/ by kabinet.api.main.
"""

# No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.

from datetime import datetime

from django.http import HttpResponse
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from kabinet.api.pagination import CursorPagination
from kabinet.api.schemas import TEXT_MAX, BodyId, In, PathId, PromiseStateEnum, Version, When
from kabinet.core.concurrency import etag, expected_version
from kabinet.core.scoping import project_or_404, require_staff
from kabinet.promises import selectors, services
from kabinet.timeline import selectors as timeline

router = Router(tags=["promises"])


class PromiseOut(Schema):
    id: int
    project_id: PathId
    what: str
    quote: str
    condition: str
    promised_by: str | None
    due_at: datetime
    original_due_at: datetime
    state: PromiseStateEnum
    kept_at: datetime | None
    evidence_event_id: int | None
    broken_at: datetime | None
    task_id: PathId | None = None  # staff only
    kept_note: str | None = None  # staff only
    version: int = Field(description="send it back with a renegotiation (or If-Match: its ETag)")


class PromiseProposalOut(Schema):
    id: int
    project_id: PathId
    source_event_id: int
    quote: str
    due_at: datetime | None
    kind: str
    status: str
    condition: str


class ConfirmIn(In):
    what: str | None = Field(None, max_length=300, description="default: from the words found")
    due_at: When | None = Field(None, description="default: the date found")
    create_task: bool = Field(True, description="also create a preparation task")


class KeepIn(In):
    evidence_event_id: BodyId | None = Field(
        None, description="a client-visible item published since the promise was made"
    )
    message: str = Field("", max_length=TEXT_MAX, description="or: what is delivered, written now")
    note: str = Field("", max_length=300, description="internal remark, never shown to the client")


class RenegotiateIn(In):
    new_due: When | None
    reason: str = Field(..., max_length=2000, description="internal")
    message: str = Field(..., max_length=TEXT_MAX, description="to the client, in the chronology")
    version: Version | None = None


def promise_out(viewer, p) -> dict:
    return {
        "id": p.pk,
        "project_id": p.project_id,
        "what": p.what,
        "quote": p.quote,
        "condition": p.condition,
        "promised_by": p.promised_by.full_name if p.promised_by else None,
        "due_at": p.due_at,
        "original_due_at": p.original_due_at,
        "state": p.state,
        "kept_at": p.kept_at,
        "evidence_event_id": p.evidence_event_id,
        "broken_at": p.broken_at,
        "task_id": p.task_id if viewer.is_staff else None,
        "kept_note": p.kept_note if viewer.is_staff else None,
        "version": p.version,
    }


def proposal_out(p) -> dict:
    return {
        "id": p.pk,
        "project_id": p.project_id,
        "source_event_id": p.source_event_id,
        "quote": p.quote,
        "due_at": p.due_at,
        "kind": p.kind,
        "status": p.status,
        "condition": p.condition,
    }


def _promises_out(request, page: list) -> list[dict]:
    return [promise_out(request.viewer, p) for p in page]


@router.get("/projects/{project_id}/promises", response=list[PromiseOut])
@paginate(CursorPagination, ordering=("due_at", "pk"), out_page=_promises_out)
def list_promises(request, project_id: PathId, state: PromiseStateEnum | None = None):
    """The project's promises by due time; `state` narrows them (open, kept, broken, renegotiated)."""
    project = project_or_404(request.viewer, project_id)
    qs = selectors.project_promises(request.viewer, project.pk)
    return qs.filter(state=state.value) if state else qs


@router.get("/promises/{promise_id}", response=PromiseOut)
def get_promise(request, promise_id: PathId, response: HttpResponse):
    """The promise; its ETag is its version, for `If-Match` on a renegotiation."""
    promise = selectors.promise_or_404(request.viewer, promise_id)
    response["ETag"] = etag(promise.version)
    return promise_out(request.viewer, promise)


@router.get("/projects/{project_id}/promise-proposals", response=list[PromiseProposalOut])
def list_proposals(request, project_id: PathId):
    """Promises found in the agency's writing, waiting for confirmation (staff; clients 404)."""
    require_staff(request.viewer)
    project = project_or_404(request.viewer, project_id)
    return [proposal_out(p) for p in selectors.proposals_panel(request.viewer, project.pk)]


@router.post("/promise-proposals/{proposal_id}/confirm", response={201: PromiseOut})
def confirm(request, proposal_id: PathId, payload: ConfirmIn):
    """The detected promise becomes a promise (with a preparation task unless told not to)."""
    viewer = request.viewer
    proposal = selectors.proposal_or_404(viewer, proposal_id)
    kwargs = {"create_task": payload.create_task}
    if payload.what is not None:
        kwargs["what"] = payload.what
    if payload.due_at is not None:
        kwargs["due_at"] = payload.due_at
    promise = services.confirm_proposal(viewer=viewer, proposal=proposal, **kwargs)
    return Status(201, promise_out(viewer, selectors.promise_or_404(viewer, promise.pk)))


@router.post("/promises/{promise_id}/keep", response=PromiseOut)
def keep(request, promise_id: PathId, payload: KeepIn):
    """Kept: with what delivered it (an item the client already has, or a message written now)."""
    viewer = request.viewer
    promise = selectors.staff_promise_or_404(viewer, promise_id)
    evidence = (
        timeline.event_or_404(viewer, payload.evidence_event_id)
        if payload.evidence_event_id is not None
        else None
    )
    services.keep(
        viewer=viewer,
        promise=promise,
        evidence=evidence,
        message=payload.message,
        note=payload.note,
    )
    return promise_out(viewer, selectors.promise_or_404(viewer, promise.pk))


@router.post("/promises/{promise_id}/renegotiate", response=PromiseOut)
def renegotiate(request, promise_id: PathId, payload: RenegotiateIn):
    """Move the promise openly: the client reads the message in the chronology.

    Send the `version` you read (or `If-Match`): if someone moved it since, the client is not told
    twice — the answer is 409 (412 for If-Match) with the date already given."""
    viewer = request.viewer
    promise = selectors.staff_promise_or_404(viewer, promise_id)
    services.renegotiate(
        viewer=viewer,
        promise=promise,
        new_due=payload.new_due,
        reason=payload.reason,
        message=payload.message,
        version=expected_version(request, payload.version),
    )
    return promise_out(viewer, selectors.promise_or_404(viewer, promise.pk))
