from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kabinet.api"
    label = "api"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_save

        from kabinet.api import webhooks
        from kabinet.api.tokens import on_user_saved
        from kabinet.core.signals import task_completed
        from kabinet.timeline.models import Event

        post_save.connect(
            on_user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="api.user_saved"
        )
        post_save.connect(webhooks.on_event_saved, sender=Event, dispatch_uid="api.event_webhooks")
        task_completed.connect(webhooks.on_task_completed, dispatch_uid="api.task_webhooks")
