"""A domain error that escapes a view called by htmx answers with the message alone: htmx swaps
a 409 into the part of the page it targets (base.html's htmx-config), and a whole page with its
header inside a card would be a page in the page. A plain request still gets the error page."""

from __future__ import annotations

from django.test import RequestFactory
from django.urls import resolve

from kabinet.core.errors import Conflict, ErrorMiddleware


def _failed(*, htmx: bool):
    request = RequestFactory().post("/work/", HTTP_HX_REQUEST="true" if htmx else None)
    request.resolver_match = resolve("/work/")  # a Kabinet view
    request.htmx = htmx  # what django-htmx's middleware sets
    middleware = ErrorMiddleware(lambda r: None)
    return middleware.process_exception(request, Conflict("Someone decided it a moment ago."))


def test_an_htmx_request_gets_the_message_alone_with_409(db):
    response = _failed(htmx=True)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone decided it a moment ago." in html
    assert 'role="alert"' in html
    assert "<html" not in html and "<nav" not in html


def test_a_plain_request_still_gets_the_error_page(db):
    response = _failed(htmx=False)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone decided it a moment ago." in html and "<html" in html
