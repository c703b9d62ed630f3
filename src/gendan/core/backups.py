"""One file holds everything gendan keeps: the database and the uploaded files.

A backup is a tar archive: ``gendan-backup.json`` (the manifest) first, then the database
(PostgreSQL: ``pg_dump`` in its custom format; SQLite: a copy made with SQLite's online backup
API, consistent while gendan serves), then ``media/`` (MEDIA_ROOT). The database is dumped
before the files are copied, so every file the database names is in the archive.
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
from contextlib import closing
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MANIFEST = "gendan-backup.json"
FORMAT = "gendan-backup"
FORMAT_VERSION = 1
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}

NOT_A_BACKUP = _("%(file)s is not a gendan backup (it holds no gendan manifest).")
NEWER_FORMAT = _("%(file)s was written by a newer gendan (backup format %(version)s).")
OTHER_VENDOR = _("%(file)s holds a %(backup)s database; this gendan runs on %(target)s.")
NOT_EMPTY = _(
    "The database already holds tables: restore into an empty database, or pass --force "
    "to replace what it holds."
)
TOOL_FAILED = _("%(tool)s failed: %(error)s")
NOT_INSTALLED = _("%(tool)s is not installed (Debian package postgresql-client).")
OTHER_ENGINE = _("gendan backs up PostgreSQL and SQLite databases, not %(engine)s.")


class BackupRefused(Exception):
    """A backup that cannot be written or restored; the message says why."""


def database_settings(alias: str = "default") -> dict[str, Any]:
    return connections[alias].settings_dict


def backup_write(
    path: Path, *, database: dict[str, Any] | None = None, media_root: Path | None = None
) -> dict[str, Any]:
    """Write the backup to ``path`` (through a partial file, so a failed run leaves none);
    readable by its owner only, as it holds every password hash."""
    database = database or database_settings()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    vendor = database_vendor(database)
    partial = path.with_name(path.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(dir=path.parent) as work:
            dump = Path(work) / DUMPS[vendor]
            (pg_dump if vendor == "postgresql" else sqlite_copy)(database, dump)
            manifest = manifest_for(vendor)
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
                os.chmod(partial, 0o600)
                member_add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                archive.add(dump, arcname=dump.name)
                if media_root.is_dir():
                    archive.add(media_root, arcname="media")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    return manifest


def manifest_for(vendor: str) -> dict[str, Any]:
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION, "database": vendor,
        "created_at": timezone.now().isoformat(), "gendan_version": gendan_version(),
    }  # fmt: skip


def gendan_version() -> str:
    try:
        return metadata.version("gendan")
    except metadata.PackageNotFoundError:
        return "unknown"


def member_add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(content), int(timezone.now().timestamp()), 0o600
    archive.addfile(info, io.BytesIO(content))


def backup_restore(
    path: Path,
    *,
    database: dict[str, Any] | None = None,
    media_root: Path | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Restore a backup into an empty database (any database with ``force``), then add its
    files to MEDIA_ROOT. Refuses a file that is not a gendan backup before touching anything."""
    database = database or database_settings()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    vendor = database_vendor(database)
    with backup_open(path) as archive:
        manifest = manifest_check(path, archive, vendor)
        if not force and database_tables(database):
            raise BackupRefused(str(NOT_EMPTY))
        with tempfile.TemporaryDirectory() as work:
            archive.extract(DUMPS[vendor], work, filter="data")
            dump = Path(work) / DUMPS[vendor]
            (pg_restore if vendor == "postgresql" else sqlite_restore)(database, dump, force)
        media_extract(archive, media_root)
    return manifest


def backup_open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:")
    except (tarfile.TarError, OSError) as error:
        raise BackupRefused(str(NOT_A_BACKUP % {"file": path})) from error


def manifest_check(path: Path, archive: tarfile.TarFile, vendor: str) -> dict[str, Any]:
    """The manifest, if this is a backup this gendan can restore here."""
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
        known = manifest["format"] == FORMAT and int(manifest["format_version"]) > 0
        archive.getmember(DUMPS[manifest["database"]])
    except (KeyError, TypeError, ValueError, tarfile.TarError) as error:
        raise BackupRefused(str(NOT_A_BACKUP % {"file": path})) from error
    if not known:
        raise BackupRefused(str(NOT_A_BACKUP % {"file": path}))
    if int(manifest["format_version"]) > FORMAT_VERSION:
        raise BackupRefused(
            str(NEWER_FORMAT % {"file": path, "version": manifest["format_version"]})
        )
    if manifest["database"] != vendor:
        names = {"file": path, "backup": manifest["database"], "target": vendor}
        raise BackupRefused(str(OTHER_VENDOR % names))
    return manifest


