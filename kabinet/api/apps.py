from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kabinet.api"
    label = "api"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_save

        from kabinet.api.tokens import on_user_saved

        post_save.connect(
            on_user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="api.user_saved"
        )
