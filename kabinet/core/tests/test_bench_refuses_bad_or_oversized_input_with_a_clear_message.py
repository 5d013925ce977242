"""`kabinet bench` refuses bad or oversized input with one clear line and a non-zero exit: a
missing, empty, binary, non-UTF-8 or too large file, a folder where a file belongs, numbers out of
range, scenarios larger than the bench plans, and a database that is not migrated. Files are read
with a size cap, never whole."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from kabinet.benchmarks import inputs


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("bench", *args)
    return str(caught.value)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n")
    (tmp_path / "words.txt").write_text("1 2 three\n")
    (tmp_path / "latin1.txt").write_bytes("délai 1 2\n".encode("latin-1"))
    (tmp_path / "binary.txt").write_bytes(b"1 2\x00 3\n")
    (tmp_path / "negative.txt").write_text("1 -2 3\n")
    (tmp_path / "opt.txt").write_text("3\n")
    (tmp_path / "wt3.txt").write_text("3 2 4\n1 5 2\n2 2 9\n")
    (tmp_path / "folder").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("instances", "message"),
    [
        ("missing.txt", "does not exist"),
        ("empty.txt", "is empty"),
        ("blank.txt", "is empty"),
        ("words.txt", "whitespace-separated integers"),
        ("latin1.txt", "is not UTF-8 text"),
        ("binary.txt", "binary data"),
        ("negative.txt", "not negative"),
        ("folder", "is a folder"),
    ],
)
def test_a_bad_instances_file_is_refused(files, instances, message) -> None:
    text = refused(
        "priority", "--instances", str(files / instances), "--optimal", str(files / "opt.txt")
    )
    assert message in text


def test_instances_that_do_not_match_the_optimal_values_are_refused(files) -> None:
    (files / "two.txt").write_text("3\n4\n")
    text = refused(
        "priority", "--instances", str(files / "wt3.txt"), "--optimal", str(files / "two.txt")
    )
    assert "cannot hold 2 instances" in text


def test_an_orlib_folder_without_orlib_files_is_refused(files) -> None:
    assert "does not exist" in refused("priority", "--suite", "--orlib-dir", str(files / "nope"))
    assert "neither wt40.txt nor wt50.txt" in refused(
        "priority", "--suite", "--orlib-dir", str(files / "folder")
    )
    (files / "folder" / "wt40.txt").write_text("1 1 1\n")
    assert "wtopt40.txt is missing" in refused(
        "priority", "--suite", "--orlib-dir", str(files / "folder")
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"{not json", "is not JSON"),
        (b'{"scenarios": [{"people": 2}]}', '{"scenarios"'),
        (b'["a list"]', '{"scenarios"'),
    ],
)
def test_a_bad_best_known_file_is_refused_before_any_planning(tmp_path, content, message) -> None:
    path = tmp_path / "best.json"
    path.write_bytes(content)
    assert message in refused(
        "agency", "--sizes", "2x10", "--seeds", "0", "--best-known", str(path)
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("agency", "--sizes", "5x10000000"), "larger than the bench plans"),
        (("agency", "--sizes", ",".join(["2x10"] * 21)), "at most 20 sizes"),
        (("agency", "--effort", "0"), "above 0"),
        (("agency", "--effort", "nan"), "above 0"),
        (("priority", "--time-limit", "-1"), "above 0"),
        (("priority", "--n100", "1000000"), "from 0 to 1,000"),
        (("promises", "--repeat", "0"), "from 1 to 1,000"),
        (("promises", "--repeat", "999999999"), "from 1 to 1,000"),
        (("indexing", "--repeat", "many"), "not a whole number"),
        (("pages", "--repeat", "0"), "from 1 to 1,000"),
        (("api", "--sizes", "1,2,3,4,5,6"), "at most 5 numbers"),
        (("api", "--sizes", "10000000"), "from 1 to 100,000"),
        (("load", "--workers", "0"), "from 1 to 64"),
        (("load", "--max-requests", "0"), "from 1 to 10,000,000"),
    ],
)
def test_numbers_out_of_range_are_refused(args, message) -> None:
    assert message in refused(*args)


def test_an_output_path_that_is_a_folder_is_refused(tmp_path) -> None:
    assert "is a folder" in refused("promises", "--out", str(tmp_path))


def test_a_file_is_read_with_a_cap_not_whole(tmp_path, monkeypatch) -> None:
    """A 10 MB single line is refused after reading the cap plus one byte."""
    big = tmp_path / "one-line.txt"
    big.write_bytes(b"7" * (10 * 1024 * 1024))
    asked: list[int] = []
    real_open = pathlib.Path.open

    def counting_open(self, *args, **kwargs):
        handle = real_open(self, *args, **kwargs)
        real_read = handle.read

        def read(size=-1):
            asked.append(size)
            return real_read(size)

        handle.read = read
        return handle

    monkeypatch.setattr(pathlib.Path, "open", counting_open)
    with pytest.raises(inputs.BenchInputError, match="larger than 1 MB"):
        inputs.read_text(big, "--instances", max_bytes=1024 * 1024)
    assert asked == [1024 * 1024 + 1]


def test_the_command_line_gets_one_line_and_a_non_zero_exit_never_a_traceback(tmp_path) -> None:
    big = tmp_path / "one-line.txt"
    big.write_bytes(b"7" * (10 * 1024 * 1024))
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "KABINET_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    runs = {
        "larger than 8 MB": ["priority", "--instances", str(big), "--optimal", str(big)],
        "from 1 to 1,000": ["promises", "--repeat", "0"],
        "not migrated": ["pages", "--repeat", "1", "--out", str(tmp_path / "p.json")],
    }
    for message, args in runs.items():
        done = subprocess.run(
            [sys.executable, "-m", "kabinet.cli", "bench", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode != 0, args
        assert "Traceback" not in done.stderr, done.stderr
        assert message in done.stderr
