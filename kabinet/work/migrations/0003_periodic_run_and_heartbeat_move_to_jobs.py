# PeriodicRun and WorkerHeartbeat now belong to the jobs app (kabinet.jobs.migrations.0001 took
# over their tables); the work app forgets them without touching the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("work", "0002_worker_heartbeat"),
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="PeriodicRun"),
                migrations.DeleteModel(name="WorkerHeartbeat"),
            ],
            database_operations=[],
        ),
    ]
