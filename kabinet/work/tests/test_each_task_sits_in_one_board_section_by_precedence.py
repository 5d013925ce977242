"""The control board puts each open task in one section, in order of precedence — waiting for the
client, overdue, blocked (by an open task), due soon — and counts each section; closed tasks,
tasks far off, and another agency's tasks are not on it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from kabinet.core.scoping import viewer_for
from kabinet.core.testing import make_company, make_project
from kabinet.work import selectors
from kabinet.work.models import Task

Status = Task.Status


def _task(project, title, *, due_days=None, status=Status.TODO, blocked_by=()):
    due = None if due_days is None else timezone.now() + timedelta(days=due_days)
    task = Task.objects.create(
        agency=project.agency,
        project=project,
        title=title,
        estimate_hours=1,
        due_at=due,
        status=status,
    )
    task.blocked_by.set(blocked_by)
    return task


def _sections(viewer):
    return {
        s.key: ([t.title for t in s.tasks], s.count, {t.title: t.is_blocked for t in s.tasks})
        for s in selectors.board(viewer)
    }


def test_each_task_is_in_its_first_section_only_and_counted_there(
    sergey, head, project, stranger_agency, stranger
):
    open_blocker = _task(project, "open blocker", due_days=30)
    done_blocker = _task(project, "done blocker", due_days=30, status=Status.DONE)
    _task(project, "waiting and overdue", due_days=-2, status=Status.WAITING_CLIENT)
    _task(project, "overdue and blocked", due_days=-1, blocked_by=[open_blocker])
    _task(project, "blocked, due soon", due_days=1, blocked_by=[open_blocker])
    _task(project, "blocked, no date", blocked_by=[open_blocker])
    _task(project, "blocker done, due soon", due_days=2, blocked_by=[done_blocker])
    _task(project, "far off", due_days=20)
    _task(project, "closed, overdue", due_days=-3, status=Status.DONE, blocked_by=[open_blocker])
    theirs = make_project(make_company(stranger_agency, "Чужой клиент"), "Их проект")
    _task(theirs, "their overdue", due_days=-1)
    _task(theirs, "their blocked", due_days=1, blocked_by=[_task(theirs, "their blocker")])

    for viewer in (viewer_for(sergey), viewer_for(head)):
        sections = _sections(viewer)
        assert sections["waiting_client"][:2] == (["waiting and overdue"], 1)
        assert sections["overdue"][:2] == (["overdue and blocked"], 1)
        assert sections["overdue"][2] == {"overdue and blocked": True}  # its chip says so
        # Dated first, the undated last.
        assert sections["blocked"][:2] == (["blocked, due soon", "blocked, no date"], 2)
        assert sections["due_soon"][:2] == (["blocker done, due soon"], 1)
        assert sections["due_soon"][2] == {"blocker done, due soon": False}

    their_sections = _sections(viewer_for(stranger))
    assert their_sections["overdue"][:2] == (["their overdue"], 1)
    assert their_sections["blocked"][:2] == (["their blocked"], 1)
    assert their_sections["waiting_client"][1] == their_sections["due_soon"][1] == 0
