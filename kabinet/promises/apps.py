from __future__ import annotations

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "kabinet.promises"
    label = "promises"
    verbose_name = _("Promises")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from kabinet.core.signals import task_completed
        from kabinet.promises import (
            rules,  # noqa: F401 — registers the promise_at_risk evaluator
            services,
        )
        from kabinet.timeline.models import Event

        # The list of every signal and its receivers: kabinet/core/signals.py.
        post_save.connect(services.on_event_saved, sender=Event, dispatch_uid="promises.detect")
        task_completed.connect(services.on_task_completed, dispatch_uid="promises.task_completed")

    def nav_items(self, viewer) -> list[dict]:
        if not viewer.is_staff:
            return []
        return [{"url": reverse("my_promises"), "label": _("My promises")}]  # numbers: linked there

    def project_links(self, viewer, project) -> list[dict]:
        return [{"url": reverse("project_promises", args=[project.pk]), "label": _("Promises")}]
