"""Projects and the chronology over HTTP: thin handlers over the same services and selectors."""

# No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.

from datetime import date

from django.urls import reverse
from ninja import Query, Router
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from kabinet.api.schemas import DecisionIn, EventIn, EventOut, ProjectDetailOut, ProjectOut
from kabinet.clients import selectors as clients
from kabinet.core.markdown import render
from kabinet.core.scoping import project_or_404, staff_project_or_404
from kabinet.timeline import selectors as timeline
from kabinet.timeline import services as timeline_services
from kabinet.timeline.selectors import ChronologyFilter

router = Router(tags=["projects"])


def project_out(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "company": p.company.name,
        "service": p.service,
        "start_date": p.start_date,
        "last_client_update_at": p.last_client_update_at,
    }


def event_out(e) -> dict:
    return {
        "id": e.pk,
        "project_id": e.project_id,
        "kind": e.kind,
        "title": e.shown_title,
        "body": e.body,
        "html": str(render(e.body)),
        "author": e.author.full_name if e.author else None,
        "occurred_at": e.occurred_at,
        "visibility": e.visibility,
        "period_start": e.period_start,
        "period_end": e.period_end,
        "decision": e.decision,
        "attachments": [
            {"id": a.pk, "name": a.name, "size": a.size, "url": reverse("attachment", args=[a.pk])}
            for a in e.attachments.all()
        ],
    }


@router.get("/projects", response=list[ProjectOut])
def list_projects(request):
    return [project_out(p) for p in clients.project_list(request.viewer)]


@router.get("/projects/{project_id}", response=ProjectDetailOut)
def get_project(request, project_id: int):
    p = clients.project_detail(request.viewer, project_id)
    data = project_out(p)
    data["team"] = [
        {"name": m.user.full_name, "role": m.role, "responsibility": m.responsibility}
        for m in p.members.all()
    ]
    data["monthly_budget"] = p.monthly_budget if request.viewer.is_staff else None
    return data


@router.get("/projects/{project_id}/events", response=list[EventOut])
@paginate(LimitOffsetPagination)
def list_events(
    request,
    project_id: int,
    kind: list[str] = Query(None),  # noqa: B008 (django-ninja's way to declare a query list)
    start: date | None = None,
    end: date | None = None,
    q: str = "",
):
    project = project_or_404(request.viewer, project_id)
    flt = ChronologyFilter(kinds=tuple(kind or ()), start=start, end=end, q=q)
    return [event_out(e) for e in timeline.chronology(request.viewer, project.pk, flt)]


@router.get("/events/{event_id}", response=EventOut)
def get_event(request, event_id: int):
    return event_out(timeline.event_or_404(request.viewer, event_id))


# Errors: the services raise domain errors; `kabinet.core.errors.install` answers them
# (404 not visible or not allowed, 400 invalid, 409 conflict), as it does for every router.


@router.post("/projects/{project_id}/events", response={201: EventOut, 400: dict, 404: dict})
def publish_event(request, project_id: int, payload: EventIn):
    project = staff_project_or_404(request.viewer, project_id)
    draft = timeline_services.EventDraft(**payload.dict())
    event = timeline_services.publish(viewer=request.viewer, project=project, draft=draft)
    return Status(201, event_out(timeline.event_or_404(request.viewer, event.pk)))


@router.post("/events/{event_id}/decision", response={201: EventOut, 400: dict, 404: dict})
def decide(request, event_id: int, payload: DecisionIn):
    event = timeline.event_or_404(request.viewer, event_id)
    decision = timeline_services.decide(
        viewer=request.viewer,
        recommendation=event,
        decision=payload.decision,
        comment=payload.comment,
    )
    return Status(201, event_out(timeline.event_or_404(request.viewer, decision.pk)))
