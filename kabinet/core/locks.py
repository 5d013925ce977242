"""Installation-wide exclusive locks for commands that must not run twice at once.

PostgreSQL: a session advisory lock (every process on every machine sharing the database sees
it). SQLite: an advisory file lock (fcntl.flock) beside the database file — SQLite is one machine.
"""

from __future__ import annotations

import fcntl
import hashlib
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection


def _lock_file(name: str) -> Path:
    database = str(connection.settings_dict["NAME"])
    path = Path(database)
    if database.startswith("file:") or ":memory:" in database or not path.parent.is_dir():
        digest = hashlib.sha256(database.encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"kabinet-{digest}.{name}.lock"
    return path.with_name(f"{path.name}.{name}.lock")


@contextmanager
def exclusive(name: str) -> Iterator[None]:
    """Wait until no other process (or thread) holds `name`, then hold it for the block."""
    if connection.vendor == "postgresql":
        key = zlib.crc32(f"kabinet:{name}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    with open(_lock_file(name), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
