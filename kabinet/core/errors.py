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
the django-ninja API (``{"detail": ...}``); ``onto_form`` puts a service's error onto the form
the user filled (nothing they typed is lost) and returns the status to render it with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

if TYPE_CHECKING:
    from collections.abc import Callable

    from django import forms
    from ninja import NinjaAPI


class Conflict(ValidationError):
    """The request was understood and valid, but the thing it acts on has moved on."""


NOT_FOUND = 404
INVALID = 400
CONFLICT = 409


def status_for(exc: BaseException) -> int | None:
    """The HTTP status of a domain error; None for anything that is not one (a bug: 500)."""
    if isinstance(exc, PermissionDenied | Http404 | ObjectDoesNotExist):
        return NOT_FOUND
    if isinstance(exc, Conflict):
        return CONFLICT
    if isinstance(exc, ValidationError):
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
        return render(request, "core/error.html", {"messages_list": messages}, status=status)


def install(api: NinjaAPI) -> None:
    """The same mapping for the API: 404 ``Not found.``; 400 / 409 with the messages."""

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": "Not found."}, status=NOT_FOUND)

    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        status: Any = status_for(exc)
        return api.create_response(request, {"detail": detail(exc)}, status=status)

    for cls in (Http404, PermissionDenied, ObjectDoesNotExist):
        api.add_exception_handler(cls, not_found)
    api.add_exception_handler(ValidationError, invalid)
