"""Rows of the background machinery (tables moved here from the work app, rows kept)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class PeriodicRun(models.Model):
    """A claimed slot of a periodic job: two schedulers insert the same row, one wins."""

    name = models.CharField(max_length=100)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(default=timezone.now)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="one_run_per_slot")]
        indexes = [models.Index(fields=["name", "-slot"], name="jobs_periodicrun_name_slot")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """A live `kabinet worker` (database backend). A job RUNNING under a worker whose heartbeat
    stopped (process gone, or silent for too long) was abandoned and goes back to the queue."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class LostEnqueue(models.Model):
    """A job that could not be enqueued after its transaction committed (the queue — Redis — was
    away). The write itself stands; `kabinet.jobs.outbox.redrive` (every minute) enqueues the job
    again once the queue answers. Jobs are idempotent, so enqueuing one twice is harmless."""

    task_path = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    run_after = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.task_path}({self.kwargs})"
