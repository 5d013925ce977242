# Its own migration: on PostgreSQL an UPDATE of rows with deferred foreign-key checks cannot share
# a transaction with the index creation of 0009 ("pending trigger events").

from django.db import migrations


def point_at_the_latest(apps, schema_editor):
    """Each metric's current expectation and forecast: its latest row of each (one UPDATE each)."""
    from django.db.models import OuterRef, Subquery

    Metric = apps.get_model("health", "Metric")
    for field, model in (("current_expectation", "Expectation"), ("current_forecast", "Forecast")):
        rows = apps.get_model("health", model).objects.filter(metric=OuterRef("pk"))
        latest = rows.order_by("-created_at", "-pk").values("pk")[:1]
        Metric.objects.update(**{field: Subquery(latest)})


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0009_metric_current_targets"),
    ]

    operations = [
        migrations.RunPython(point_at_the_latest, migrations.RunPython.noop),
    ]
