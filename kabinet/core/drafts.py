"""Drafts of long texts: saved on the server while they are typed, so a closed tab loses nothing.

A form that holds a long text (the report composer of a project, the answer in a question thread)
is marked with ``autosave(form, viewer=…, kind=…, pk=…)``: its long fields post themselves (htmx,
two seconds after the last key) to ``/drafts/<kind>/<pk>/``. The draft is the person's own, one
per person and form (``Draft``, unique on user + key); the object it belongs to is resolved
through the scoping layer first, so a draft of something the viewer may not see is a 404.
``restore`` gives the saved fields as the form's initial values when it is opened again;
``discard_draft`` empties the draft once the form was submitted successfully, and remembers a
digest of the sent text for a minute: the autosave the browser fires as the send button is
clicked may reach the server after the send, and must not bring the sent text back as a draft.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kabinet.core import limits

if TYPE_CHECKING:
    from django import forms

    from kabinet.core.scoping import Viewer


@dataclass(frozen=True)
class DraftKind:
    fields: tuple[str, ...]
    # (viewer, pk) -> the object, or a 404 (Http404 / PermissionDenied) when the viewer may not
    # write this form: the access rule is the form's own, from the scoping layer.
    resolve: Callable[[Viewer, int], Any]


def _composer(viewer: Viewer, pk: int):
    from kabinet.core.scoping import staff_project_or_404

    return staff_project_or_404(viewer, pk)


def _answer(viewer: Viewer, pk: int):
    from kabinet.questions.selectors import thread_or_404

    return thread_or_404(viewer, pk)


KINDS: dict[str, DraftKind] = {
    # The project's composer: a report, a plan, a recommendation (staff).
    "composer": DraftKind(fields=("title", "body"), resolve=_composer),
    # The reply in a question thread: the agency's answer, or the client's message.
    "answer": DraftKind(fields=("body",), resolve=_answer),
}

# A draft field may hold as much as the longest text a form takes (a document).
MAX_CHARS = limits.DOCUMENT
# How long after a send an autosave of the very text sent is taken for the send's own echo.
SENT_ECHO = timedelta(minutes=1)


def key_for(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def _digest(fields: dict[str, str]) -> str:
    """The same text gives the same digest whatever the surrounding white space."""
    normal = {name: value.strip() for name, value in fields.items()}
    return hashlib.sha256(json.dumps(normal, sort_keys=True).encode()).hexdigest()


def _kind(kind: str) -> DraftKind:
    from django.http import Http404

    try:
        return KINDS[kind]
    except KeyError:
        raise Http404 from None


def save_draft(*, viewer: Viewer, kind: str, pk: int, data: Any) -> Any:
    """Keep what the viewer has typed so far in form `kind` of object `pk` (their own draft)."""
    from kabinet.core.models import Draft

    spec = _kind(kind)
    spec.resolve(viewer, pk)
    fields = {name: str(data.get(name, "")) for name in spec.fields if name in data}
    for name, value in fields.items():
        limits.check_length(name, value, MAX_CHARS)
    key = key_for(kind, pk)
    now = timezone.now()
    if not any(v.strip() for v in fields.values()):
        Draft.objects.filter(user=viewer.user, key=key).delete()
        return None
    if Draft.objects.filter(
        user=viewer.user, key=key, sent_digest=_digest(fields), updated_at__gte=now - SENT_ECHO
    ).exists():
        return None  # the echo of a send: that text is sent, not a draft
    updated = Draft.objects.filter(user=viewer.user, key=key).update(
        fields=fields, updated_at=now, sent_digest=""
    )
    if not updated:
        try:
            with transaction.atomic():
                Draft.objects.create(
                    agency=viewer.agency, user=viewer.user, key=key, fields=fields, updated_at=now
                )
        except IntegrityError:  # two saves of a new draft at once: the later text wins
            Draft.objects.filter(user=viewer.user, key=key).update(fields=fields, updated_at=now)
    return Draft.objects.get(user=viewer.user, key=key)


def restore(*, viewer: Viewer, kind: str, pk: int) -> dict[str, str]:
    """The fields of the viewer's draft of form `kind` of `pk` (empty when there is none)."""
    from kabinet.core.models import Draft

    draft = Draft.objects.filter(
        user=viewer.user, agency=viewer.agency, key=key_for(kind, pk)
    ).first()
    if draft is None or not draft.fields:
        return {}
    allowed = _kind(kind).fields
    return {k: v for k, v in (draft.fields or {}).items() if k in allowed}


def discard_draft(*, viewer: Viewer, kind: str, pk: int, sent: Any) -> None:
    """The form was sent with the data `sent`: its draft is no longer needed. The row stays,
    empty, with the sent text's digest, so that a late autosave of that text is not kept."""
    from kabinet.core.models import Draft

    fields = {name: str(sent.get(name, "")) for name in _kind(kind).fields if name in sent}
    Draft.objects.update_or_create(
        user=viewer.user,
        key=key_for(kind, pk),
        defaults={
            "agency": viewer.agency,
            "fields": {},
            "updated_at": timezone.now(),
            "sent_digest": _digest(fields),
        },
    )


def autosave(form: forms.Form, *, kind: str, pk: int) -> str:
    """Make the long fields of `form` save themselves as a draft while typed; returns the id of
    the element that says "draft saved" (render ``core/_draft_status.html`` with it)."""
    url = reverse("draft", args=[kind, pk])
    status = f"draft-status-{kind}-{pk}"
    fields = [name for name in _kind(kind).fields if name in form.fields]
    include = ", ".join(f"#{form[name].auto_id}" for name in fields)
    for name in fields:
        form.fields[name].widget.attrs.update(
            {
                "hx-post": url,
                "hx-trigger": "keyup changed delay:2s, change",
                "hx-include": include,
                "hx-target": f"#{status}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
    return status
