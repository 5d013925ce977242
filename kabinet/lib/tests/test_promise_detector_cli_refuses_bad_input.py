"""`kabinet promises detect` refuses input that is not messages, with a clear message and exit 2."""

from __future__ import annotations

import io

from kabinet.lib.promise_detector import run_detect
from kabinet.lib.promise_detector.cli import MAX_INPUT_CHARS, MAX_LINE_CHARS

NOW = "2026-12-02T10:00:00+03:00"


def run(stdin: io.TextIOBase) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_detect({"json": True, "now": NOW}, stdin, out, err)
    return code, out.getvalue(), err.getvalue()


def test_empty_input_is_refused() -> None:
    code, out, err = run(io.StringIO(""))
    assert code == 2 and out == ""
    assert "no messages on standard input" in err


def test_blank_lines_only_are_refused() -> None:
    code, _, err = run(io.StringIO("\n \n\n"))
    assert code == 2 and "no messages" in err


def test_a_line_longer_than_a_message_is_refused_without_reading_it_all() -> None:
    stream = io.StringIO("Пришлю отчёт завтра. " * (MAX_LINE_CHARS // 10))
    code, out, err = run(stream)
    assert code == 2 and out == ""
    assert f"line 1 is longer than {MAX_LINE_CHARS:,} characters" in err
    assert stream.tell() <= (MAX_LINE_CHARS + 2) * 4  # read up to the limit, not the whole line


def test_too_much_input_in_all_is_refused() -> None:
    line = "x" * (MAX_LINE_CHARS - 1) + "\n"
    code, _, err = run(io.StringIO(line * (MAX_INPUT_CHARS // MAX_LINE_CHARS + 2)))
    assert code == 2 and f"larger than {MAX_INPUT_CHARS:,} characters" in err


def test_bytes_that_are_not_utf8_are_refused() -> None:
    stream = io.TextIOWrapper(io.BytesIO(b"\xff\xfe broken\n"), encoding="utf-8")
    code, _, err = run(stream)
    assert code == 2 and "not UTF-8" in err


def test_binary_data_is_refused() -> None:
    code, _, err = run(io.StringIO("Пришлю\x00отчёт\n"))
    assert code == 2 and "binary data" in err


def test_a_good_message_still_works_and_says_who_and_on_what_condition() -> None:
    code, out, _ = run(
        io.StringIO("Сергей подготовит отчёт к пятнице, если вы согласуете макеты.\n")
    )
    assert code == 0
    assert '"owner": "Сергей"' in out and '"condition": "если вы согласуете макеты"' in out
