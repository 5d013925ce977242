"""The project page, composed from the apps' selectors (one place; views of any app reuse it).

Every panel of the page is read here, before rendering: the chronology (filtered, paginated),
the documents, the recommendations awaiting a decision, the open questions, the promises to
confirm, and the composer for staff. Views never
import another app's views, and templates never query: they get what this module read.
"""

from __future__ import annotations

from django.http import HttpRequest

from kabinet.promises import selectors as promises
from kabinet.questions import selectors as questions
from kabinet.timeline import selectors as timeline
from kabinet.timeline.forms import ChronologyFilterForm, ComposerForm
from kabinet.timeline.selectors import ChronologyFilter

PAGE_SIZE = 20


def chronology_context(request: HttpRequest, project_id: int) -> dict:
    form = ChronologyFilterForm(request.GET or None)
    flt = ChronologyFilter()
    if form.is_valid():
        flt = ChronologyFilter(
            kinds=tuple(form.cleaned_data["kind"]),
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            q=form.cleaned_data["q"],
        )
    page = timeline.chronology_page(
        request.viewer, project_id, flt, timeline.page_number(request.GET.get("page")), PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("page", None)
    active = (
        flt.kinds or flt.start or flt.end or flt.q
    )  # a filter in use keeps the fold open on a phone
    return {
        "filter_form": form,
        "page": page,
        "query": query.urlencode(),
        "filters_active": bool(active),
    }


def project_page_context(request: HttpRequest, project, **extra) -> dict:
    """Everything the project page shows; the composer's failed publish renders it again."""
    viewer = request.viewer
    context = {
        "project": project,
        **chronology_context(request, project.pk),
        "documents": timeline.documents(viewer, project.pk)[:10],
        "awaiting_decision": timeline.awaiting_decision(viewer, project.pk),
        "open_questions": questions.open_on_project(viewer, project.pk),
        "promise_proposals": promises.proposals_panel(viewer, project.pk),
    }
    if viewer.is_staff:
        from kabinet.core import drafts

        saved = drafts.restore(viewer=viewer, kind="composer", pk=project.pk)
        context["composer"] = ComposerForm(initial=saved)
        context["draft_restored"] = bool(saved) and "composer" not in extra
    context.update(extra)
    if "composer" in context:
        from kabinet.core import drafts

        context["draft_status"] = drafts.autosave(
            context["composer"], kind="composer", pk=project.pk
        )
    return context
