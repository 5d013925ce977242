"""The daily job stores the flags (expectation outside the forecast, actuals trending below it),
tells the project's manager once per cause, and the cockpit shows them with the reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from kabinet.core.models import Notification
from kabinet.health import services, tasks
from kabinet.health.models import StoredFlag

NOW = "2026-11-20 12:00:00+03:00"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def story(project, sessions, sergey, marina, daily, as_viewer):
    """Flat actuals (about 30 000 a month), forecast 40–45 000, the client expects 60 000."""
    daily(sessions, date(2026, 5, 1), [1000] * 203)
    forecast = services.set_forecast(
        viewer=as_viewer(sergey),
        metric=sessions,
        low=Decimal(40000),
        high=Decimal(45000),
        by_date=date(2027, 2, 28),
    )
    services.set_expectation(
        viewer=as_viewer(marina), metric=sessions, target=Decimal(60000), by_date=date(2027, 2, 28)
    )
    return forecast


def test_the_job_stores_both_flags_with_their_reason_in_both_languages(story, project):
    result = tasks.store_flags.call()
    assert result["raised"] == 2
    flags = {f.kind: f for f in StoredFlag.objects.filter(project=project)}
    assert set(flags) == {"expectation", "trend"}
    assert flags["expectation"].reasons["ru"].startswith("Поговорить сейчас: клиент ждёт")
    assert flags["expectation"].reasons["en"].startswith("Talk now: the client expects")
    assert flags["trend"].reasons["en"].startswith("Behind the forecast:")


def test_the_manager_is_told_once_per_cause(story, sergey, viktoria):
    tasks.store_flags.call()
    tasks.store_flags.call()  # the next day: the same causes
    told = Notification.objects.filter(user=sergey, kind="kpi_flag")
    assert told.count() == 2
    assert not Notification.objects.filter(user=viktoria, kind="kpi_flag").exists()


def test_a_revised_expectation_is_a_new_cause_and_the_old_flag_is_resolved(
    story, sessions, marina, sergey, as_viewer
):
    tasks.store_flags.call()
    services.set_expectation(
        viewer=as_viewer(marina), metric=sessions, target=Decimal(70000), by_date=date(2027, 2, 28)
    )
    tasks.store_flags.call()
    expectation_flags = StoredFlag.objects.filter(kind="expectation")
    assert expectation_flags.count() == 2
    assert expectation_flags.filter(resolved_at__isnull=True).count() == 1
    assert Notification.objects.filter(user=sergey, kind="kpi_flag").count() == 3


def test_a_flag_whose_cause_is_gone_is_resolved(story, sessions, sergey, marina, as_viewer):
    tasks.store_flags.call()
    services.set_expectation(
        viewer=as_viewer(marina), metric=sessions, target=Decimal(42000), by_date=date(2027, 2, 28)
    )
    result = tasks.store_flags.call()
    assert result["resolved"] == 1
    assert not StoredFlag.objects.filter(kind="expectation", resolved_at__isnull=True).exists()
    assert StoredFlag.objects.get(kind="expectation").resolved_at == timezone.now()


def test_the_cockpit_shows_the_stored_flags_with_the_reason(story, sergey, marina, login):
    assert login(sergey).get("/projects/").context["results_flags"] == []  # not stored yet
    tasks.store_flags.call()
    page = login(sergey).get("/projects/")
    assert [f.kind for f in page.context["results_flags"]] == ["expectation", "trend"]
    assert "Поговорить сейчас" in page.content.decode()
    assert "results-flags" not in login(marina).get("/projects/").content.decode()
