"""Uploads written under the test settings go to a folder that disappears with the process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

WRITE_AN_UPLOAD = """
import django
django.setup()
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
name = default_storage.save("report.txt", ContentFile(b"x"))
print(settings.MEDIA_ROOT)
print((settings.MEDIA_ROOT / name).exists() if hasattr(settings.MEDIA_ROOT, "exists") else "")
"""


def test_the_media_folder_of_a_test_process_is_gone_when_it_exits():
    env = {k: v for k, v in os.environ.items() if k != "MEDIA_ROOT"}
    env["DJANGO_SETTINGS_MODULE"] = "kabinet.settings_test"
    done = subprocess.run(
        [sys.executable, "-c", WRITE_AN_UPLOAD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    media_root, written = done.stdout.split()
    assert Path(media_root).name.startswith("kabinet-test-media-")
    assert written == "True"  # the upload really was on disk while the process ran
    assert not Path(media_root).exists()
