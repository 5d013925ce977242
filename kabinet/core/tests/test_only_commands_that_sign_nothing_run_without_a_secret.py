"""A command that needs no database and signs nothing runs without SECRET_KEY; the web app, the
worker, the scheduler and every other command still refuse to start without one."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kabinet.cli import needs_no_secret

from .test_readme_commands_run_as_written import PROJECT


@pytest.mark.parametrize(
    "args", [["promises", "detect", "--json"], ["i18n", "--check"], ["help"], [], ["--version"]]
)
def test_commands_that_sign_nothing_need_no_secret(args):
    assert needs_no_secret(args)


@pytest.mark.parametrize(
    "args",
    [
        ["migrate"],
        ["runserver"],
        ["worker"],
        ["scheduler"],
        ["run"],
        ["demo"],
        ["check", "--deploy"],
        ["shell"],
    ],
)
def test_every_other_command_still_needs_the_secret(args):
    assert not needs_no_secret(args)


def clean_env(tmp_path) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}


def test_the_web_app_refuses_to_start_without_a_secret(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", "import kabinet.wsgi"],
        cwd=PROJECT,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "SECRET_KEY is not set" in done.stderr


def test_a_database_command_refuses_to_start_without_a_secret(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "kabinet.cli", "migrate"],
        cwd=PROJECT,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "SECRET_KEY is not set" in done.stderr
    assert not (tmp_path / "kabinet.sqlite3").exists()
