"""Task changes mark the agency's plan dirty and enqueue one coalesced replanning job.

Every signal and its receivers are listed in kabinet/core/signals.py. Tasks the periodic jobs
insert in bulk (work.services.create_system_tasks) send no post_save: that service requests the
replan itself."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save


def _task_changed(sender, instance, **kwargs) -> None:
    from kabinet.planning.services import request_replan

    if kwargs.get("raw"):  # loading fixtures
        return
    request_replan(agency_id=instance.agency_id)


def _blockers_changed(sender, instance, action: str, **kwargs) -> None:
    from kabinet.planning.services import request_replan

    if action in ("post_add", "post_remove", "post_clear"):
        request_replan(agency_id=instance.agency_id)


def _terms_changed(sender, agency_id: int, **kwargs) -> None:
    from kabinet.planning.services import request_replan

    request_replan(agency_id=agency_id)


def connect() -> None:
    from kabinet.core.signals import agency_terms_changed
    from kabinet.promises.models import Promise
    from kabinet.work.models import Task

    post_save.connect(_task_changed, sender=Task, dispatch_uid="planning.task_saved")
    post_delete.connect(_task_changed, sender=Task, dispatch_uid="planning.task_deleted")
    m2m_changed.connect(
        _blockers_changed, sender=Task.blocked_by.through, dispatch_uid="planning.blockers_changed"
    )
    # A promise attached to a task raises its priority.
    post_save.connect(_task_changed, sender=Promise, dispatch_uid="planning.promise_saved")
    agency_terms_changed.connect(_terms_changed, dispatch_uid="planning.agency_terms_changed")
