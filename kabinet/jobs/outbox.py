"""Enqueue after a commit without ever failing the write, and re-drive what could not be enqueued.

A write commits first and enqueues its job after (`transaction.on_commit`). On the rq backend
the queue is Redis, which may be away while the database is up: the enqueue must then not turn
the committed write into a 500. `enqueue_or_leave` logs the failure and leaves a `LostEnqueue`
row; the periodic `jobs.redrive` job enqueues those rows again once the queue answers.

Some jobs have an outbox of their own as well, swept by their own periodic job: pending
notifications (core.notification_emails), webhook deliveries (api.webhooks); a dirty plan is
replanned hourly (planning.replan_all). The rows here make the re-drive prompt and cover the jobs
that have no outbox (promise detection).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from kabinet.jobs.models import LostEnqueue

logger = logging.getLogger(__name__)

REDRIVE_BATCH = 500


def enqueue_or_leave(task, *, run_after: datetime | None = None, **kwargs) -> bool:
    """Enqueue `task(**kwargs)`; when the queue is away, log it and leave a row for the sweep.
    Never raises. True when the job was enqueued."""
    try:
        job = task.using(run_after=run_after) if run_after is not None else task
        job.enqueue(**kwargs)
        return True
    except Exception as exc:
        path = str(getattr(task, "module_path", task))
        logger.warning("could not enqueue %s(%s): %s; left for the sweep", path, kwargs, exc)
        try:
            with transaction.atomic():  # a failure here must not break an enclosing transaction
                LostEnqueue.objects.create(
                    task_path=path,
                    kwargs=kwargs,
                    run_after=run_after,
                    error=f"{type(exc).__name__}: {exc}"[:2000],
                )
        except Exception:  # the database too: the job's own periodic sweep is left
            logger.exception("could not record the lost job %s either", path)
        return False


def on_commit_enqueue(task, *, run_after: datetime | None = None, **kwargs) -> None:
    """`enqueue_or_leave` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue_or_leave(task, run_after=run_after, **kwargs))


def redrive() -> int:
    """Enqueue the jobs that could not be enqueued; returns how many. Stops at the first failure
    (the queue is still away) and leaves the rest for the next run."""
    done = 0
    rows = list(LostEnqueue.objects.order_by("pk")[:REDRIVE_BATCH])
    for row in rows:
        try:
            task = import_string(row.task_path)
            later = row.run_after is not None and row.run_after > timezone.now()
            job = task.using(run_after=row.run_after) if later else task
            job.enqueue(**row.kwargs)
        except ImportError:
            logger.error("lost job %s names no task; dropped", row.task_path)
        except Exception as exc:
            logger.warning("the queue is still away (%s); %d job(s) wait", exc, len(rows) - done)
            break
        LostEnqueue.objects.filter(pk=row.pk).delete()
        done += 1
    return done
