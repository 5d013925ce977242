"""Optimistic concurrency: one mechanism for everything two people may edit at once.

A row two people may edit (a task, a promise, the head's settings, a digest draft) carries a
``version`` integer. A form renders it in a hidden ``version`` input (``VersionField``); the API
hands it out as an ``ETag`` and as ``version`` in the body. The service that saves locks the row
(``select_for_update``), compares the version the person was looking at with the stored one
(``check``) and, when they differ, raises ``EditConflict``: nothing is written, and the error
carries the stored values (what is saved now, by whom and when) so that the page can show them
next to what the person typed. A save that goes through adds one to the version (``bump``).

A decision that can be taken once (a deadline or reassignment proposal) needs no number: its
state is its version, and deciding it twice is the same ``EditConflict`` with the first decision.

Pages: ``conflict_context`` builds the panel of ``core/_conflict.html`` ("what you entered" /
"what is saved now"), and ``rebound`` re-binds the form with everything typed kept and the hidden
version moved on, so saving again is a choice made with the saved values in view. Status 409.

API: ``expected_version(request, sent)`` reads ``If-Match`` (an ETag ``"<version>"``) or a
``version`` field; a stale ``If-Match`` is answered 412, a stale ``version`` 409, both with the
current ``version`` and the saved values (``kabinet.core.errors.install``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kabinet.core.errors import Conflict

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kabinet.core.models import User

VERSION_FIELD = "version"


class EditConflict(Conflict):
    """Someone else changed (or decided) the row since the person loaded it; nothing was written.

    `saved` is what is stored now as ``{field name: (label, shown value)}``; `version` the stored
    version to save over it deliberately; `by` / `at` who saved it last and when (if known).
    """

    def __init__(
        self,
        message: str,
        *,
        saved: Mapping[str, tuple[str, str]] | None = None,
        version: int | None = None,
        by: str = "",
        at: datetime | None = None,
        code: str = "stale",
    ) -> None:
        super().__init__(message, code=code)
        self.saved = dict(saved or {})
        self.version = version
        self.by = by
        self.at = at


class VersionField(forms.IntegerField):
    """The hidden version a form was rendered from (absent: the caller does not check)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(**kwargs)


def who(user: User | None) -> str:
    if user is None:
        return _("Kabinet")
    return user.full_name or user.email


def last_saved(obj: Any) -> tuple[str, datetime | None]:
    """Who last changed `obj` and when, from the audit trail (every service writes it)."""
    from kabinet.core.models import AuditEntry

    entry = (
        AuditEntry.objects.filter(
            agency_id=getattr(obj, "agency_id", None) or getattr(obj, "pk", None),
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
        )
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    if entry is None:
        return "", None
    return who(entry.actor), entry.at


def stale_message(by: str, at: datetime | None) -> str:
    if by and at is not None:
        return _(
            "While you were editing, %(who)s saved this (%(when)s). Nothing you entered was "
            "saved: compare it with the saved version below and save again."
        ) % {"who": by, "when": formats.date_format(timezone.localtime(at), "d.m.Y H:i")}
    return _(
        "While you were editing, someone else saved this. Nothing you entered was saved: "
        "compare it with the saved version below and save again."
    )


def check(
    current: Any,
    seen: int | None,
    *,
    saved: Callable[[], Mapping[str, tuple[str, str]]] | None = None,
    by: str | None = None,
    at: datetime | None = None,
) -> None:
    """Refuse to write over `current` (locked by the caller) when it moved past version `seen`.

    `seen` None means the caller did not say which version it saw (a system job, an old API
    client): it is not checked. `saved()` describes the stored values for the conflict panel
    (called only on a conflict).
    """
    if seen is None or current.version == seen:
        return
    if by is None:
        by, at = last_saved(current)
    raise EditConflict(
        stale_message(by, at),
        saved=saved() if saved is not None else None,
        version=current.version,
        by=by,
        at=at or None,
    )


def bump(instance: Any) -> list[str]:
    """Add one to the version of `instance` (locked by the caller); the fields to save."""
    instance.version = (instance.version or 0) + 1
    return [VERSION_FIELD]


# --------------------------------------------------------------------------- pages


def _entered(form: forms.Form, name: str) -> str:
    field = form.fields.get(name)
    if field is None:
        return ""
    bound = form[name]
    value = bound.value()
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        values = {str(v) for v in (value or [])}
        labels = [str(label) for key, label in field.choices if str(key) in values]
        return ", ".join(labels) or "—"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        for key, label in field.choices:
            if str(key) == str(value if value is not None else ""):
                return str(label) if str(key) else "—"
        return str(value or "—")
    if isinstance(field, forms.BooleanField):
        return str(_("yes") if value else _("no"))
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        value = value.strftime("%Y-%m-%d %H:%M")
    return str(value).replace("T", " ") if isinstance(field, forms.DateTimeField) else str(value)


def conflict_context(exc: EditConflict, form: forms.Form | None = None) -> dict:
    """The conflict panel: the message, who saved when, and per field what the person entered
    next to what is saved now (rows whose values are the same are marked so)."""
    rows = []
    for name, (label, saved_value) in exc.saved.items():
        entered = _entered(form, name) if form is not None and name in form.fields else None
        rows.append(
            {
                "name": name,
                "label": label,
                "entered": entered,
                "saved": saved_value if saved_value not in (None, "") else "—",
                "differs": entered is not None and entered != saved_value,
            }
        )
    return {
        "messages": exc.messages,
        "rows": rows,
        "by": exc.by,
        "at": exc.at,
        "resubmit": form is not None and exc.version is not None,
    }


def rebound(form_class: type[forms.Form], data: Any, exc: EditConflict, **kwargs: Any):
    """`form_class` bound to what the person typed, its hidden version moved to the stored one
    (``<prefix>-version`` for a prefixed form, one of several on a page)."""
    data = data.copy()
    if exc.version is not None:
        prefix = kwargs.get("prefix")
        data[f"{prefix}-{VERSION_FIELD}" if prefix else VERSION_FIELD] = str(exc.version)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


# --------------------------------------------------------------------------- API


def etag(version: int) -> str:
    return f'"{version}"'


IF_MATCH_USED = "_kabinet_if_match"


def expected_version(request: HttpRequest, sent: int | None = None) -> int | None:
    """The version an API client saw: ``If-Match: "<version>"`` (a stale one answers 412) or a
    ``version`` field in the body (409). None when it sent neither (not checked)."""
    header = (request.headers.get("If-Match") or "").strip()
    if header and header != "*":
        tag = header.split(",")[0].strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        tag = tag.strip('"')
        if not tag.isdigit() or len(tag) > 10:
            setattr(request, IF_MATCH_USED, True)
            return -1  # matches no version: 412
        setattr(request, IF_MATCH_USED, True)
        return int(tag)
    return sent
