# PeriodicRun and WorkerHeartbeat move here from the work app. Their tables already exist
# (work_periodicrun, work_workerheartbeat): this migration only takes them over in Django's state;
# 0002 renames the tables, so every existing row is kept.

from django.db import migrations, models
import django.utils.timezone


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("work", "0002_worker_heartbeat"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PeriodicRun",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=100)),
                        ("slot", models.DateTimeField()),
                        ("enqueued_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("task_result_id", models.CharField(blank=True, max_length=64)),
                    ],
                    options={
                        "db_table": "work_periodicrun",
                        "indexes": [models.Index(fields=["name", "-slot"], name="work_period_name_d19f7b_idx")],
                        "constraints": [models.UniqueConstraint(fields=("name", "slot"), name="one_run_per_slot")],
                    },
                ),
                migrations.CreateModel(
                    name="WorkerHeartbeat",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("worker_id", models.CharField(max_length=64, unique=True)),
                        ("hostname", models.CharField(max_length=255)),
                        ("pid", models.PositiveIntegerField()),
                        ("started_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("seen_at", models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={"db_table": "work_workerheartbeat"},
                ),
            ],
            database_operations=[],
        ),
    ]
