"""Background jobs of the jobs app: the re-drive of jobs that could not be enqueued."""

from __future__ import annotations

from django_tasks import task


@task()
def redrive_lost_jobs(slot: str | None = None) -> int:
    """Periodic, every minute: enqueue again what an outage of the queue kept from being enqueued."""
    from kabinet.jobs.outbox import redrive

    return redrive()
