"""What the detector returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DetectedPromise:
    """One promise found in a text: the clause as written, its due instant and the rule used."""

    quote: str
    due: datetime
    start: int
    end: int
    rule: str
