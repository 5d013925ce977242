from __future__ import annotations

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "kabinet.questions"
    label = "questions"
    verbose_name = _("Client questions")

    def ready(self) -> None:
        from kabinet.questions import rules  # noqa: F401  (registers the question_waiting evaluator)

    def nav_items(self, viewer) -> list[dict]:
        # The numbers page is linked from the desk, to keep the top bar short.
        if viewer.is_staff:
            return [{"url": reverse("questions:desk"), "label": _("Questions")}]
        return []

    def project_links(self, viewer, project) -> list[dict]:
        return [{"url": reverse("questions:project", args=[project.pk]), "label": _("Questions")}]
