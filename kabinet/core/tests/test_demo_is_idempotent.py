from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


# Logs of computations: the demo re-plans on every start so the plan reflects "now".
RUN_LOGS = {"planning.PlanRun"}


def row_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {"core", "clients", "timeline", "work", "questions", "promises", "planning", "health"}
        and m._meta.label not in RUN_LOGS
    }


def test_running_the_demo_twice_creates_nothing_twice():
    call_command("demo", "--no-serve", verbosity=0)
    first = row_counts()
    call_command("demo", "--no-serve", verbosity=0)
    assert row_counts() == first
    assert first["clients.ClientCompany"] == 12 + 1  # twelve, and one of the second agency
    assert first["timeline.Event"] > 500
