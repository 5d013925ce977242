"""Sergey adds a line to the month's plan on the project's home, linked to the task that carries
it: the form (with the project's tasks) arrives when he opens the fold — in a real browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kabinet.health.models import PlanItem
from kabinet.timeline.models import Kind
from kabinet.timeline.services import record_event
from kabinet.work.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sergey_opens_the_fold_and_adds_a_linked_line(page, browser_login, project, sergey):
    first = timezone.localdate().replace(day=1)
    plan = record_event(
        project=project,
        kind=Kind.PLAN,
        title="План на месяц",
        author=sergey,
        period_start=first,
        period_end=first + timedelta(days=27),
    )
    task = Task.objects.create(
        agency=project.agency, project=project, title="Аудит ссылок", estimate_hours=2
    )
    browser_login(page, sergey)
    page.goto(f"/projects/{project.pk}/overview/")
    assert page.locator("select[name=task]").count() == 0  # not on the page until asked for

    page.click("#plan details.plan-add > summary")
    page.locator("[data-testid=plan-item-form] select[name=task]").wait_for()
    page.fill("[data-testid=plan-item-form] input[name=title]", "Аудит внешних ссылок")
    page.select_option("[data-testid=plan-item-form] select[name=task]", str(task.pk))
    page.click("[data-testid=plan-item-form] button.primary")
    page.wait_for_url(lambda url: url.endswith("#plan"))

    assert PlanItem.objects.filter(plan=plan, title="Аудит внешних ссылок", task=task).exists()
    assert "Аудит внешних ссылок" in page.locator("[data-testid=plan]").inner_text()
