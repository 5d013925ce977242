"""`kabinet bench priority` says whether the numba kernels or the plain-Python path ran, and the
plain-Python path is what runs (correctly) where numba cannot be imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# Two OR-Library instances with n=3 (p, w, d each) and their optimal values.
INSTANCES = "3 2 4\n1 5 2\n2 2 9\n1 1 1 1 1 1 9 9 9\n"
OPTIMAL = "3\n0\n"

BENCH = """
import sys
if {block_numba}:
    sys.modules["numba"] = None  # what a machine without numba looks like: the import fails
from kabinet.benchmarks.priority import main
raise SystemExit(main(sys.argv[1:]))
"""


def _bench(tmp_path, *, block_numba: bool) -> dict:
    (tmp_path / "wt3.txt").write_text(INSTANCES)
    (tmp_path / "wtopt3.txt").write_text(OPTIMAL)
    args = ["--instances", str(tmp_path / "wt3.txt"), "--optimal", str(tmp_path / "wtopt3.txt")]
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            BENCH.format(block_numba=block_numba),
            *args,
            "--time-limit",
            "0.2",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_without_numba_the_plain_python_kernels_run_and_the_bench_says_so(tmp_path):
    report = _bench(tmp_path, block_numba=True)

    assert report["engine"] == "python"
    assert [i["objective"] for i in report["instances"]] == [3, 0]


def test_with_numba_the_bench_says_the_compiled_kernels_ran(tmp_path):
    report = _bench(tmp_path, block_numba=False)

    assert report["engine"] == "numba"
    assert [i["objective"] for i in report["instances"]] == [3, 0]
