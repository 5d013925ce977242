from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelineConfig(AppConfig):
    name = "kabinet.timeline"
    label = "timeline"
    verbose_name = _("Chronology")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from kabinet.timeline import notices
        from kabinet.timeline.models import Event

        # The people an event concerns are told once its transaction commits.
        post_save.connect(notices.on_event_saved, sender=Event, dispatch_uid="timeline.notices")
