from __future__ import annotations

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "kabinet.work"
    label = "work"
    verbose_name = _("Work control")

    def ready(self) -> None:
        from kabinet.work import rules  # noqa: F401  (registers the built-in evaluators)

    def nav_items(self, viewer) -> list[dict]:
        if viewer is None:
            return []
        # Specialists work from the computed queue (planning); playbooks and rules are linked
        # from the board, so the top bar stays short.
        if not viewer.is_manager:
            return []
        return [{"url": reverse("work:board"), "label": _("Tasks")}]

    def project_links(self, viewer, project) -> list[dict]:
        if viewer is None:
            return []
        links = [{"url": reverse("work:project_tasks", args=[project.pk]), "label": _("Tasks")}]
        if viewer.is_staff:
            links.append(
                {
                    "url": reverse("work:recurrences", args=[project.pk]),
                    "label": _("Recurring work"),
                }
            )
        return links
