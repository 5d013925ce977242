"""Domain errors, and the one place that maps them to HTTP for the pages and for the API.

Services raise, and only these:

- ``PermissionDenied`` (Django's): the viewer may not do this, or may not see the row. It is a
  **404** everywhere — nobody learns what exists (never a 403, never a 400).
- ``ValidationError`` (Django's): the input is wrong; a dict names the fields. **400**.
- ``Conflict`` (a ``ValidationError``): the input is fine but the state has moved on — already
  decided, already resolved, the plan changed while you were reading. **409**.

Selectors and ``core.scoping`` may raise ``Http404`` / ``DoesNotExist``: also 404.

``status_for`` is the mapping. ``ErrorMiddleware`` applies it to every Kabinet view (an error a
view does not catch becomes a 404 page or a page with the messages); ``install`` applies it to
the django-ninja API (``{"detail": message, "fields": {name: [messages]}}``; a stale edit,
``kabinet.core.concurrency.EditConflict``, adds ``version`` and the ``saved`` values, 412 when
the version of ``If-Match`` is stale); ``onto_form`` puts a service's error onto the form
the user filled (nothing they typed is lost) and returns the status to render it with.
"""

from __future__ import annotations

import math
import sys
from typing import TYPE_CHECKING

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from collections.abc import Callable

    from django import forms
    from ninja import NinjaAPI


class Conflict(ValidationError):
    """The request was understood and valid, but the thing it acts on has moved on."""


NOT_FOUND = 404
INVALID = 400
CONFLICT = 409
PRECONDITION_FAILED = 412


def OUT_OF_RANGE() -> str:  # noqa: N802 (a message, translated when it is shown)
    from django.utils.translation import gettext

    return gettext("A number or a date is out of range.")


def status_for(exc: BaseException) -> int | None:
    """The HTTP status of a domain error; None for anything that is not one (a bug: 500)."""
    if isinstance(exc, PermissionDenied | Http404 | ObjectDoesNotExist):
        return NOT_FOUND
    if isinstance(exc, Conflict):
        return CONFLICT
    if isinstance(exc, ValidationError):
        return INVALID
    if isinstance(exc, OverflowError):
        # A number or a date past what a database or a calendar holds (a 25-digit id, the year
        # 9999 plus a few days) that no form caught: bad input, not a crash.
        return INVALID
    return None


def detail(exc: ValidationError) -> dict[str, list[str]] | list[str]:
    """The messages of a validation error: by field when it has fields, else a list."""
    return exc.message_dict if hasattr(exc, "error_dict") else exc.messages


def onto_form(
    form: forms.Form, exc: ValidationError, *, fields: dict[str, str] | None = None
) -> int:
    """Put a service's ValidationError onto `form` and return the status to render it with.

    A message for a field the form has goes to that field; anything else to the whole form.
    `fields` renames service field names to form field names where they differ.
    """
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            name = (fields or {}).get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
    return status_for(exc) or INVALID


