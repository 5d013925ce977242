"""Every signal that carries work from one app to another, and who receives it — the one list.

Apps are installed together, so a cross-app hook is either an explicit import of the other app's
service or one of the signals below. A receiver is connected in its app's `AppConfig.ready()`
with the `dispatch_uid` named here; `kabinet/core/tests/test_signal_list_matches_the_receivers.py`
fails when this list and the connected receivers differ.

task_completed (defined here; sent by work.services after the transaction that completed a task
commits; sender=Task, task=..., actor=... — None is the system)
    - promises.task_completed: promises.services.on_task_completed — the task's promises are kept
    - api.task_webhooks: api.webhooks.on_task_completed — "task.done" to the agency's endpoints

agency_terms_changed (defined here; sent after the transaction commits by core.services.save_calendar
when an agency's business calendar changed, and by clients.services when a project's tier, budget or
status or its team changed; sender=Agency or Project, agency_id=...)
    - planning.agency_terms_changed: planning.signals._terms_changed — the plan's inputs moved, replan
    - questions.agency_terms_changed: questions.apps._terms_changed — the waiting threads' stored
      SLA due times are recomputed (calendar or tier)

post_save, sender=timeline.Event
    - timeline.notices: timeline.notices.on_event_saved — tell the client / manager it concerns
    - api.event_webhooks: api.webhooks.on_event_saved — an outbox row per endpoint that asked for it

post_save, sender=work.Task
    - planning.task_saved: planning.signals._task_changed — the agency's plan is dirty, replan
      (work.services.create_system_tasks inserts the jobs' tasks many rows at a time, which sends
      no post_save: it calls planning.services.request_replan itself, once per batch)
post_delete, sender=work.Task
    - planning.task_deleted: planning.signals._task_changed
m2m_changed, sender=work.Task.blocked_by.through
    - planning.blockers_changed: planning.signals._blockers_changed
post_save, sender=promises.Promise
    - planning.promise_saved: planning.signals._task_changed — a promise raises a task's priority
post_save, sender=core.User
    - api.user_saved: api.tokens.on_user_saved — a new password or a deactivation revokes the user's
      API tokens

Not signals, but the other registries apps fill: automation-rule evaluators
(`kabinet.work.rules.evaluator`, imported from each app's `ready()`), periodic jobs
(`kabinet/jobs/schedule.py`), navigation and project links (`kabinet.core.extensions`).
"""

from __future__ import annotations

from django.dispatch import Signal

task_completed = Signal()
agency_terms_changed = Signal()
