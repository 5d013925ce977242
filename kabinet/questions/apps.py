from __future__ import annotations

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _terms_changed(sender, agency_id: int, **kwargs) -> None:
    """The calendar or a project's tier changed: the open threads' stored SLA due times follow."""
    from kabinet.questions.services import store_sla_of_open_threads

    store_sla_of_open_threads(agency_id=agency_id)


class QuestionsConfig(AppConfig):
    name = "kabinet.questions"
    label = "questions"
    verbose_name = _("Client questions")

    def ready(self) -> None:
        from kabinet.core.signals import agency_terms_changed
        from kabinet.questions import rules  # noqa: F401  (registers the question_waiting evaluator)

        agency_terms_changed.connect(_terms_changed, dispatch_uid="questions.agency_terms_changed")

    def nav_items(self, viewer) -> list[dict]:
        # The numbers page is linked from the desk, to keep the top bar short.
        if viewer.is_staff:
            return [{"url": reverse("questions:desk"), "label": _("Questions")}]
        return []

    def project_links(self, viewer, project) -> list[dict]:
        return [{"url": reverse("questions:project", args=[project.pk]), "label": _("Questions")}]
