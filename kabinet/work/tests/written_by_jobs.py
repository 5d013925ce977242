"""What a job wrote about the tasks it created, in a form two runs can be compared by: rows are
named by the task's dedupe key instead of primary keys (a rolled-back run's keys are not reused
on PostgreSQL)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from kabinet.core.models import AuditEntry, Notification
from kabinet.planning.models import PlanRequest
from kabinet.work.models import RuleFiring, Task


def written() -> dict[str, Any]:
    tasks = list(Task.objects.order_by("dedupe_key"))
    key = {t.pk: t.dedupe_key for t in tasks}
    notifications = []
    for n in Notification.objects.filter(kind="task_assigned"):
        _task, pk, _assigned, user_pk = n.dedupe_key.split(":")
        notifications.append(
            (
                key[int(pk)],
                n.user_id,
                n.title,
                n.body,
                n.url == reverse("work:task", args=[int(pk)]),
                n.project_id,
                n.action,
                n.due_at,
                user_pk == str(n.user_id),
                n.email_state,
                n.read_at is None,
            )
        )
    return {
        "tasks": [
            (
                t.agency_id,
                t.project_id,
                t.title,
                t.description,
                t.assignee_id,
                t.estimate_hours,
                t.due_at,
                t.visibility,
                t.status,
                t.source_type,
                t.source_id,
                t.dedupe_key,
                t.created_by_id,
            )
            for t in tasks
        ],
        "audit": sorted(
            (e.agency_id, e.actor_id, e.object_type, key[int(e.object_id)], repr(e.data))
            for e in AuditEntry.objects.filter(verb="task_created")
        ),
        "notifications": sorted(notifications, key=repr),
        "firings": sorted(
            (f.rule_id, f.cause_key, key.get(f.task_id)) for f in RuleFiring.objects.all()
        ),
        "plan_dirty": sorted(
            PlanRequest.objects.filter(dirty=True).values_list("agency_id", flat=True)
        ),
    }
