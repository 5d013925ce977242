"""`kabinet backup PATH` / `kabinet restore PATH`: the database, uploaded files and search index
in one tar file.

- SQLite: the online backup API (a consistent copy while the site runs); the FTS5 search table
  travels inside the file, and restore rebuilds it if it does not cover every event.
- PostgreSQL: `pg_dump --format=custom` / `pg_restore --clean --if-exists --no-owner`; the
  search index is an expression index, rebuilt by pg_restore itself.
- Uploads: every file under MEDIA_ROOT (local storage; with S3 the bucket keeps its own copies).

The archive: `manifest.json` (vendor, time, counts), `database.sqlite3` or `database.pgdump`,
and `media/…`.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


def _pg_args_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return [*args, "-d", str(db["NAME"])], env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools.")
    return found


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def backup(path: Path) -> dict[str, Any]:
    """Write the archive to `path`. Returns the manifest."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise BackupError(f"{path} is a folder: give a file name, e.g. {path}/kabinet.tar")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as tmp:
        if vendor == "sqlite":
            database = Path(tmp) / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(database)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif vendor == "postgresql":
            database = Path(tmp) / "database.pgdump"
            args, env = _pg_args_env()
            run = subprocess.run(
                [_tool("pg_dump"), "--format=custom", "--no-owner", "-f", str(database), *args],
                env=env,
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                raise BackupError(f"pg_dump failed: {run.stderr.strip()}")
        else:
            raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
        media = _media_root()
        files = [p for p in media.rglob("*") if p.is_file()] if media.is_dir() else []
        manifest = {
            "format": FORMAT,
            "vendor": vendor,
            "created_at": timezone.now().isoformat(),
            "files": len(files),
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(database, arcname=database.name)
            for file in files:
                archive.add(file, arcname=f"media/{file.relative_to(media).as_posix()}")
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        partial.replace(path)  # never a half-written archive under the real name
    return manifest


def _database_is_empty() -> bool:
    from kabinet.core.models import Agency

    try:
        return not Agency.objects.exists()
    except Exception:  # no tables yet: empty
        return True


def restore(path: Path, *, replace: bool = False) -> dict[str, Any]:
    """Restore the archive at `path` into the configured database and MEDIA_ROOT."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    if not replace and not _database_is_empty():
        raise BackupError(
            "The database already holds data: restore replaces all of it only with --replace."
        )
    try:
        archive = tarfile.open(path, "r")
    except tarfile.TarError as exc:
        raise BackupError(f"{path} is not a Kabinet backup ({exc}).") from exc
    with archive, tempfile.TemporaryDirectory() as tmp:
        try:
            manifest = json.load(archive.extractfile("manifest.json"))
        except (KeyError, ValueError) as exc:
            raise BackupError(f"{path} is not a Kabinet backup (no manifest).") from exc
        if manifest.get("vendor") != connection.vendor:
            raise BackupError(
                f"This backup is of a {manifest.get('vendor')} database; the configured "
                f"database is {connection.vendor}."
            )
        archive.extractall(tmp, filter="data")
        if connection.vendor == "sqlite":
            source = sqlite3.connect(Path(tmp) / "database.sqlite3")
            connection.ensure_connection()
            try:
                source.backup(connection.connection)
            finally:
                source.close()
            _rebuild_sqlite_search_if_needed()
        else:
            connection.close()
            args, env = _pg_args_env()
            run = subprocess.run(
                [
                    _tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *args,
                    str(Path(tmp) / "database.pgdump"),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                raise BackupError(f"pg_restore failed: {run.stderr.strip()}")
        media_src = Path(tmp) / "media"
        if media_src.is_dir():
            shutil.copytree(media_src, _media_root(), dirs_exist_ok=True)
    # What was cached of the data replaced (rendered KPI cards, search answers) is not its truth.
    cache.clear()
    return manifest


def _rebuild_sqlite_search_if_needed() -> None:
    from kabinet.timeline import search
    from kabinet.timeline.models import Event

    if search.FTS_TABLE not in connection.introspection.table_names():
        return  # a backup of a database never migrated: no index to rebuild
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE}")
        indexed = cursor.fetchone()[0]
    if indexed != Event.objects.count():
        search.reindex()
