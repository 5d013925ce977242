from __future__ import annotations

from datetime import date

from kabinet.health import sources
from kabinet.health.models import Point, Source


def test_syncing_the_sample_source_twice_writes_each_day_once_with_the_same_values(
    project, sessions
):
    sessions.source = Source.SAMPLE
    sessions.save()

    first = sources.sync(project, Source.SAMPLE, date(2026, 10, 1), date(2026, 10, 31))
    values = list(
        Point.objects.filter(metric=sessions).order_by("date").values_list("value", flat=True)
    )
    second = sources.sync(project, Source.SAMPLE, date(2026, 10, 1), date(2026, 10, 31))

    assert first.created == 31
    assert (second.created, second.updated, second.unchanged) == (0, 0, 31)
    assert (
        list(Point.objects.filter(metric=sessions).order_by("date").values_list("value", flat=True))
        == values
    )
    assert set(Point.objects.values_list("source", flat=True)) == {"sample"}


def test_a_source_only_fills_the_metrics_that_name_it(project, sessions, position):
    sessions.source = Source.SAMPLE
    sessions.save()

    sources.sync(project, Source.SAMPLE, date(2026, 10, 1), date(2026, 10, 7))

    assert Point.objects.filter(metric=sessions).count() == 7
    assert not Point.objects.filter(metric=position).exists()


def test_weekly_metrics_get_a_point_on_each_monday():
    assert sources.period_days("week", date(2026, 11, 1), date(2026, 11, 30)) == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
        date(2026, 11, 23),
        date(2026, 11, 30),
    ]
