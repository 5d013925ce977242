"""One way to call a service: every public function of every `kabinet.<app>.services` module takes
keyword arguments only (`publish_report(*, viewer, project, ...)`), so a call names who acts."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import kabinet

NOT_KEYWORD_ONLY = (
    inspect.Parameter.POSITIONAL_ONLY,
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
    inspect.Parameter.VAR_POSITIONAL,
)


def service_modules():
    for app in pkgutil.iter_modules(kabinet.__path__):
        name = f"kabinet.{app.name}.services"
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def positional_parameters(module) -> list[str]:
    found = []
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or function.__module__ != module.__name__:
            continue  # private helpers, and names a module only imports
        params = inspect.signature(function).parameters.values()
        bad = [p.name for p in params if p.kind in NOT_KEYWORD_ONLY]
        if bad:
            found.append(f"{module.__name__}.{name}({', '.join(bad)})")
    return found


def test_every_public_service_function_takes_keyword_arguments_only():
    modules = list(service_modules())
    assert {m.__name__ for m in modules} >= {
        "kabinet.core.services",
        "kabinet.health.services",
        "kabinet.timeline.services",
        "kabinet.work.services",
    }
    offenders = [entry for module in modules for entry in positional_parameters(module)]
    assert offenders == [], "make these parameters keyword-only (`*,` first): " + "; ".join(
        offenders
    )


def test_the_check_catches_a_positional_parameter():
    import types

    module = types.ModuleType("kabinet.example.services")

    def create_thing(viewer, *, title):
        return None

    def _helper(value):
        return value

    create_thing.__module__ = _helper.__module__ = module.__name__
    module.create_thing, module._helper = create_thing, _helper
    assert positional_parameters(module) == ["kabinet.example.services.create_thing(viewer)"]