def _is_kabinet_view(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    module = getattr(getattr(match, "func", None), "__module__", "") or ""
    return module.startswith("kabinet.") and not module.startswith("kabinet.api")


class ErrorMiddleware:
    """Turns a domain error that escaped a Kabinet view into its status (admin is left alone)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        status = status_for(exc)
        if status is None or not _is_kabinet_view(request):
            return None
        if status == NOT_FOUND:
            return render(request, "404.html", status=NOT_FOUND)
        messages = exc.messages if isinstance(exc, ValidationError) else []
        if isinstance(exc, OverflowError):
            messages = [OUT_OF_RANGE()]
        # An htmx request swaps the answer into a part of the page (a 409 is swapped in: see
        # base.html's htmx-config): the message alone, not a whole page inside the page.
        template = "core/_error.html" if getattr(request, "htmx", False) else "core/error.html"
        return render(request, template, {"messages_list": messages}, status=status)


def _api_fields(exc: ValidationError) -> tuple[str, dict[str, list[str]]]:
    """A ValidationError as the API's ``detail`` (one sentence) and ``fields`` (by field name)."""
    if hasattr(exc, "error_dict"):
        fields = {name: [str(m) for m in msgs] for name, msgs in exc.message_dict.items()}
        whole = fields.pop(NON_FIELD_ERRORS, [])
        first = whole or next(iter(fields.values()), [])
        return " ".join(first) or str(_("Check the fields named.")), fields
    return " ".join(exc.messages), {}


def _ninja_fields(errors: list[dict]) -> dict[str, list[str]]:
    """django-ninja's (pydantic's) errors by field: ``["body", "payload", "title"]`` -> ``title``."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] == "body":
            loc = loc[2:] or loc[1:]
        elif loc:
            loc = loc[1:]
        fields.setdefault(".".join(loc) or "body", []).append(str(error.get("msg", "")))
    return fields


def install(api: NinjaAPI) -> None:
    """The same mapping for the API, every error as ``{"detail": message, "fields": {...}}``.

    404 ``Not found.``; 400 / 409 with the service's messages by field; 400 too for a body or a
    parameter that does not fit the schema (by field); 400 for a body that cannot be parsed at all;
    401 without valid credentials; 429 with ``Retry-After`` over a rate limit. Never a 500 for input.
    """
    from django.core.validators import ProhibitNullCharactersValidator
    from django.db import DataError
    from django.http.multipartparser import MultiPartParserError
    from django.http.request import RawPostDataException, UnreadablePostError
    from ninja.errors import AuthenticationError, HttpError, Throttled
    from ninja.errors import ValidationError as SchemaError

    def answer(request, status: int, message: str, fields=None) -> HttpResponse:
        body = {"detail": message, "fields": fields or {}}
        return api.create_response(request, body, status=status)

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return answer(request, NOT_FOUND, str(_("Not found.")))

    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        from kabinet.core.concurrency import IF_MATCH_USED, EditConflict, etag

        message, fields = _api_fields(exc)
        if isinstance(exc, EditConflict):
            # Stale: 412 when the client sent If-Match, else 409; with what is stored now. A
            # conflict that is not the version (decided already, out of date) is 409 under a
            # current If-Match too: the precondition held.
            if_match = getattr(request, IF_MATCH_USED, False)
            status = PRECONDITION_FAILED if if_match and exc.code == "stale" else CONFLICT
            body = {
                "detail": message,
                "fields": fields,
                "version": exc.version,
                "saved": {name: value for name, (_label, value) in exc.saved.items()},
                "saved_by": exc.by,
                "saved_at": exc.at.isoformat() if exc.at else None,
            }
            response = api.create_response(request, body, status=status)
            if exc.version is not None:
                response["ETag"] = etag(exc.version)
            return response
        return answer(request, status_for(exc) or INVALID, message, fields)

    def schema_error(request: HttpRequest, exc: SchemaError) -> HttpResponse:
        fields = _ninja_fields(exc.errors)
        names = ", ".join(fields)
        return answer(
            request, INVALID, str(_("Check these fields: %(names)s.") % {"names": names}), fields
        )

    def unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = _("The request body cannot be read: send JSON (Content-Type: application/json).")
        return answer(request, INVALID, str(message), {"body": [str(message)]})

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, Throttled):
            wait = max(1, math.ceil(exc.wait or 1))
            response = answer(
                request, 429, str(_("Too many requests: try again in %(s)d s.") % {"s": wait})
            )
            response["Retry-After"] = str(wait)
            return response
        if isinstance(exc, AuthenticationError):
            message = _("Sign in, or send a valid token: Authorization: Bearer kab_….")
            return answer(request, exc.status_code, str(message))
        if exc.status_code == INVALID:  # django-ninja could not parse the body
            return unreadable(request, exc)
        return answer(request, exc.status_code, str(exc))

    def database_away(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = answer(request, 503, str(AWAY_MESSAGE()))
        response["Retry-After"] = str(RETRY_AFTER)
        return response

    def out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        """A number or date too large for the database (it raises before any query)."""
        return answer(request, INVALID, str(OUT_OF_RANGE()))

    def nul_character(request: HttpRequest, exc: DataError) -> HttpResponse:
        """PostgreSQL refuses the NUL character in text (SQLite stores it): input, not a fault."""
        if "NUL" not in str(exc):
            raise exc
        return answer(request, INVALID, str(ProhibitNullCharactersValidator.message))

    for cls in (Http404, PermissionDenied, ObjectDoesNotExist):
        api.add_exception_handler(cls, not_found)
    api.add_exception_handler(DataError, nul_character)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(SchemaError, schema_error)
    api.add_exception_handler(HttpError, http_error)
    for cls in (MultiPartParserError, UnreadablePostError, RawPostDataException):
        api.add_exception_handler(cls, unreadable)
    api.add_exception_handler(OverflowError, out_of_range)
    for cls in DATABASE_AWAY:
        api.add_exception_handler(cls, database_away)


# --------------------------------------------------------------------------- database away

# The database does not answer (refused, reset, a SQLite file locked past its timeout): every
# request fails fast with a 503 and Retry-After instead of a 500, and works again once it is back
# (each request opens its connection afresh after an error).
DATABASE_AWAY = (OperationalError, InterfaceError)
RETRY_AFTER = 30


def AWAY_MESSAGE() -> str:  # noqa: N802 (a message, translated when it is shown)
    return _("Kabinet cannot reach its database just now. Please try again in a minute.")


def unavailable() -> HttpResponse:
    """The 503 page. Rendered without the request: its context processors would ask the
    database for the user."""
    from django.template import loader

    html = loader.get_template("503.html").render({"retry_after": RETRY_AFTER})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


class DatabaseAwayMiddleware:
    """A view that fails because the database is away answers 503 (see `server_error` for the
    same in any middleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        return unavailable() if isinstance(exc, DATABASE_AWAY) else None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the friendly 500 page, or the 503 page when the database is away (a session
    or user lookup in a middleware failed before any view ran)."""
    from django.views import defaults

    if isinstance(sys.exc_info()[1], DATABASE_AWAY):
        return unavailable()
    return defaults.server_error(request)
