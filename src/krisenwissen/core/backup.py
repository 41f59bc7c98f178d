"""Backup and restore of a whole installation: the database and every uploaded file.

``krisenwissen backup DIR`` (:func:`create_backup`) writes a consistent snapshot of the
database while the server keeps running, then copies the uploaded files, then the manifest
(:mod:`krisenwissen.core.backupfiles`):

- SQLite: the online backup API of SQLite (pages copied under a read transaction, so writers
  of the running server neither block the backup for long nor make it inconsistent);
- PostgreSQL: ``pg_dump --format=custom`` (one repeatable-read snapshot).

The database comes first: a file uploaded while the backup runs may then be in the backup
without its row (harmless), never a row without its file unless the file was deleted meanwhile.

``krisenwissen backup verify DIR`` (:func:`verify_backup`) checks every size and SHA-256 sum
and whether the database file (``PRAGMA integrity_check``) or dump (``pg_restore --list``) is
readable. ``krisenwissen restore DIR`` (:func:`restore_backup`) verifies first and writes into
an empty installation only (no tables, no uploaded files) unless ``force`` is given.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

import krisenwissen

from .backupfiles import (
    FORMAT_NAME,
    FORMAT_VERSION,
    BackupError,
    copy_roots,
    entry_for,
    read_manifest,
    regular_files,
    restore_roots,
    verify_files,
    write_manifest,
)

logger = logging.getLogger("krisenwissen.backup")

SQLITE_FILE = "database.sqlite3"
PG_DUMP_FILE = "database.pgdump"
PG_TIMEOUT_SECONDS = 6 * 3600


def file_roots() -> dict[str, Path]:
    """The directories holding user data, by the name they have in a backup.

    Only uploads (``MEDIA_ROOT``) hold user data below ``KRISENWISSEN_DATA_DIR``; the static
    files are rebuilt by ``collectstatic`` and the SQLite database is saved on its own.
    """
    return {"media": Path(settings.MEDIA_ROOT)}


def _vendor(alias: str = DEFAULT_DB_ALIAS) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Datenbanksystem {vendor!r} wird von der Sicherung nicht unterstützt.")
    return vendor


def applied_migrations(alias: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[alias]).applied_migrations():
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


# --- PostgreSQL client programs ----------------------------------------------------------------


def pg_program(name: str) -> str:
    """``pg_dump``/``pg_restore`` from ``KRISENWISSEN_PG_BINDIR`` or the PATH."""
    bindir = getattr(settings, "KRISENWISSEN_PG_BINDIR", "")
    found = str(Path(bindir) / name) if bindir else shutil.which(name)
    if not found or not Path(found).exists():
        raise BackupError(f"{name} nicht gefunden (Debian: apt-get install postgresql-client; "
                          "oder KRISENWISSEN_PG_BINDIR setzen).")
    return found


def _pg_env(alias: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    db = connections[alias].settings_dict
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                          ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if db.get(key):
            env[variable] = str(db[key])
    if (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    return env


def _run_pg(args: list[str], *, alias: str = DEFAULT_DB_ALIAS) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=_pg_env(alias), capture_output=True, text=True, timeout=PG_TIMEOUT_SECONDS)


# --- backup ------------------------------------------------------------------------------------


def _dump_database(target: Path, vendor: str, alias: str) -> str:
    if vendor == "sqlite":
        connection = connections[alias]
        connection.ensure_connection()
        destination = sqlite3.connect(target / SQLITE_FILE)
        try:
            connection.connection.backup(destination)
            # A self-contained file: no -wal/-shm files appear beside it when it is read.
            destination.execute("PRAGMA journal_mode=DELETE")
        finally:
            destination.close()
        return SQLITE_FILE
    completed = _run_pg([pg_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                         "--file", str(target / PG_DUMP_FILE)], alias=alias)
    if completed.returncode != 0:
        raise BackupError(f"pg_dump ist fehlgeschlagen: {completed.stderr.strip()}")
    return PG_DUMP_FILE


def create_backup(target: Path, *, alias: str = DEFAULT_DB_ALIAS) -> dict:
    """Write a backup into ``target`` (which must not exist or be empty); returns the manifest."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"Das Zielverzeichnis {target} ist nicht leer; bitte ein neues Verzeichnis angeben.")
    vendor = _vendor(alias)
    target.mkdir(parents=True, exist_ok=True)
    created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    migrations = applied_migrations(alias)
    database_file = _dump_database(target, vendor, alias)
    files = copy_roots(file_roots(), target)
    manifest = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "created_at": created_at,
        "app_version": krisenwissen.__version__,
        "database": {"vendor": vendor, "file": entry_for(target, database_file).as_json()},
        "migrations": migrations,
        "file_roots": sorted(file_roots()),
        "files": [entry.as_json() for entry in files],
    }
    write_manifest(target, manifest)
    logger.info("backup written to %s: %s, %d files", target, vendor, len(files))
    return manifest


# --- verify ------------------------------------------------------------------------------------


