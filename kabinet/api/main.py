"""The REST API (OpenAPI schema at /api/openapi.json, docs at /api/docs).

Each app may contribute a django-ninja Router as `kabinet/<app>/api.py: router`; it is mounted
under /api/ with the same authentication.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from ninja import NinjaAPI

from kabinet.api.auth import AUTH
from kabinet.api.views import router as core_router
from kabinet.core import errors

api = NinjaAPI(title="Kabinet API", version="1", auth=AUTH, urls_namespace="api")
errors.install(api)  # domain errors -> 404 / 400 / 409, the same mapping as the pages

api.add_router("/", core_router)
for config in apps.get_app_configs():
    if config.name.startswith("kabinet.") and config.label not in {"api", "core"}:
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.api":
                raise
            continue
        api.add_router("/", module.router)
