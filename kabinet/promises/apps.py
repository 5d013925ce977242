from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "kabinet.promises"
    label = "promises"
    verbose_name = _("Promises")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from kabinet.promises import (
            rules,  # noqa: F401 — registers the promise_at_risk evaluator
            services,
            tasks,
        )
        from kabinet.timeline.models import Event
        from kabinet.work.periodic import register_periodic
        from kabinet.work.signals import task_completed

        post_save.connect(services.on_event_saved, sender=Event, dispatch_uid="promises.detect")
        task_completed.connect(services.on_task_completed, dispatch_uid="promises.task_completed")
        # Every 15 minutes: a due-time reminder is at most a quarter of an hour late.
        register_periodic("promises.clock", timedelta(minutes=15), tasks.promise_clock, pass_slot=True)

    def nav_items(self, viewer) -> list[dict]:
        if not viewer.is_staff:
            return []
        return [{"url": reverse("my_promises"), "label": _("My promises")}]  # numbers: linked there

    def project_links(self, viewer, project) -> list[dict]:
        return [{"url": reverse("project_promises", args=[project.pk]), "label": _("Promises")}]
