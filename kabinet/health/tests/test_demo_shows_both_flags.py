from __future__ import annotations

import pytest
from django.core.management import call_command

from kabinet.core.models import User
from kabinet.health.models import Metric, Point

pytestmark = pytest.mark.django_db


def test_in_the_demo_the_manager_sees_talk_now_for_marina_and_a_project_behind_its_forecast(login):
    call_command("demo", "--no-serve", verbosity=0)
    sergey = User.objects.get(email="sergey@agency.example")

    response = login(sergey).get("/projects/")

    flags = [(f.kind, f.project.company.name, f.reason) for f in response.context["results_flags"]]
    assert [(kind, company) for kind, company, _reason in flags] == [
        ("expectation", "ТехноДом"),
        ("trend", "Зелёный Сад"),
    ]
    assert flags[0][2].startswith("Поговорить сейчас: клиент ждёт")
    assert flags[1][2].startswith("Отстаём от прогноза:")
    assert 'data-testid="results-flags"' in response.content.decode()


def test_every_demo_project_has_kpis_filled_by_the_sample_source():
    call_command("demo", "--no-serve", verbosity=0)

    metrics = Metric.objects.filter(project__agency__slug="demo")
    assert metrics.exists() and not metrics.filter(points__isnull=True).exists()
    assert set(Point.objects.values_list("source", flat=True)) == {"sample"}