def media_extract(archive: tarfile.TarFile, media_root: Path) -> None:
    """The backup's files into MEDIA_ROOT, replacing files of the same name. The "data" filter
    refuses absolute paths, ``..`` and links that lead outside."""
    members = []
    for member in archive.getmembers():
        if member.name.startswith("media/"):
            members.append(member.replace(name=member.name.removeprefix("media/")))
    media_root.mkdir(parents=True, exist_ok=True)
    archive.extractall(media_root, members=members, filter="data")


def database_vendor(database: dict[str, Any]) -> str:
    engine = database["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupRefused(str(OTHER_ENGINE % {"engine": engine}))


def database_tables(database: dict[str, Any]) -> list[str]:
    if database_vendor(database) == "sqlite":
        with closing(sqlite_connect(database)) as db:
            rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return [name for (name,) in rows]
    with psycopg.connect(**libpq_params(database)) as db:
        rows = db.execute(
            "SELECT tablename FROM pg_tables"
            " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
    return [name for (name,) in rows]


# SQLite: the online backup API copies a database page by page while others go on using it.


def sqlite_connect(database: dict[str, Any]) -> sqlite3.Connection:
    name = str(database["NAME"])
    # The test suite's database lives in memory, shared by name within the process.
    return sqlite3.connect(name, uri=name.startswith("file:"))


def sqlite_copy(database: dict[str, Any], dump: Path) -> None:
    with closing(sqlite_connect(database)) as source, closing(sqlite3.connect(dump)) as copy:
        source.backup(copy)


def sqlite_restore(database: dict[str, Any], dump: Path, force: bool) -> None:
    """Copy the backup over the database, page by page (every table it held is replaced)."""
    for alias in connections:
        if connections[alias].settings_dict["NAME"] == database["NAME"]:
            connections[alias].close()
    with closing(sqlite3.connect(dump)) as source, closing(sqlite_connect(database)) as target:
        source.backup(target)


# PostgreSQL: pg_dump and pg_restore, given the connection through libpq's environment.


def libpq_params(database: dict[str, Any]) -> dict[str, str]:
    params = {
        "host": database.get("HOST") or "", "port": str(database.get("PORT") or ""),
        "user": database.get("USER") or "", "password": database.get("PASSWORD") or "",
        "dbname": database["NAME"],
    }  # fmt: skip
    options = database.get("OPTIONS", {})
    params |= {key: str(options[key]) for key in ("sslmode", "options") if key in options}
    return {key: value for key, value in params.items() if value}


LIBPQ_ENVIRONMENT = {
    "host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD",
    "dbname": "PGDATABASE", "sslmode": "PGSSLMODE", "options": "PGOPTIONS",
}  # fmt: skip


def pg_environment(database: dict[str, Any]) -> dict[str, str]:
    params = libpq_params(database)
    return os.environ | {LIBPQ_ENVIRONMENT[key]: value for key, value in params.items()}


def pg_dump(database: dict[str, Any], dump: Path) -> None:
    pg_run(["pg_dump", "--format=custom", f"--file={dump}"], database)


def pg_restore(database: dict[str, Any], dump: Path, force: bool) -> None:
    """Into the database named, in one transaction: all of it or nothing. The restoring role
    owns what it creates; the application role's rights come from its default privileges
    (README, *Running in production*)."""
    command = ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction"]
    command += ["--exit-on-error", f"--dbname={database['NAME']}"]
    if force:
        command += ["--clean", "--if-exists"]
    pg_run([*command, str(dump)], database)


def pg_run(command: list[str], database: dict[str, Any]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupRefused(str(NOT_INSTALLED % {"tool": command[0]}))
    done = subprocess.run(
        command, env=pg_environment(database), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupRefused(str(TOOL_FAILED % {"tool": command[0], "error": done.stderr.strip()}))
