"""The REST API, version 1: `/api/v1/` (OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs).

Each app contributes a django-ninja Router as `kabinet/<app>/api.py: router`; it is mounted
under /api/v1/ with the same authentication, rate limits and error shape. The docs page loads
swagger-ui from Kabinet's own static files (``ninja`` is an installed app), never from a CDN.

The unversioned paths of before (`/api/projects`, ...) answer 308 Permanent Redirect to the same
path under `/api/v1/` (308 keeps the method and the body, so a POST is repeated as a POST).
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.http import HttpRequest, HttpResponsePermanentRedirect
from ninja import NinjaAPI

from kabinet.api.auth import AUTH, THROTTLES
from kabinet.api.views import router as core_router
from kabinet.core import errors

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "what went wrong, in one sentence"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "the messages by field name (empty when no field is at fault)",
        },
    },
    "required": ["detail", "fields"],
}
ERRORS = {
    "400": "Invalid input (the schema or the service refused it, fields named), or a body that "
    "cannot be read",
    "401": "No valid token or session",
    "404": "Not found, or not yours to see or do",
    "409": "The thing has moved on (already decided, already done)",
    "429": "Too many requests: wait `Retry-After` seconds",
}


class KabinetAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """The schema, with the one error shape documented on every operation."""
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, text in ERRORS.items():
                    responses.pop(int(code), None)  # a handler's own `dict` error: replaced
                    responses[code] = {"description": text, **ref}
        return schema


api = KabinetAPI(
    title="Kabinet API",
    version="1",
    description=(
        "Everything the pages show, for programs. Authenticate with a personal token "
        "(`Authorization: Bearer kab_…`, created under Settings → API tokens or with "
        "`kabinet tokens create`). Lists are cut into pages: pass `next` back as `cursor`. "
        'Errors: `{"detail": message, "fields": {name: [messages]}}`; what you may not see is 404.'
    ),
    auth=AUTH,
    throttle=THROTTLES,
    urls_namespace="api",
)
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


class PermanentRedirect(HttpResponsePermanentRedirect):
    status_code = 308  # like 301, but the client repeats the same method with the same body


def unversioned(request: HttpRequest, rest: str) -> PermanentRedirect:
    """`/api/<rest>` of before: moved for good to `/api/v1/<rest>`."""
    query = request.META.get("QUERY_STRING", "")
    return PermanentRedirect(f"/api/v1/{rest}" + (f"?{query}" if query else ""))
