"""Titles Kabinet writes itself, stored as a key plus parameters and rendered in the reader's language.

A chronology title such as «Ответ: Почему упал трафик?» is not stored as Russian text: the event
keeps ``title_key="answer"`` and ``title_params={"subject": "Почему упал трафик?"}``, and
``Event.shown_title`` renders it with the language active for the reader (the page's, the
e-mail's, the API caller's). ``Event.title`` still holds the text in the client company's language,
for full-text search and for anything that reads the raw column.

Parameters are the words people typed (a subject, a task title, what was promised) and numbers or
dates already written in a language-neutral form («03.12 13:00»), so only the frame is translated.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

TITLES: dict[str, str] = {
    # promises
    "promise_made": gettext_noop("Promise: %(what)s by %(due)s"),
    "promise_kept": gettext_noop("Promise kept: %(what)s"),
    "promise_delivered": gettext_noop("Promise kept: %(what)s — delivered in «%(evidence)s»"),
    "promise_moved": gettext_noop("Promise moved: %(what)s — now by %(due)s"),
    "promise_broken": gettext_noop("Promise not kept on time: %(what)s (was due %(due)s)"),
    # questions
    "answer": gettext_noop("Answer: %(subject)s"),
    "follow_up": gettext_noop("Follow-up: %(subject)s"),
    "still_questions": gettext_noop("Still have questions: %(subject)s"),
    "question_resolved": gettext_noop("Question resolved: %(subject)s"),
    "answer_rated": gettext_noop("Answer rated %(rating)s/5: %(subject)s"),
    "internal_note": gettext_noop("Internal note on: %(subject)s"),
    # work and planning
    "deadline_moved": gettext_noop("Deadline moved: %(title)s"),
    "task_done": gettext_noop("Done: %(title)s"),
    "new_deadline": gettext_noop("New deadline: %(title)s"),
    # decisions on a recommendation
    "approved": gettext_noop("Approved: %(title)s"),
    "declined": gettext_noop("Declined: %(title)s"),
    "commented": gettext_noop("Comment on: %(title)s"),
}


def render(key: str, params: Mapping[str, object] | None, language: str | None = None) -> str:
    """The title in `language` (default: the active one). An unknown key renders its parameters."""
    template = TITLES.get(key)
    params = dict(params or {})
    if template is None:
        return " ".join(str(v) for v in params.values())
    if language is None:
        return gettext(template) % params
    with translation.override(language):
        return gettext(template) % params


def stored(key: str, params: Mapping[str, object], language: str | None) -> str:
    """The text kept in `Event.title` (the client company's language), cut to the column's size."""
    return render(key, params, language or "ru")[:300]
