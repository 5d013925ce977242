"""`kabinet promises detect`, run as an operator runs it: empty input, a 10 MB single line and bytes
that are not UTF-8 are refused with one clear line and exit 2, never a traceback
or exit 0. (Blank lines, binary data, the total size and how little of a long line is read are
tested on the reader itself in kabinet/lib/tests/test_promise_detector_cli_refuses_bad_input.py.)"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

TEN_MB_LINE = b"x" * (10 * 1024 * 1024)


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (b"", "no messages on standard input"),
        (TEN_MB_LINE, "line 1 is longer than 20,000 characters"),
        ("Пришлю отчёт".encode("cp1251") + b"\n", "not UTF-8 text"),
    ],
    ids=["empty", "10MB-line", "cp1251"],
)
def test_bad_input_is_refused_with_exit_2(stdin, message) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    env["DEBUG"] = "0"  # as in production: the command signs nothing, so needs no secret
    done = subprocess.run(
        [sys.executable, "-m", "kabinet.cli", "promises", "detect", "--json"],
        input=stdin,
        env=env,
        capture_output=True,
        timeout=300,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, err
    assert "Traceback" not in err
    assert message in err
    assert done.stdout == b""
