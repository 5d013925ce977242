from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from kabinet.health import outcomes, services
from kabinet.timeline.models import Event, Kind

NOW = "2026-11-20 12:00:00+03:00"


def test_the_expectation_and_the_forecast_go_into_the_chronology_the_client_sees(
    project, sessions, sergey, marina, login, as_viewer
):
    services.set_forecast(
        viewer=as_viewer(sergey),
        metric=sessions,
        low=Decimal(20000),
        high=Decimal(25000),
        by_date=date(2027, 3, 31),
    )
    services.set_expectation(
        viewer=as_viewer(marina), metric=sessions, target=Decimal(40000), by_date=date(2027, 3, 31)
    )

    titles = [
        t.replace("\xa0", " ")
        for t in Event.objects.filter(
            project=project, kind=Kind.KPI, visibility="client"
        ).values_list("title", flat=True)
    ]
    assert sorted(titles) == [
        "Наш прогноз: Визиты из поиска — от 20 000 визиты до 25 000 визиты к 31 марта 2027 г.",
        "Ожидание клиента: Визиты из поиска — 40 000 визиты к 31 марта 2027 г.",
    ]
    page = login(marina).get(f"/projects/{project.pk}/")
    assert "Ожидание клиента" in page.content.decode()


def test_a_forecast_whose_range_is_upside_down_is_refused(project, sessions, sergey, login):
    response = login(sergey).post(
        f"/projects/{project.pk}/kpis/forecast/",
        {
            "metric": sessions.pk,
            "low": "300",
            "high": "200",
            "by_date": "2027-03-31",
            "note": "мои расчёты",
        },
    )

    assert response.status_code == 400
    assert "Верхняя граница диапазона ниже нижней." in response.content.decode()
    assert "мои расчёты" in response.content.decode()  # what was typed stays


def test_a_client_cannot_state_an_expectation_for_another_company(
    project, sessions, oleg, as_viewer
):
    with pytest.raises(PermissionDenied):
        services.set_expectation(
            viewer=as_viewer(oleg), metric=sessions, target=Decimal(1), by_date=date(2027, 1, 1)
        )


@time_machine.travel(NOW, tick=False)
def test_the_manager_sees_talk_now_and_behind_the_forecast_with_the_reason(
    project, sessions, sergey, marina, daily, login, as_viewer
):
    daily(sessions, date(2026, 5, 1), [1000] * 203)  # flat: about 30 000 a month
    services.set_forecast(
        viewer=as_viewer(sergey),
        metric=sessions,
        low=Decimal(40000),
        high=Decimal(45000),
        by_date=date(2027, 2, 28),
    )
    services.set_expectation(
        viewer=as_viewer(marina), metric=sessions, target=Decimal(60000), by_date=date(2027, 2, 28)
    )

    response = login(sergey).get("/results/")

    reasons = [(f.kind, f.reason.replace("\xa0", " ")) for f in response.context["flags"]]
    assert reasons[0] == (
        "expectation",
        "Поговорить сейчас: клиент ждёт 60 000 визиты к 28 февраля 2027 г., а наш прогноз — 40 000 визиты – 45 000 визиты.",
    )
    assert reasons[1][0] == "trend" and reasons[1][1] == (
        "Отстаём от прогноза: Февраль 2027 г. — около 30 659 визиты при тренде последних 6 мес.; "
        "прогноз — 40 000 визиты – 45 000 визиты."
    )


@time_machine.travel(NOW, tick=False)
def test_an_expectation_inside_the_forecast_and_actuals_on_track_raise_no_flag(
    project, sessions, sergey, marina, daily, login, as_viewer
):
    daily(sessions, date(2026, 5, 1), [1000] * 203)
    services.set_forecast(
        viewer=as_viewer(sergey),
        metric=sessions,
        low=Decimal(28000),
        high=Decimal(34000),
        by_date=date(2027, 2, 28),
    )
    services.set_expectation(
        viewer=as_viewer(marina), metric=sessions, target=Decimal(30000), by_date=date(2027, 2, 28)
    )

    assert login(sergey).get("/results/").context["flags"] == []


def test_the_flags_page_is_not_for_clients(marina, login):
    assert login(marina).get("/results/").status_code == 404


def test_a_promised_outcome_beyond_the_forecast_is_risky(project, sessions, sergey, as_viewer):
    services.set_forecast(
        viewer=as_viewer(sergey),
        metric=sessions,
        low=Decimal(20000),
        high=Decimal(25000),
        by_date=date(2027, 3, 31),
    )

    beyond = outcomes.check_outcome_promise(
        project, metric="визиты из поиска", target=40000, by_date=date(2027, 3, 31)
    )
    within = outcomes.check_outcome_promise(project, metric="organic_sessions", target=22000)

    assert beyond is not None and beyond.risky and "выходит за наш прогноз" in beyond.reason
    assert within is not None and not within.risky
    assert outcomes.check_outcome_promise(project, metric="заявки", target=5) is None
