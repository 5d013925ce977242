"""How much text one field may hold: the one table every form, service and API schema uses.

A request can only make a worker spin if it can hand it unbounded text. So every text a person
types has a maximum length here; forms refuse more with the field's own message (the form comes
back with the text kept), services refuse it with a ``ValidationError`` naming the field (the API
answers 400 with the field named), and the API schemas declare the same maximum.

The search index and the promise detector read at most ``INDEXED_CHARS`` of a text anyway
(``kabinet.timeline.search``), so even text written before these limits stays cheap.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# One line: titles, subjects, names (the model columns are this long).
TITLE = 300
NAME = 200
# A document: a report, a plan, a recommendation, meeting notes (≈ 60 printed pages).
DOCUMENT = 100_000
# A message: a question, an answer, a client's message, a task's description.
MESSAGE = 20_000
# A note: a reason, a comment, a quote, a client's expectation in their words.
NOTE = 4_000

# The largest id a database row can have (a signed 64-bit integer): a longer number is no id.
MAX_ID = 2**63 - 1

# Dates a person may type: anything outside is a slip (0001-01-01, 9999-12-31), and would
# overflow the moment a time zone or a number of business days is added to it.
EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(2099, 12, 31)

# Control characters (C0, DEL and the line/paragraph separators): never in a one-line field,
# because one-line fields end up in e-mail subjects and headers.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def too_long(field_label: str, limit: int, length: int) -> str:
    return _("%(field)s is too long: %(length)s characters, at most %(limit)s.") % {
        "field": field_label,
        "length": f"{length:,}".replace(",", " "),
        "limit": f"{limit:,}".replace(",", " "),
    }


def check_length(field: str, value: str | None, limit: int, label: str | None = None) -> None:
    """Refuse `value` longer than `limit` with a message naming the field."""
    if value is not None and len(value) > limit:
        raise ValidationError({field: too_long(label or field, limit, len(value))}, code="max")


def single_line(field: str, value: str | None, label: str | None = None) -> str:
    """A one-line text (a subject, a title): refused if it holds a line break or a NUL."""
    value = value or ""
    if _CONTROL.search(value.strip()):
        raise ValidationError(
            {
                field: _("%(field)s must be one line: no line breaks or control characters.")
                % {"field": label or field}
            },
            code="control",
        )
    return value.strip()


def has_control_characters(value: str | None) -> bool:
    return bool(_CONTROL.search(value or ""))


def one_line(value: str | None) -> str:
    """`value` made safe for a header: control characters become spaces, runs of space one."""
    return " ".join(_CONTROL.sub(" ", value or "").split())


def as_id(value) -> int | None:
    """`value` as a row id, or None when it is not one (not a number, or out of any id's range)."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def ids(raw: str) -> list[int]:
    """The ids in a comma-separated text; anything that is not an id is left out."""
    return [n for n in (as_id(part) for part in (raw or "").split(",")[:1000]) if n is not None]


def date_out_of_range(value: date | datetime | None) -> str:
    """The message for a date outside EARLIEST_DATE..LATEST_DATE, or "" when it is inside."""
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return ""
    return _("Give a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
    }


def check_date(field: str, value: date | datetime | None) -> None:
    """Refuse a date outside the range a person may type, naming the field."""
    message = date_out_of_range(value)
    if message:
        raise ValidationError({field: message}, code="date_range")
