from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "kabinet.questions"
    label = "questions"
    verbose_name = _("Client questions")

    def ready(self) -> None:
        # Periodic SLA warnings and the "question_waiting" rule plug into the work app when it
        # provides them; without it the app still works (call services.check_sla).
        try:
            from kabinet.work.periodic import register_periodic
        except ImportError:
            pass
        else:
            from kabinet.questions.tasks import check_sla

            register_periodic("questions.sla_warnings", timedelta(minutes=10), check_sla, pass_slot=True)
        try:
            import kabinet.questions.rules  # noqa: F401  (registers the evaluator)
        except ImportError:
            pass

    def nav_items(self, viewer) -> list[dict]:
        # The numbers page is linked from the desk, to keep the top bar short.
        if viewer.is_staff:
            return [{"url": reverse("questions:desk"), "label": _("Questions")}]
        return []

    def project_links(self, viewer, project) -> list[dict]:
        return [{"url": reverse("questions:project", args=[project.pk]), "label": _("Questions")}]
