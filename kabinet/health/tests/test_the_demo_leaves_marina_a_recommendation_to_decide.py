"""In the demo Marina's home shows a recommendation waiting for her approval (the chronology's
random decisions could leave her none) and next month's plan, titled like the others, with each
line on the task that carries it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from kabinet.clients.models import Project
from kabinet.core.models import User

pytestmark = pytest.mark.django_db


def test_marinas_home_in_the_demo_has_a_decision_and_a_linked_plan(login):
    call_command("demo", "--no-serve", verbosity=0)
    marina = User.objects.get(email="marina@client.example")
    technodom = Project.objects.get(name="SEO technodom.example", agency__slug="demo")

    page = login(marina).get(f"/projects/{technodom.pk}/overview/")

    waiting = page.context["home"].waiting
    assert any(w.kind == "recommendation" for w in waiting), waiting
    lines = page.context["home"].plan_lines
    assert lines and all(line.task_title for line in lines)
    assert "01." not in page.context["home"].plan.title  # "План работ на январь 2027"
