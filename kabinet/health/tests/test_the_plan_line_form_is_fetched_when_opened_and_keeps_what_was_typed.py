"""The home's "add a line linked to a task" form is fetched when the manager opens it (its list of
the project's tasks is not rendered on every visit); a refused line comes back with what was
typed and the reason, and nothing is added."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kabinet.health.models import PlanItem
from kabinet.timeline.models import Kind
from kabinet.timeline.services import record_event
from kabinet.work.models import Task

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plan(project, sergey):
    today = timezone.localdate()
    return record_event(
        project=project,
        kind=Kind.PLAN,
        title="План на месяц",
        author=sergey,
        period_start=today.replace(day=1),
        period_end=today.replace(day=1) + timedelta(days=27),
    )


@pytest.fixture
def tasks(project, other_project):
    def task(p, title):
        return Task.objects.create(agency=p.agency, project=p, title=title, estimate_hours=1)

    return task(project, "Аудит ссылок"), task(other_project, "Чужая задача")


def url(project) -> str:
    return f"/projects/{project.pk}/overview/plan-items/"


def test_the_home_holds_a_slot_not_the_list_of_tasks(plan, tasks, project, sergey, login):
    html = login(sergey).get(f"/projects/{project.pk}/overview/").content.decode()

    assert 'data-testid="plan-item-slot"' in html and f'hx-get="{url(project)}"' in html
    assert "Аудит ссылок" not in html and 'name="task"' not in html


def test_the_fetched_form_lists_this_projects_tasks_only(plan, tasks, project, sergey, login):
    client = login(sergey)

    fragment = client.get(url(project), **HTMX)
    page = client.get(url(project))

    assert fragment.status_code == 200 and page.status_code == 200
    html = fragment.content.decode()
    assert 'data-testid="plan-item-form"' in html and "<html" not in html
    assert "Аудит ссылок" in html and "Чужая задача" not in html
    assert "План на месяц" in page.content.decode()  # without JavaScript: a page of its own


def test_a_refused_line_keeps_the_typed_title_and_says_why(plan, tasks, project, sergey, login):
    too_long = "Очень длинная строка плана " * 20  # over the 300 characters of a title
    response = login(sergey).post(url(project), {"title": too_long, "task": tasks[0].pk})

    assert response.status_code == 400
    html = response.content.decode()
    assert too_long.strip()[:100] in html
    assert "300" in html  # the limit is named
    assert PlanItem.objects.count() == 0


def test_another_projects_task_is_refused_with_the_title_kept(plan, tasks, project, sergey, login):
    response = login(sergey).post(url(project), {"title": "Перелинковка", "task": tasks[1].pk})

    assert response.status_code == 400
    assert 'value="Перелинковка"' in response.content.decode()
    assert PlanItem.objects.count() == 0


def test_a_line_is_added_from_the_fetched_form(plan, tasks, project, sergey, login):
    response = login(sergey).post(url(project), {"title": "Аудит", "task": tasks[0].pk})

    assert response.status_code == 302 and response["Location"].endswith("#plan")
    assert PlanItem.objects.filter(plan=plan, title="Аудит", task=tasks[0]).exists()
