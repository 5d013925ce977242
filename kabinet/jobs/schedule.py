"""Every periodic job of Kabinet, in one list: name, cadence, the task.

`kabinet scheduler` enqueues each job once per slot of its cadence (kabinet/jobs/periodic.py);
any number of schedulers may run. A job is a `@task()` in its own app's `tasks.py`, idempotent,
and takes `slot: str | None = None` — the ISO start of its slot, which is "now" for the job
(`kabinet.jobs.periodic.slot_now(slot)`), so `kabinet scheduler --from/--until` can simulate time.

Adding a periodic job is one line here:

    Periodic("health.kpi_sync", every=timedelta(hours=6), task=health.sync_kpis),

(with `from kabinet.health import tasks as health` above). Names are "<app>.<what>"; the cadence is at least a minute.
"""

from __future__ import annotations

from datetime import timedelta

from kabinet.api import tasks as api
from kabinet.core import tasks as core
from kabinet.health import tasks as health
from kabinet.jobs import tasks as jobs
from kabinet.jobs.periodic import Periodic
from kabinet.planning import tasks as planning
from kabinet.promises import tasks as promises
from kabinet.questions import tasks as questions
from kabinet.timeline import tasks as timeline
from kabinet.work import tasks as work

SCHEDULE: list[Periodic] = [
    Periodic("api.webhooks", every=timedelta(minutes=1), task=api.send_due_webhooks),
    Periodic(
        "core.notification_emails", every=timedelta(minutes=1), task=core.send_notification_emails
    ),
    Periodic(
        "core.notification_digests", every=timedelta(hours=1), task=core.send_notification_digests
    ),
    Periodic("health.kpi_sync", every=timedelta(hours=1), task=health.sync_kpis),
    Periodic("health.flags", every=timedelta(days=1), task=health.store_flags),
    Periodic("health.weekly_digests", every=timedelta(hours=1), task=health.draft_weekly_digests),
    Periodic("health.understanding", every=timedelta(days=1), task=health.understanding_snapshots),
    Periodic("jobs.redrive", every=timedelta(minutes=1), task=jobs.redrive_lost_jobs),
    Periodic("planning.replan_all", every=timedelta(hours=1), task=planning.replan_all_agencies),
    Periodic("promises.clock", every=timedelta(minutes=15), task=promises.promise_clock),
    Periodic(
        "promises.escalate_proposals", every=timedelta(minutes=15), task=promises.escalate_proposals
    ),
    Periodic("questions.sla_warnings", every=timedelta(minutes=10), task=questions.check_sla),
    Periodic(
        "timeline.decision_reminders",
        every=timedelta(hours=1),
        task=timeline.remind_pending_decisions,
    ),
    Periodic("timeline.purge_staged", every=timedelta(hours=1), task=timeline.purge_staged_uploads),
    Periodic("work.recurring", every=timedelta(hours=1), task=work.generate_recurring),
    Periodic("work.rules", every=timedelta(minutes=15), task=work.run_rules),
]
