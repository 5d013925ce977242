"""Helpers for tests that run real `kabinet` processes against a file database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TASKS_BACKEND")}
    env.update(
        DJANGO_SETTINGS_MODULE="kabinet.settings_test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        KABINET_VAR_DIR=str(tmp_path),
        TASKS_BACKEND="database",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def kabinet(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kabinet.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        **kwargs,
    )


def start(args: list[str], env: dict[str, str], log: Path | None = None) -> subprocess.Popen:
    """A `kabinet` child in its own process group. Output goes to a file: a full pipe would
    block the child in the middle of a transaction and stall every other process."""
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, "-m", "kabinet.cli", *args],
        env=env,
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def query(tmp_path: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(tmp_path / "db.sqlite3", timeout=20) as db:
        return db.execute(sql, params).fetchall()


def wait_for(predicate, timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except sqlite3.OperationalError:
            pass  # table not there yet / locked
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
