"""Find promises made to a client in text written by agency staff.

"I will send the report by the end of the day" / «Пришлю отчёт до конца дня» — each such
sentence is a promise of the agency. :func:`detect` finds them (Russian and English) and
resolves each one to a due instant in the agency's business calendar. Nothing here creates
anything: callers offer the detected promises to a person for confirmation.

Pure Python, no Django. The resolution rules are documented in ``docs/promise-detection.md``.
"""

from __future__ import annotations

from kabinet.lib.promise_detector.cli import (
    DetectInputError,
    add_detect_arguments,
    build_calendar,
    detect_lines,
    main,
    parse_now,
    run_detect,
)
from kabinet.lib.promise_detector.commitment import guess_language
from kabinet.lib.promise_detector.model import DetectedPromise
from kabinet.lib.promise_detector.sentences import detect

__all__ = [
    "DetectInputError",
    "DetectedPromise",
    "add_detect_arguments",
    "build_calendar",
    "detect",
    "detect_lines",
    "guess_language",
    "main",
    "parse_now",
    "run_detect",
]