def _database_problems(backup_dir: Path, manifest: dict) -> list[str]:
    path = backup_dir / manifest["database"]["file"]["path"]
    if manifest["database"]["vendor"] == "sqlite":
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
            try:
                # Structure only: "NULL value in t.c" lines are about data (SQLite reports a
                # NaN stored in a NOT NULL REAL column so), the same as in the live database.
                result = [row[0] for row in db.execute("PRAGMA integrity_check(1000)")
                          if row[0] != "ok" and not row[0].startswith("NULL value in ")]
                db.execute("SELECT count(*) FROM django_migrations").fetchone()
            finally:
                db.close()
        except sqlite3.DatabaseError as exc:
            return [f"Datenbankdatei nicht lesbar: {exc}"]
        return [f"Datenbankdatei beschädigt: {line}" for line in result[:10]]
    completed = subprocess.run([pg_program("pg_restore"), "--list", str(path)], capture_output=True,
                               text=True, timeout=PG_TIMEOUT_SECONDS)
    if completed.returncode != 0:
        return [f"Datenbankabzug nicht lesbar: {completed.stderr.strip()}"]
    if "django_migrations" not in completed.stdout:
        return ["Datenbankabzug enthält keine krisenwissen-Datenbank (django_migrations fehlt)."]
    return []


def verify_backup(backup_dir: Path) -> dict:
    """Check a backup completely; returns its manifest or raises :class:`BackupError`."""
    backup_dir = Path(backup_dir)
    manifest = read_manifest(backup_dir)
    problems = verify_files(backup_dir, manifest)
    if not problems:
        problems = _database_problems(backup_dir, manifest)
    if problems:
        raise BackupError(problems)
    return manifest


# --- restore -----------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: dict
    files: int = 0
    pending_migrations: list[str] = field(default_factory=list)


def _unknown_migrations(manifest: dict) -> list[str]:
    """Migrations the backup has applied that this version of the software does not know."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names
                  if (app, name) not in known)


def _installation_contents(alias: str) -> list[str]:
    found = []
    tables = connections[alias].introspection.table_names()
    if tables:
        found.append(f"die Datenbank enthält {len(tables)} Tabellen")
    for name, root in file_roots().items():
        count = len(regular_files(root))
        if count:
            found.append(f"{root} ({name}) enthält {count} Dateien")
    return found


def _restore_sqlite(backup_dir: Path, manifest: dict, alias: str) -> None:
    connection = connections[alias]
    name = Path(connection.settings_dict["NAME"])
    connection.close()
    name.parent.mkdir(parents=True, exist_ok=True)
    temporary = name.with_name(name.name + ".restore")
    temporary.unlink(missing_ok=True)
    shutil.copyfile(backup_dir / manifest["database"]["file"]["path"], temporary)
    with temporary.open("rb+") as handle:
        os.fsync(handle.fileno())
    # Journal files of the database replaced here would be applied to the restored one.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(name) + suffix).unlink(missing_ok=True)
    os.replace(temporary, name)


def _restore_postgres(backup_dir: Path, manifest: dict, alias: str, *, force: bool) -> None:
    connection = connections[alias]
    if force:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connection.close()
    completed = _run_pg([pg_program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                         "--single-transaction", "--dbname", connection.settings_dict["NAME"],
                         str(backup_dir / manifest["database"]["file"]["path"])], alias=alias)
    if completed.returncode != 0:
        raise BackupError(f"pg_restore ist fehlgeschlagen: {completed.stderr.strip()}")


def restore_backup(backup_dir: Path, *, force: bool = False, alias: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Verify the backup, then write its database and files into this installation."""
    backup_dir = Path(backup_dir)
    manifest = verify_backup(backup_dir)
    vendor = _vendor(alias)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(f"Die Sicherung stammt aus einer {manifest['database']['vendor']}-Datenbank, "
                          f"diese Installation nutzt {vendor}; Wiederherstellung nur ins gleiche Datenbanksystem.")
    unknown = _unknown_migrations(manifest)
    if unknown:
        raise BackupError(["Die Sicherung stammt von einer neueren Version von krisenwissen "
                           f"({manifest.get('app_version')}); zuerst diese Version installieren. "
                           "Unbekannte Migrationen: " + ", ".join(unknown[:10])])
    roots = file_roots()
    unknown_roots = sorted(set(manifest.get("file_roots", [])) - set(roots))
    if unknown_roots:
        raise BackupError(f"Unbekannte Dateibereiche in der Sicherung: {', '.join(unknown_roots)}")
    contents = _installation_contents(alias)
    if contents and not force:
        raise BackupError(["Die Installation ist nicht leer: " + "; ".join(contents) + ". "
                           "Wiederherstellung nur in eine leere Installation (neue Datenbank, leeres "
                           "Datenverzeichnis) oder mit --force (ersetzt alles)."])
    if vendor == "sqlite":
        _restore_sqlite(backup_dir, manifest, alias)
    else:
        _restore_postgres(backup_dir, manifest, alias, force=force)
    if force:
        for root in roots.values():
            if root.is_dir():
                shutil.rmtree(root)
    count = restore_roots(backup_dir, manifest, roots)
    loader = MigrationLoader(connections[alias], ignore_no_migrations=True)
    pending = sorted(f"{app}.{name}" for app, name in loader.disk_migrations if (app, name) not in loader.applied_migrations)
    logger.warning("backup %s restored (%s, %d files) with force=%s", backup_dir, vendor, count, force)
    return RestoreResult(manifest=manifest, files=count, pending_migrations=pending)
