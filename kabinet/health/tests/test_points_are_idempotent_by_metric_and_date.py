from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kabinet.health import services
from kabinet.health.models import Point
from kabinet.health.services import PointIn


def test_writing_the_same_days_twice_changes_nothing(project, sessions):
    points = [
        PointIn("organic_sessions", date(2026, 11, d), Decimal(100 + d)) for d in range(1, 11)
    ]

    first = services.write_points(project=project, points=points, source="api")
    second = services.write_points(project=project, points=points, source="api")

    assert (first.created, first.updated, first.unchanged) == (10, 0, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 10)
    assert Point.objects.filter(metric=sessions).count() == 10


def test_a_new_value_for_a_known_day_replaces_the_old_one_and_says_where_it_came_from(
    project, sessions
):
    services.write_points(
        project=project,
        points=[PointIn("organic_sessions", date(2026, 11, 1), Decimal(5))],
        source="manual",
    )

    result = services.write_points(
        project=project,
        points=[PointIn("organic_sessions", date(2026, 11, 1), Decimal(7))],
        source="yandex_metrica",
    )

    point = Point.objects.get(metric=sessions)
    assert result.updated == 1
    assert (point.value, point.source) == (Decimal(7), "yandex_metrica")


def test_an_unknown_metric_refuses_the_whole_call(project, sessions):
    with pytest.raises(ValidationError) as exc:
        services.write_points(
            project=project,
            points=[
                PointIn("organic_sessions", date(2026, 11, 1), Decimal(5)),
                PointIn("nope", date(2026, 11, 1), Decimal(1)),
            ],
            source="api",
        )

    assert "nope" in exc.value.messages[0]
    assert not Point.objects.exists()


@pytest.mark.parametrize("raw", ["abc", "NaN", "Infinity", "1e20"])
def test_a_value_that_is_not_a_keepable_number_is_refused(project, sessions, raw):
    with pytest.raises(ValidationError):
        services.write_points(
            project=project,
            points=[PointIn("organic_sessions", date(2026, 11, 1), raw)],
            source="api",
        )
    assert not Point.objects.exists()


def test_a_client_cannot_record_points(project, sessions, marina, as_viewer):
    with pytest.raises(PermissionDenied):
        services.record_points(
            viewer=as_viewer(marina),
            project=project,
            points=[PointIn("organic_sessions", date(2026, 11, 1), Decimal(5))],
        )
    assert not Point.objects.exists()
