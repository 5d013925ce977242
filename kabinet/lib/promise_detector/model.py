"""What the detector returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

DELIVERABLE = "deliverable"
OUTCOME = "outcome"
DAY_OFF = "day_off"


@dataclass(frozen=True)
class DetectedPromise:
    """One promise found in a text.

    ``quote`` is the clause as written (``start``/``end`` are its offsets in the text), ``due``
    the due instant (None only for an outcome promised without a time), ``rule`` the time rule
    used. ``owner`` is the person the text names as promising (a third-person promise such as
    «Сергей подготовит отчёт к пятнице»), None when the writer promises. ``condition`` is the
    client's condition the promise depends on («если вы согласуете макеты до среды»), as
    written. ``kind`` is "deliverable" (something the agency will hand over) or "outcome" (a
    promised result such as "we'll double your leads": an expectation risk, not a task).
    ``warnings`` holds "day_off" when the due date is not a business day: the date stays the one
    the client was given, and the writer is warned.
    """

    quote: str
    due: datetime | None
    start: int
    end: int
    rule: str
    owner: str | None = None
    condition: str | None = None
    kind: str = DELIVERABLE
    warnings: tuple[str, ...] = ()
