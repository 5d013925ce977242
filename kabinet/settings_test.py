"""Settings for the test suite: the real settings with test-safe defaults."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-for-the-kabinet-suite-not-for-production")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("TASKS_BACKEND", "immediate")
if "MEDIA_ROOT" not in os.environ:
    # Uploads of this test process (and of the processes it starts, which inherit the variable)
    # go to a folder that is only created when a file is written, and removed when the process
    # that chose it exits: a test run leaves no folder behind.
    _media = Path(tempfile.gettempdir()) / f"kabinet-test-media-{os.getpid()}"
    os.environ["MEDIA_ROOT"] = str(_media)
    atexit.register(shutil.rmtree, _media, ignore_errors=True)

from kabinet.settings import *  # noqa: E402,F403
from kabinet.settings import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Fault tests run real workers that mail to files (kabinet.jobs.testing.SlowFileEmailBackend).
EMAIL_BACKEND = os.environ.get(
    "TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("TEST_EMAIL_FILE_PATH", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"].pop("init_command", None)
# Static files come from the finders in tests; no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The API's rate limits stay out of the way of the suite; the rate-limit tests lower them.
API_RATE_TOKEN = API_RATE_IP = "100000/min"
API_RATE_BAD_TOKEN = "100000/min"
