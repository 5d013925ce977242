from __future__ import annotations

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "kabinet.promises"
    label = "promises"
    verbose_name = _("Promises")

    def ready(self) -> None:
        from kabinet.core.signals import task_completed
        from kabinet.promises import (
            rules,  # noqa: F401 — registers the promise_at_risk evaluator
            services,
        )

        # The list of every signal and its receivers: kabinet/core/signals.py. Detection is not a
        # signal: the services that write staff texts call promises.services.detect_later.
        task_completed.connect(services.on_task_completed, dispatch_uid="promises.task_completed")

    def nav_items(self, viewer) -> list[dict]:
        if not viewer.is_staff:
            return []
        return [{"url": reverse("my_promises"), "label": _("My promises")}]  # numbers: linked there

    def project_links(self, viewer, project) -> list[dict]:
        return [{"url": reverse("project_promises", args=[project.pk]), "label": _("Promises")}]
