"""PeriodicRun and WorkerHeartbeat moved from the work app to jobs: existing rows are kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("work", "0002_worker_heartbeat"), ("jobs", None)]


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_there_after_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state([("work", "0002_worker_heartbeat")]).apps
    slot = datetime(2027, 3, 1, 10, tzinfo=UTC)
    old.get_model("work", "PeriodicRun").objects.create(
        name="work.rules", slot=slot, task_result_id="r-1"
    )
    old.get_model("work", "WorkerHeartbeat").objects.create(worker_id="w-1", hostname="h", pid=42)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from kabinet.jobs.models import PeriodicRun, WorkerHeartbeat

    assert list(PeriodicRun.objects.values_list("name", "slot", "task_result_id")) == [
        ("work.rules", slot, "r-1")
    ]
    assert list(WorkerHeartbeat.objects.values_list("worker_id", "pid")) == [("w-1", 42)]
    # The unique claim still holds under the new name.
    from kabinet.jobs.periodic import claim

    assert claim("work.rules", slot) is False
