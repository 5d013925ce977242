from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "kabinet.work"
    label = "work"
    verbose_name = _("Work control")

    def ready(self) -> None:
        from kabinet.core import tasks as core_tasks
        from kabinet.work import (
            rules,  # noqa: F401  (registers the built-in evaluators)
            tasks,
        )
        from kabinet.work.periodic import register_periodic

        register_periodic("work.rules", timedelta(minutes=15), tasks.run_rules, pass_slot=True)
        register_periodic("work.recurring", timedelta(hours=1), tasks.generate_recurring, pass_slot=True)
        # E-mail retries of core notifications (core has no periodic hook of its own).
        register_periodic("core.retry_failed_emails", timedelta(minutes=5), core_tasks.retry_failed_emails)

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
            links.append({"url": reverse("work:recurrences", args=[project.pk]), "label": _("Recurring work")})
        return links
