"""Views never import another app's views: a page made of several apps' panels is composed
through selectors (e.g. clients.project_page), so each app's views stay its own."""

from __future__ import annotations

import ast
from pathlib import Path

import kabinet

PACKAGE = Path(kabinet.__file__).resolve().parent


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_views_module_imports_the_views_of_another_app():
    offenders = []
    for path in sorted(PACKAGE.glob("*/views.py")) + sorted(PACKAGE.glob("*/views/*.py")):
        app = path.relative_to(PACKAGE).parts[0]
        for name in _imported_modules(path):
            parts = name.split(".")
            if (
                len(parts) >= 3
                and parts[0] == "kabinet"
                and parts[1] != app
                and parts[2] == "views"
            ):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_the_check_sees_a_cross_app_views_import(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text("from kabinet.clients.views import project_page_context\n")
    assert "kabinet.clients.views" in _imported_modules(sample)
