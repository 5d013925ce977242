"""Two schemas of the same name become one component of the OpenAPI document, and one of them
is then described wrongly (two `Status` enumerations once did this): every schema and enumeration
the API modules define has a name of its own."""

from __future__ import annotations

import importlib
from enum import Enum
from typing import get_args

from django.apps import apps
from ninja import Schema

from kabinet.api.main import api


def api_modules():
    names = ["kabinet.api.schemas", "kabinet.api.views"]
    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError:
            continue
        names.append(f"{config.name}.api")
    return [importlib.import_module(n) for n in names if n.startswith("kabinet.")]


def enums_in(annotation) -> set[type]:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return {annotation}
    found = set()
    for arg in get_args(annotation):
        found |= enums_in(arg)
    return found


def test_no_two_api_schemas_share_a_name():
    """Schemas, and the enumerations their fields use, by name."""
    used: set[type] = set()
    for module in api_modules():
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Schema) and obj is not Schema:
                used.add(obj)
                for field in obj.model_fields.values():
                    used |= enums_in(field.annotation)
    seen: dict[str, set[str]] = {}
    for cls in used:
        seen.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    assert {n: s for n, s in seen.items() if len(s) > 1} == {}


def test_the_check_sees_the_modules_of_every_app():
    names = {m.__name__ for m in api_modules()}
    assert {"kabinet.work.api", "kabinet.promises.api", "kabinet.planning.api"} <= names
    assert "TaskStatus" in api.get_openapi_schema()["components"]["schemas"]
