from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from kabinet.core.scoping import viewer_for
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.work.models import Task
from kabinet.work.services import save_playbook, start_from_playbook

SEO_ONBOARDING = [
    {
        "title": "Доступы и аудит",
        "offset_business_days": 0,
        "estimate_hours": "6",
        "role": "specialist",
    },
    {
        "title": "Семантическое ядро",
        "offset_business_days": 5,
        "estimate_hours": "16",
        "role": "specialist",
        "depends_on": [0],
    },
    {
        "title": "Технические задания",
        "offset_business_days": 10,
        "estimate_hours": "12",
        "role": "specialist",
        "depends_on": [0, 1],
    },
    {
        "title": "Ежемесячный отчёт",
        "offset_business_days": 20,
        "estimate_hours": "4",
        "role": "account_manager",
        "depends_on": [2],
        "visibility": "internal",
    },
]


@pytest.fixture
def playbook(agency, head):
    return save_playbook(
        viewer=viewer_for(head),
        name="SEO onboarding",
        language="ru",
        service="seo",
        items=[dict(item) for item in SEO_ONBOARDING],
    )


def test_starting_seo_project_from_playbook_creates_tasks_with_business_day_due_dates(
    project, playbook, sergey, viktoria
):
    # Friday 2027-04-30; 1–3 May and 8–10 May 2027 are Russian public holidays / weekends.
    tasks = start_from_playbook(
        viewer=viewer_for(sergey), project=project, playbook=playbook, start=date(2027, 4, 30)
    )

    assert [t.title for t in tasks] == [i["title"] for i in SEO_ONBOARDING]
    due = {t.title: t.due_at.astimezone(MSK) for t in tasks}
    assert due["Доступы и аудит"] == datetime(2027, 4, 30, 18, tzinfo=MSK)
    # 5 business days after 30 April, skipping the May holidays: 4, 5, 6, 7, 11 May.
    assert due["Семантическое ядро"] == datetime(2027, 5, 11, 18, tzinfo=MSK)
    assert due["Технические задания"] == datetime(2027, 5, 18, 18, tzinfo=MSK)
    assert all(t.project == project and t.status == Task.Status.TODO for t in tasks)


def test_playbook_tasks_get_dependencies_assignees_and_estimates(
    project, playbook, sergey, viktoria
):
    audit_, core, specs, report = start_from_playbook(
        viewer=viewer_for(sergey), project=project, playbook=playbook, start=date(2027, 4, 30)
    )

    assert list(core.blocked_by.all()) == [audit_]
    assert set(specs.blocked_by.all()) == {audit_, core}
    assert list(report.blocked_by.all()) == [specs]
    assert list(audit_.blocks.all()) == [core, specs] or set(audit_.blocks.all()) == {core, specs}
    assert core.assignee == viktoria and report.assignee == sergey
    assert str(core.estimate_hours) == "16.00"
    assert report.visibility == "internal" and core.visibility == "client"
    assert core.source_type == "playbook" and core.source_id == str(playbook.pk)


def test_a_project_cannot_be_started_twice_from_the_same_playbook(project, playbook, sergey):
    start_from_playbook(
        viewer=viewer_for(sergey), project=project, playbook=playbook, start=date(2027, 4, 30)
    )

    with pytest.raises(ValidationError) as exc:
        start_from_playbook(
            viewer=viewer_for(sergey), project=project, playbook=playbook, start=date(2027, 5, 4)
        )
    assert "SEO onboarding" in exc.value.message_dict["playbook"][0]
    assert Task.objects.filter(project=project).count() == len(SEO_ONBOARDING)


def test_a_playbook_item_may_depend_only_on_items_above_it(agency, head):
    items = [
        {"title": "A", "offset_business_days": 0, "depends_on": [1]},
        {"title": "B", "offset_business_days": 1},
    ]

    with pytest.raises(ValidationError) as exc:
        save_playbook(viewer=viewer_for(head), name="Broken", language="en", items=items)
    assert "items" in exc.value.message_dict and "1" in exc.value.message_dict["items"][0]
