"""The includes other pages embed need only what their comment says: project/task, what the
promises selectors read for them (the templates themselves never query), viewer, request."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from kabinet.promises import selectors, services
from kabinet.promises.tests.conftest import msk


def _request(user):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return request


def test_the_proposals_panel_lists_the_writers_pending_proposals(
    wednesday, write, project, sergey, as_viewer
):
    write(project, sergey, "Пришлю обновлённый план завтра до обеда.")

    viewer = as_viewer(sergey)
    context = {
        "project": project,
        "viewer": viewer,
        "promise_proposals": selectors.proposals_panel(viewer, project.pk),
    }
    with translation.override("ru"):
        html = render_to_string("promises/_proposals_panel.html", context, request=_request(sergey))

    assert "Kabinet нашёл обещание" in html and "03.12 13:00" in html
    assert 'name="next" value="/somewhere/"' in html


def test_the_proposals_panel_is_empty_for_the_client(
    wednesday, write, project, sergey, marina, as_viewer
):
    write(project, sergey, "Пришлю обновлённый план завтра до обеда.")

    viewer = as_viewer(marina)
    context = {
        "project": project,
        "viewer": viewer,
        "promise_proposals": selectors.proposals_panel(viewer, project.pk),
    }
    html = render_to_string("promises/_proposals_panel.html", context, request=_request(marina))

    assert html.strip() == ""


def test_the_task_panel_offers_done_and_keeps_nothing_by_itself(
    wednesday, project, sergey, as_viewer
):
    promise = services.create_promise(
        viewer=as_viewer(sergey),
        project=project,
        what="Обновлённый план",
        due_at=msk(2026, 12, 3, 13, 0),
        create_task=True,
    )

    viewer = as_viewer(sergey)
    context = {
        "task": promise.task,
        "viewer": viewer,
        "task_promises": selectors.task_promises(viewer, promise.task),
    }
    with translation.override("ru"):
        html = render_to_string("promises/_task_promises.html", context, request=_request(sergey))

    assert 'name="keep"' not in html
    assert 'data-testid="task-done"' in html and "Обновлённый план" in html
