"""Projects, teams and the chronology over HTTP: thin handlers over the same services and selectors.

Errors: the services raise domain errors; `kabinet.core.errors.install` answers them (404 not
visible or not allowed, 400 invalid, 409 conflict), as it does for every router.
"""

# No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.

from django.urls import reverse
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from kabinet.api.pagination import CursorPagination
from kabinet.api.schemas import (
    Day,
    DecisionIn,
    EventIn,
    EventOut,
    KindEnum,
    MemberOut,
    PathId,
    ProjectDetailOut,
    ProjectOut,
    ProjectStatusEnum,
)
from kabinet.clients import selectors as clients
from kabinet.core.markdown import render
from kabinet.core.scoping import project_or_404
from kabinet.timeline import selectors as timeline
from kabinet.timeline import services as timeline_services
from kabinet.timeline.models import DOCUMENT_KINDS
from kabinet.timeline.selectors import ChronologyFilter

router = Router(tags=["projects"])


def project_out(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "company": p.company.name,
        "service": p.service,
        "status": p.status,
        "start_date": p.start_date,
        "last_client_update_at": p.last_client_update_at,
    }


def member_out(m) -> dict:
    return {
        "user_id": m.user_id,
        "name": m.user.full_name,
        "role": m.role,
        "responsibility": m.responsibility,
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
@paginate(CursorPagination, ordering=("pk",), out=project_out)
def list_projects(request, status: ProjectStatusEnum | None = None):
    qs = clients.project_list(request.viewer)
    return qs.filter(status=status.value) if status else qs


@router.get("/projects/{project_id}", response=ProjectDetailOut)
def get_project(request, project_id: PathId):
    p = clients.project_detail(request.viewer, project_id)
    data = project_out(p)
    data["team"] = [member_out(m) for m in p.members.all()]
    data["monthly_budget"] = p.monthly_budget if request.viewer.is_staff else None
    return data


@router.get("/projects/{project_id}/team", response=list[MemberOut], tags=["teams"])
def project_team(request, project_id: PathId):
    """The people working on the project and what each is responsible for."""
    return [member_out(m) for m in clients.project_detail(request.viewer, project_id).members.all()]


def _chronology(request, project_id: PathId, flt: ChronologyFilter):
    project = project_or_404(request.viewer, project_id)
    return timeline.chronology(request.viewer, project.pk, flt)


@router.get("/projects/{project_id}/events", response=list[EventOut], tags=["chronology"])
@paginate(CursorPagination, ordering=("-occurred_at", "-pk"), out=event_out)
def list_events(
    request,
    project_id: PathId,
    kind: list[KindEnum] = Query(None),  # noqa: B008 (django-ninja's way to declare a query list)
    start: Day | None = None,
    end: Day | None = None,
    q: str = Query("", max_length=500),  # noqa: B008
):
    """The chronology, newest first; `kind` may repeat; `start`/`end` bound the date."""
    kinds = tuple(k.value for k in kind or ())
    return _chronology(
        request, project_id, ChronologyFilter(kinds=kinds, start=start, end=end, q=q)
    )


@router.get("/projects/{project_id}/documents", response=list[EventOut], tags=["chronology"])
@paginate(CursorPagination, ordering=("-occurred_at", "-pk"), out=event_out)
def list_documents(request, project_id: PathId, start: Day | None = None, end: Day | None = None):
    """Reports, plans and recommendations, newest first."""
    flt = ChronologyFilter(kinds=tuple(DOCUMENT_KINDS), start=start, end=end)
    return _chronology(request, project_id, flt)


@router.get("/events/{event_id}", response=EventOut, tags=["chronology"])
def get_event(request, event_id: PathId):
    return event_out(timeline.event_detail(request.viewer, event_id))


@router.post("/projects/{project_id}/events", response={201: EventOut}, tags=["chronology"])
def publish_event(request, project_id: PathId, payload: EventIn):
    """Staff publish a report, plan, recommendation, work done, meeting notes or a message."""
    project = project_or_404(request.viewer, project_id)
    data = payload.dict()
    data["kind"] = payload.kind.value
    data["visibility"] = payload.visibility.value
    draft = timeline_services.EventDraft(**data)
    event = timeline_services.publish(viewer=request.viewer, project=project, draft=draft)
    return Status(201, event_out(timeline.event_detail(request.viewer, event.pk)))


@router.post("/events/{event_id}/decision", response={201: EventOut}, tags=["chronology"])
def decide(request, event_id: PathId, payload: DecisionIn):
    """The client approves, declines or comments on a recommendation."""
    event = timeline.event_or_404(request.viewer, event_id)
    decision = timeline_services.decide(
        viewer=request.viewer,
        recommendation=event,
        decision=payload.decision,
        comment=payload.comment,
    )
    return Status(201, event_out(timeline.event_detail(request.viewer, decision.pk)))
