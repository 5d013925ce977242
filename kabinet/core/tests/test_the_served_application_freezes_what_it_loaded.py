"""The WSGI and ASGI applications, once loaded, freeze what is alive out of the garbage
collector's reach (`gc.freeze`): a full collection then scans only what requests allocate
instead of pausing a request for the whole of Django and the planner's kernels."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kabinet.jobs.testing import ROOT

PROBE = "import gc, importlib; importlib.import_module({module!r}); print(gc.get_freeze_count())"


@pytest.mark.parametrize("module", ["kabinet.wsgi", "kabinet.asgi"])
def test_loading_the_application_freezes_what_is_loaded(module):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kabinet.settings_test"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip().splitlines()[-1]) > 10_000  # Django alone is far more
