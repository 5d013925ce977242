"""A file is served with the content type Kabinet decides from its name, never the uploader's claim."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kabinet.timeline.models import Kind

from .factories import attachment, event


@pytest.fixture
def report(project, sergey):
    return event(project, kind=Kind.REPORT, title="Отчёт", author=sergey)


def download(client, file):
    return client.get(reverse("attachment", args=[file.pk]))


def test_a_pdf_claimed_as_html_is_served_as_a_pdf(login, marina, report):
    file = attachment(report, name="otchet.pdf", content=b"<script>alert(1)</script>")
    file.content_type = "text/html"
    file.save(update_fields=["content_type"])

    response = download(login(marina), file)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("name", ["page.html", "logo.svg", "feed.xml", "run.js", "noextension"])
def test_a_file_a_browser_could_run_is_served_as_plain_bytes(login, marina, report, name):
    file = attachment(report, name=name, content=b"<svg onload=alert(1)>")

    response = download(login(marina), file)

    assert response["Content-Type"] == "application/octet-stream"


def test_a_spreadsheet_keeps_its_own_type_whatever_was_claimed(login, marina, report):
    file = attachment(report, name="kpi.xlsx", content=b"PK\x03\x04")
    file.content_type = "image/svg+xml"
    file.save(update_fields=["content_type"])

    response = download(login(marina), file)

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
