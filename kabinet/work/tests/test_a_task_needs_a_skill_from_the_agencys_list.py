"""A task may need a skill from the agency's list: the task form offers it, the planner reads it,
and a skill of another agency is refused by field."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kabinet.core.scoping import viewer_for
from kabinet.planning import services as planning
from kabinet.planning.models import Skill
from kabinet.work import services
from kabinet.work.models import Task


@pytest.fixture
def seo(agency, head):
    planning.save_skills(viewer=viewer_for(head), names="SEO\nPPC")
    return Skill.objects.get(agency=agency, name="SEO")


def test_sergey_creates_a_task_that_needs_seo(project, sergey, viktoria, seo, login):
    client = login(sergey)
    form = client.get(f"/projects/{project.pk}/tasks/new/").content.decode()
    assert 'name="skill"' in form and ">SEO<" in form
    response = client.post(
        f"/projects/{project.pk}/tasks/new/",
        {
            "title": "Аудит скорости",
            "assignee": viktoria.pk,
            "visibility": "internal",
            "status": "todo",
            "priority_boost": "0",
            "skill": seo.pk,
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(title="Аудит скорости")
    assert task.skill == seo
    assert "SEO" in client.get(f"/tasks/{task.pk}/").content.decode()


def test_a_skill_of_another_agency_is_refused_by_field(project, stranger_agency, seo):
    foreign = Skill.objects.create(agency=stranger_agency, name="SEO")
    with pytest.raises(ValidationError) as exc:
        services.create_task(viewer=None, project=project, title="Задача", skill=foreign)
    assert "skill" in exc.value.message_dict
    task = services.create_task(viewer=None, project=project, title="Задача", skill=seo)
    with pytest.raises(ValidationError):
        services.change_task(viewer=None, task=task, skill=foreign.pk)
    assert services.change_task(viewer=None, task=task, skill=None).skill is None
