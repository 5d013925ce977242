"""Outside DEBUG the app refuses to start without a real SECRET_KEY and passes check --deploy."""

from __future__ import annotations

import os
import subprocess
import sys


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "SECURE_SSL_REDIRECT",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "TASKS_BACKEND",
            "MEDIA_ROOT",
        }
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "kabinet.cli", *args],
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
    )


def test_without_a_secret_key_outside_debug_the_app_refuses_to_start():
    result = run("check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_an_insecure_placeholder_key_is_refused_too():
    result = run("check", SECRET_KEY="django-insecure-abc")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_check_deploy():
    result = run(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 20 + "-a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="kabinet.example",
        DEBUG="0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
