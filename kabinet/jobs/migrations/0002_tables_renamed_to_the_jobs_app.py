# The tables taken over in 0001 get the jobs app's names; rows are kept (a rename, not a copy).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0001_initial"),
        ("work", "0003_periodic_run_and_heartbeat_move_to_jobs"),
    ]

    operations = [
        migrations.RenameIndex(
            model_name="periodicrun",
            new_name="jobs_periodicrun_name_slot",
            old_name="work_period_name_d19f7b_idx",
        ),
        migrations.AlterModelTable(name="periodicrun", table=None),
        migrations.AlterModelTable(name="workerheartbeat", table=None),
    ]
