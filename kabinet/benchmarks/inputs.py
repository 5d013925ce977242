"""What the benchmark suites accept on their command line, refused with a clear message otherwise.

Numbers go through ``count``/``number`` (argparse types: a wrong value is a usage error, exit 2);
files through ``read_text``, which never reads more than its cap: a missing path, a folder, an
empty file, a file over the cap, bytes that are not UTF-8 or binary data are refused with
``BenchInputError`` (a ``SystemExit`` carrying the message: ``kabinet bench`` turns it into a
one-line error and exit 1, ``python -m kabinet.benchmarks.*`` prints it and exits 1).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

# Input files of the suites are small (OR-Library wt100 is 0.5 MB, best-known.json a few KB).
MAX_INPUT_BYTES = 8 * 1024 * 1024


class BenchInputError(SystemExit):
    """Bad input to a benchmark: the message says what and how to fix it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def count(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer between ``low`` and ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"give a number from {low} to {high:,}, not {value}")
        return value

    parse.__name__ = "count"
    return parse


def number(low: float, high: float, *, low_inclusive: bool = True) -> Callable[[str], float]:
    """An argparse type: a finite number in ``[low, high]`` (``(low, high]`` if not inclusive)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        too_low = value < low if low_inclusive else value <= low
        if value != value or too_low or value > high:  # NaN, out of range
            bound = "from" if low_inclusive else "above"
            raise argparse.ArgumentTypeError(f"give a number {bound} {low} to {high}, not {text}")
        return value

    parse.__name__ = "number"
    return parse


def count_list(low: int, high: int, most: int) -> Callable[[str], list[int]]:
    """An argparse type: ``"1000,10000"``, at most ``most`` numbers, each in ``[low, high]``."""
    one = count(low, high)

    def parse(text: str) -> list[int]:
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if not parts:
            raise argparse.ArgumentTypeError("give at least one number, e.g. 1000,10000")
        if len(parts) > most:
            raise argparse.ArgumentTypeError(f"give at most {most} numbers, not {len(parts)}")
        return [one(p) for p in parts]

    parse.__name__ = "count list"
    return parse


def output_file(text: str) -> str:
    """An argparse type: a file to write (not a folder, in a folder that is not a file)."""
    path = Path(text)
    if not text.strip():
        raise argparse.ArgumentTypeError("give a file name")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder: give a file name")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise argparse.ArgumentTypeError(f"{parent} is a file, not a folder")
            break
    return text


def read_text(path: str | os.PathLike[str], what: str, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """The UTF-8 text of the file at ``path``, reading at most ``max_bytes`` + 1 bytes."""
    p = Path(path)
    if not p.exists():
        raise BenchInputError(f"{what}: {p} does not exist")
    if p.is_dir():
        raise BenchInputError(f"{what}: {p} is a folder, give a file")
    try:
        with p.open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise BenchInputError(f"{what}: cannot read {p} ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise BenchInputError(
            f"{what}: {p} is larger than {max_bytes // (1024 * 1024)} MB; is it the right file?"
        )
    if b"\x00" in data:
        raise BenchInputError(f"{what}: {p} holds binary data, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BenchInputError(
            f"{what}: {p} is not UTF-8 text (byte {exc.start}: {exc.reason})"
        ) from None
    if not text.strip():
        raise BenchInputError(f"{what}: {p} is empty")
    return text
