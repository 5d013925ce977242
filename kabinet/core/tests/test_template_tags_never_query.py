"""Template tags and filters only format what the view already read: no module under
``templatetags/`` reaches the database (no models, selectors, scoping, ``.objects`` or cursor),
and the pages that used to query from a tag get their panels from selectors instead."""

from __future__ import annotations

import ast
from pathlib import Path

import kabinet

PACKAGE = Path(kabinet.__file__).resolve().parent
DATABASE_MODULES = (".models", ".selectors", ".scoping", "django.db")


def _database_reaches(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found += [m for m in modules if m.endswith(DATABASE_MODULES) or m.startswith("django.db")]
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "cursor", "raw"):
            found.append(f".{node.attr} (line {node.lineno})")
    return found


def test_no_template_tag_module_reaches_the_database():
    offenders = {
        str(path.relative_to(PACKAGE)): reaches
        for path in sorted(PACKAGE.glob("*/templatetags/*.py"))
        if (reaches := _database_reaches(path))
    }
    assert offenders == {}


def test_the_check_sees_a_tag_that_queries(tmp_path):
    sample = tmp_path / "tags.py"
    sample.write_text("from kabinet.promises import selectors\nx = Task.objects.all()\n")
    assert _database_reaches(sample) == ["kabinet.promises.selectors", ".objects (line 2)"]


def test_the_project_page_still_shows_its_side_panels(login, sergey, project):
    page = login(sergey).get(f"/projects/{project.pk}/")
    assert page.status_code == 200
    assert 'data-testid="questions-panel"' in page.content.decode()
