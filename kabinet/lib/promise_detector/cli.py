"""Command-line helper, used by the `kabinet promises detect` management command."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from datetime import datetime, time
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

from kabinet.lib.promise_detector.model import DELIVERABLE, DetectedPromise
from kabinet.lib.promise_detector.sentences import detect

if TYPE_CHECKING:
    from kabinet.lib.business_calendar import BusinessCalendar


class DetectInputError(ValueError):
    """Bad command-line input (naive --now, unknown zone, bad time)."""


def _parse_hhmm(value: str, name: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError as exc:
        raise DetectInputError(f"{name} must be a time like 09:00, got {value!r}") from exc


def build_calendar(
    tz: str = "Europe/Moscow", start: str = "09:00", end: str = "18:00", country: str = "RU"
) -> BusinessCalendar:
    """The default business calendar for the command line, with clear errors."""
    from kabinet.lib.business_calendar import BusinessCalendar

    _zone(tz)
    s, e = _parse_hhmm(start, "--start"), _parse_hhmm(end, "--end")
    if s >= e:
        raise DetectInputError("--start must be before --end")
    try:
        return BusinessCalendar(tz=tz, start=s, end=e, country=country or None)
    except (TypeError, ValueError) as exc:  # e.g. an unknown country code
        raise DetectInputError(str(exc)) from exc


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except Exception as exc:  # ZoneInfoNotFoundError, ValueError, IsADirectoryError ...
        raise DetectInputError(
            f"unknown time zone {tz!r} (use an IANA name such as 'Europe/Moscow')"
        ) from exc


def parse_now(value: str | None, tz: str) -> datetime:
    """--now as an aware datetime (default: the current instant)."""
    zone = _zone(tz)
    if value is None:
        return datetime.now(zone)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise DetectInputError(f"--now must be ISO-8601 with an offset, got {value!r}") from exc
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise DetectInputError(
            f"--now must include a UTC offset (e.g. 2026-11-26T10:00:00+03:00), got {value!r}"
        )
    return parsed.astimezone(zone)


# One message per line: a long e-mail fits, a pasted 10 MB blob is refused with a clear message.
MAX_LINE_CHARS = 20_000
MAX_INPUT_CHARS = 1_000_000


def read_messages(stream: Iterable[str]) -> list[str]:
    """The lines of ``stream`` (one message each), refused with a clear error when they are not
    messages: no text at all, a line over ``MAX_LINE_CHARS``, more than ``MAX_INPUT_CHARS`` in
    all, binary data, or bytes that are not UTF-8. Never reads more than the limits allow."""
    readline = getattr(stream, "readline", None)
    lines: list[str] = []
    total = 0
    iterator = iter(stream) if readline is None else None
    number = 0
    while True:
        try:
            if readline is not None:
                raw = readline(MAX_LINE_CHARS + 2)
                if raw == "":
                    break
            else:
                try:
                    raw = next(iterator)  # type: ignore[arg-type]
                except StopIteration:
                    break
        except UnicodeDecodeError as exc:
            raise DetectInputError(
                f"line {number + 1}: the input is not UTF-8 text ({exc.reason}); "
                "save the messages as UTF-8 and try again"
            ) from exc
        number += 1
        text = raw.rstrip("\r\n")
        if len(text) > MAX_LINE_CHARS:
            raise DetectInputError(
                f"line {number} is longer than {MAX_LINE_CHARS:,} characters: give one message "
                "per line (a message this long is not read for promises)"
            )
        if any("\ud800" <= ch <= "\udfff" for ch in text):  # undecodable bytes, escaped
            raise DetectInputError(
                f"line {number}: the input is not UTF-8 text; save the messages as UTF-8 and try again"
            )
        if "\x00" in text:
            raise DetectInputError(f"line {number} contains binary data (a NUL byte): give text")
        total += len(text)
        if total > MAX_INPUT_CHARS:
            raise DetectInputError(
                f"the input is larger than {MAX_INPUT_CHARS:,} characters: split it into smaller runs"
            )
        if readline is not None and not raw.endswith("\n") and len(raw) > MAX_LINE_CHARS:
            continue  # pragma: no cover - refused above
        lines.append(text)
    if not any(line.strip() for line in lines):
        raise DetectInputError(
            "no messages on standard input: give one message per line, e.g. "
            'echo "Пришлю отчёт завтра" | kabinet promises detect'
        )
    return lines


def _as_json(p: DetectedPromise) -> dict[str, object]:
    item: dict[str, object] = {"quote": p.quote, "due": p.due.isoformat() if p.due else None}
    if p.owner:
        item["owner"] = p.owner
    if p.condition:
        item["condition"] = p.condition
    if p.kind != DELIVERABLE:
        item["kind"] = p.kind
    if p.warnings:
        item["warnings"] = list(p.warnings)
    return item


def detect_lines(
    lines: Iterable[str],
    now: str | None = None,
    tz: str = "Europe/Moscow",
    start: str = "09:00",
    end: str = "18:00",
    country: str = "RU",
    lang: str | None = None,
) -> list[dict[str, object]]:
    """One result object per input line: ``{"text", "promises": [{"quote", "due", …}]}``.

    A promise has ``owner`` when the text names who promises, ``condition`` when it depends on
    the client, ``kind: "outcome"`` for a promised result, ``warnings: ["day_off"]`` when its
    date is not a business day.
    """
    moment = parse_now(now, tz)
    cal = build_calendar(tz, start, end, country)
    return [
        {"text": text, "promises": [_as_json(p) for p in detect(text, moment, cal, lang)]}
        for text in read_messages(lines)
    ]


def add_detect_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `kabinet promises detect` (shared by the management command and tests)."""
    parser.add_argument(
        "--now",
        default=None,
        help="the moment the messages were written, ISO-8601 with a UTC offset "
        "(default: the current time)",
    )
    parser.add_argument("--tz", default="Europe/Moscow", help="IANA time zone of the agency")
    parser.add_argument("--start", default="09:00", help="opening of the working day (HH:MM)")
    parser.add_argument("--end", default="18:00", help="closing of the working day (HH:MM)")
    parser.add_argument(
        "--country", default="RU", help="ISO country code for public holidays ('' for none)"
    )
    parser.add_argument("--lang", choices=("ru", "en"), default=None, help="force a language")
    parser.add_argument("--json", action="store_true", help="print a JSON array")


def run_detect(options: dict[str, Any], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Read one message per line from ``stdin``, print the promises found; return an exit code."""
    try:
        results = detect_lines(
            stdin,
            now=options.get("now"),
            tz=options.get("tz") or "Europe/Moscow",
            start=options.get("start") or "09:00",
            end=options.get("end") or "18:00",
            country=options.get("country", "RU"),
            lang=options.get("lang"),
        )
    except DetectInputError as exc:
        stderr.write(f"error: {exc}\n")
        return 2
    if options.get("json"):
        stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        return 0
    for item in results:
        stdout.write(f"{item['text']}\n")
        for p in item["promises"]:  # type: ignore[attr-defined]
            extra = "".join(
                f"  [{key}: {p[key]}]"
                for key in ("owner", "condition", "kind", "warnings")
                if key in p
            )
            stdout.write(f"  → {p['due']}  «{p['quote']}»{extra}\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m kabinet.lib.promise_detector --now ... --json < messages.txt``."""
    parser = argparse.ArgumentParser(prog="promises detect", description=__doc__)
    add_detect_arguments(parser)
    args = parser.parse_args(argv)
    return run_detect(vars(args), sys.stdin, sys.stdout, sys.stderr)
