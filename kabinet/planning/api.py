"""Planning over HTTP: a person's queue in computed order, the work at risk, and the deadline
proposals a manager accepts or rejects. Staff only (a client gets 404 everywhere here).

Mounted automatically under /api/v1/ by kabinet.api.main; thin handlers over planning.selectors
and planning.services. The plan is never computed inside a request: these read the last plan.
"""

# No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.

from datetime import datetime

from django.http import HttpResponse
from ninja import Field, Router, Schema

from kabinet.api.schemas import TEXT_MAX, In, PathId, When
from kabinet.core.concurrency import etag, expected_version
from kabinet.planning import selectors, services

router = Router(tags=["planning"])


class ForecastOut(Schema):
    task_id: PathId
    task: str
    project_id: PathId
    person_id: PathId | None
    rank: int | None
    weight: float
    predicted_start: datetime | None
    predicted_finish: datetime | None
    due_at: datetime | None
    late_hours: float
    slack_hours: float | None
    why: str


class QueueOut(Schema):
    person_id: PathId
    person: str
    planned: list[ForecastOut]
    unscheduled: list[ForecastOut]
    not_planned: list[int] = Field(description="open tasks changed since the last plan (ids)")
    planned_at: datetime | None
    newer_plan_coming: bool


class DeadlineProposalOut(Schema):
    id: int
    task_id: PathId
    task: str
    project_id: PathId
    status: str
    old_due: datetime
    new_due: datetime
    lateness_hours: float
    message: str
    reason: str
    client_reason: str
    created_at: datetime
    decided_at: datetime | None
    decision_note: str
    task_version: int = Field(
        description="the task's version: send it (or If-Match) to accept; 409 if it changed"
    )


class AtRiskOut(Schema):
    late: list[ForecastOut]
    at_risk: list[ForecastOut]
    unassigned: list[ForecastOut]
    total_weighted_lateness: float
    proposals: list[DeadlineProposalOut]
    planned_at: datetime | None
    newer_plan_coming: bool


class AcceptIn(In):
    message: str = Field("", max_length=TEXT_MAX, description="to the client; empty: as drafted")
    reason: str = Field(..., max_length=2000, description="kept on the task's record (internal)")
    client_reason: str | None = Field(None, max_length=500)
    new_due: When | None = Field(None, description="the date as edited; default: proposed")
    seen_new_due: When | None = Field(
        None, description="the proposed date you read; 409 if the plan moved it since"
    )
    version: int | None = Field(
        None,
        ge=0,
        le=2**31 - 1,
        description="the task's version you read (task_version); 409 if the task changed since",
    )


class RejectIn(In):
    note: str = Field(..., max_length=2000, description="why the deadline stays")


def forecast_out(f) -> dict:
    return {
        "task_id": f.task_id,
        "task": f.task.title,
        "project_id": f.task.project_id,
        "person_id": f.person_id,
        "rank": f.rank,
        "weight": f.weight,
        "predicted_start": f.predicted_start,
        "predicted_finish": f.predicted_finish,
        "due_at": f.task.due_at,
        "late_hours": f.late_hours,
        "slack_hours": f.slack_hours,
        "why": f.one_line,
    }


def proposal_out(p) -> dict:
    return {
        "id": p.pk,
        "task_id": p.task_id,
        "task": p.task.title,
        "project_id": p.task.project_id,
        "status": p.status,
        "old_due": p.old_due,
        "new_due": p.new_due,
        "lateness_hours": p.lateness_hours,
        "message": p.message,
        "reason": p.reason,
        "client_reason": p.client_reason,
        "created_at": p.created_at,
        "decided_at": p.decided_at,
        "decision_note": p.decision_note,
        "task_version": p.task.version,
    }


def _queue(viewer, person) -> dict:
    q = selectors.queue(viewer, person)
    return {
        "person_id": person.pk,
        "person": person.full_name,
        "planned": [forecast_out(f) for f in q.planned],
        "unscheduled": [forecast_out(f) for f in q.unscheduled],
        "not_planned": [t.pk for t in q.not_planned],
        "planned_at": q.run.finished_at if q.run else None,
        "newer_plan_coming": q.coming,
    }


@router.get("/planning/queue", response=QueueOut)
def my_queue(request):
    """The viewer's own open tasks in the computed order, each with the reason for its place."""
    viewer = request.viewer
    return _queue(viewer, selectors.person_or_404(viewer, None))


@router.get("/planning/queue/{person_id}", response=QueueOut)
def person_queue(request, person_id: PathId):
    """Someone's queue: a manager's team, the head anyone; a specialist only their own."""
    viewer = request.viewer
    return _queue(viewer, selectors.person_or_404(viewer, person_id))


@router.get("/planning/at-risk", response=AtRiskOut)
def at_risk(request):
    """Late and at-risk tasks of the manager's projects, and the pending deadline proposals."""
    r = selectors.at_risk(request.viewer)
    return {
        "late": [forecast_out(f) for f in r.late],
        "at_risk": [forecast_out(f) for f in r.at_risk],
        "unassigned": [forecast_out(f) for f in r.unassigned],
        "total_weighted_lateness": r.total_weighted_lateness,
        "proposals": [proposal_out(p) for p in r.proposals],
        "planned_at": r.run.finished_at if r.run else None,
        "newer_plan_coming": r.coming,
    }


@router.get("/planning/proposals/{proposal_id}", response=DeadlineProposalOut)
def get_proposal(request, proposal_id: PathId, response: HttpResponse):
    """The proposal; its ETag is its task's version, for `If-Match` on the accept."""
    out = proposal_out(selectors.proposal_or_404(request.viewer, proposal_id))
    response["ETag"] = etag(out["task_version"])
    return out


@router.post("/planning/proposals/{proposal_id}/accept", response=DeadlineProposalOut)
def accept(request, proposal_id: PathId, payload: AcceptIn):
    """Move the deadline and tell the client (as the page does).

    Send the task's `version` you read (`task_version`, or `If-Match` with the proposal's ETag):
    if the task changed since (another person moved its deadline, say), nothing moves and the
    answer is 409 (412 for If-Match) with the current version and the task as stored. A proposal
    whose task's deadline moved since it was made is out of date until the next replan: 409 with
    the deadline saved now, whatever the version sent."""
    viewer = request.viewer
    proposal = selectors.proposal_or_404(viewer, proposal_id)
    done = services.accept_proposal(
        viewer=viewer,
        proposal=proposal,
        message=payload.message or proposal.message,
        reason=payload.reason,
        client_reason=payload.client_reason,
        new_due=payload.new_due,
        seen_new_due=payload.seen_new_due,
        version=expected_version(request, payload.version),
    )
    return proposal_out(selectors.proposal_or_404(viewer, done.pk))


@router.post("/planning/proposals/{proposal_id}/reject", response=DeadlineProposalOut)
def reject(request, proposal_id: PathId, payload: RejectIn):
    """Keep the deadline; the note says why."""
    viewer = request.viewer
    proposal = selectors.proposal_or_404(viewer, proposal_id)
    done = services.reject_proposal(viewer=viewer, proposal=proposal, note=payload.note)
    return proposal_out(selectors.proposal_or_404(viewer, done.pk))
