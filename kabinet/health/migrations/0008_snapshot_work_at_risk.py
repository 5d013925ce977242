"""Work at risk stored on each company's snapshot row (the head's page reads it), and counted
now on every agency's latest day, so the page does not show zeros until the next plan run."""

from collections import defaultdict

from django.db import migrations, models
from django.db.models import Count, Q
from django.utils import timezone

OPEN = ("todo", "in_progress", "waiting_client")  # work.Task.OPEN_STATUSES


def count_work_at_risk(apps, schema_editor):
    Agency = apps.get_model("core", "Agency")
    Snapshot = apps.get_model("health", "UnderstandingSnapshot")
    Task = apps.get_model("work", "Task")
    Forecast = apps.get_model("planning", "TaskForecast")
    now = timezone.now()
    for agency_id in Agency.objects.values_list("pk", flat=True):
        latest = (
            Snapshot.objects.filter(agency_id=agency_id, project=None)
            .order_by("-day")
            .values_list("day", flat=True)
            .first()
        )
        if latest is None:
            continue
        late = Forecast.objects.filter(agency_id=agency_id, late_hours__gt=0).values("task_id")
        by_count = defaultdict(list)
        for company_id, n in (
            Task.objects.filter(agency_id=agency_id, status__in=OPEN)
            .filter(Q(due_at__lt=now) | Q(pk__in=late))
            .values("project__company_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("project__company_id", "n")
        ):
            by_count[n].append(company_id)
        rows = Snapshot.objects.filter(agency_id=agency_id, project=None, day=latest)
        rows.update(at_risk=0, at_risk_at=now)
        for n, ids in by_count.items():
            rows.filter(company_id__in=ids).update(at_risk=n)


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0007_snapshot_manager"),
        ("planning", "0004_priorityweights_version"),
        ("work", "0006_task_agency_open_by_due"),
    ]

    operations = [
        migrations.AddField(
            model_name="understandingsnapshot",
            name="at_risk",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="understandingsnapshot",
            name="at_risk_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(count_work_at_risk, migrations.RunPython.noop),
    ]
