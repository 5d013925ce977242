from __future__ import annotations

from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "kabinet.promises"
    label = "promises"
