"""Every page carries a Content-Security-Policy that allows only Kabinet's own scripts and styles."""

from __future__ import annotations

from django.urls import reverse


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1]
        for part in header.split(";")
        if " " in part.strip()
    }


def test_the_login_page_allows_only_its_own_scripts_styles_and_images(client):
    directives = policy(client.get(reverse("login")))

    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_a_signed_in_page_has_no_inline_or_eval_escape_hatch(login, sergey, project):
    response = login(sergey).get(reverse("project", args=[project.pk]))

    assert response.status_code == 200
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


def test_no_page_template_carries_an_inline_script_style_or_handler():
    """The browser test proves the pages clean; this one names the template that is not."""
    import re
    from pathlib import Path

    import kabinet

    root = Path(kabinet.__file__).parent
    offenders = []
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\sstyle=\"|\son[a-z]+=\""
    )
    for template in root.rglob("templates/**/*.html"):
        if "/email/" in template.as_posix():  # e-mails are not served under the page policy
            continue
        if inline.search(template.read_text(encoding="utf-8")):
            offenders.append(template.relative_to(root).as_posix())
    assert offenders == []
