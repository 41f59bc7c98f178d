"""The file side of a backup, without Django: copying with SHA-256 sums, the manifest, checks.

A backup directory holds::

    manifest.json        written last: a directory without it is an unfinished backup
    database.sqlite3     or database.pgdump (PostgreSQL, ``pg_dump --format=custom``)
    files/<root>/...     the uploaded files of each file root (``media`` ...)

The manifest (``{"format": "krisenwissen-backup", "version": 1, ...}``) lists every file of
the backup with its size and SHA-256 sum, the database vendor, the app version and the
applied migrations. :func:`verify_files` finds missing, changed and unlisted files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FORMAT_NAME = "krisenwissen-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES_DIR = "files"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be made, verified or restored; ``problems`` are German sentences."""

    def __init__(self, problems: Iterable[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class FileEntry:
    """One file of the backup: ``path`` relative to the backup directory, POSIX separators."""

    path: str
    size: int
    sha256: str

    def as_json(self) -> dict:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_file(source: Path, target: Path) -> tuple[int, str]:
    """Copy ``source`` to ``target`` (parents created), hashing what is written; flushed to disk."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as src, target.open("xb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    shutil.copystat(source, target)
    return size, digest.hexdigest()


def entry_for(backup_dir: Path, relative: str) -> FileEntry:
    path = backup_dir / relative
    return FileEntry(relative, path.stat().st_size, sha256_of(path))


def regular_files(root: Path) -> list[Path]:
    """Every regular file below ``root`` (symbolic links are not followed), sorted."""
    if not root.is_dir():
        return []
    found = []
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def copy_roots(roots: dict[str, Path], backup_dir: Path) -> list[FileEntry]:
    """Copy every regular file of each root to ``files/<root name>/...`` in the backup."""
    entries = []
    for name, root in sorted(roots.items()):
        for source in regular_files(root):
            relative = PurePosixPath(FILES_DIR, name, *source.relative_to(root).parts)
            size, digest = copy_file(source, backup_dir / relative)
            entries.append(FileEntry(str(relative), size, digest))
    return entries


def write_manifest(backup_dir: Path, manifest: dict) -> None:
    """Write the manifest atomically (temporary file, fsync, rename): it marks a finished backup."""
    temporary = backup_dir / (MANIFEST + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=2, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, backup_dir / MANIFEST)


def _safe_relative(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return bool(parts) and not PurePosixPath(path).is_absolute() and ".." not in parts and "\\" not in path


def read_manifest(backup_dir: Path) -> dict:
    """The manifest of a backup, checked for form (not yet the sums: :func:`verify_files`)."""
    path = backup_dir / MANIFEST
    if not backup_dir.is_dir():
        raise BackupError(f"Sicherungsverzeichnis nicht gefunden: {backup_dir}")
    if not path.is_file():
        raise BackupError(f"Keine vollständige Sicherung: {MANIFEST} fehlt in {backup_dir} "
                          "(die Sicherung wurde nicht abgeschlossen).")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{MANIFEST} ist kein gültiges JSON: {exc}") from None
    problems = []
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise BackupError(f"{MANIFEST} beschreibt keine krisenwissen-Sicherung.")
    if manifest.get("version") != FORMAT_VERSION:
        problems.append(f"Unbekannte Version des Sicherungsformats: {manifest.get('version')!r} "
                        f"(diese Version liest {FORMAT_VERSION}).")
    files = manifest.get("files")
    database = manifest.get("database")
    if not isinstance(files, list) or not all(
        isinstance(f, dict) and isinstance(f.get("path"), str) and _safe_relative(f["path"])
        and isinstance(f.get("size"), int) and isinstance(f.get("sha256"), str) for f in files
    ):
        problems.append(f"{MANIFEST}: die Dateiliste ist ungültig.")
    if not isinstance(database, dict) or database.get("vendor") not in ("sqlite", "postgresql") or not (
        isinstance(database.get("file"), dict) and isinstance(database["file"].get("path"), str)
        and _safe_relative(database["file"]["path"])
    ):
        problems.append(f"{MANIFEST}: die Angaben zur Datenbank sind ungültig.")
    migrations = manifest.get("migrations")
    if not isinstance(migrations, dict) or not all(
        isinstance(app, str) and isinstance(names, list) and all(isinstance(n, str) for n in names)
        for app, names in migrations.items()
    ):
        problems.append(f"{MANIFEST}: der Migrationsstand fehlt oder ist ungültig.")
    if problems:
        raise BackupError(problems)
    return manifest


def manifest_entries(manifest: dict) -> list[FileEntry]:
    """The database file first, then the uploaded files."""
    rows = [manifest["database"]["file"], *manifest["files"]]
    return [FileEntry(r["path"], r["size"], r["sha256"]) for r in rows]


def _through_link(backup_dir: Path, path: Path) -> bool:
    """True if ``path`` or a directory between it and ``backup_dir`` is a symbolic link."""
    current = path
    while current != backup_dir and backup_dir in current.parents:
        if current.is_symlink():
            return True
        current = current.parent
    return False


def verify_files(backup_dir: Path, manifest: dict) -> list[str]:
    """Problems with the backup's files: missing, other size or sum, not in the manifest."""
    problems = []
    listed = set()
    for entry in manifest_entries(manifest):
        listed.add(entry.path)
        path = backup_dir / entry.path
        if _through_link(backup_dir, path):
            problems.append(f"Symbolischer Verweis statt Datei: {entry.path}")
        elif not path.is_file():
            problems.append(f"Datei fehlt: {entry.path}")
        elif path.stat().st_size != entry.size:
            problems.append(f"Größe stimmt nicht: {entry.path} ({path.stat().st_size} statt {entry.size} Bytes)")
        elif sha256_of(path) != entry.sha256:
            problems.append(f"Prüfsumme stimmt nicht: {entry.path}")
    for path in regular_files(backup_dir):
        relative = path.relative_to(backup_dir).as_posix()
        if relative != MANIFEST and relative not in listed:
            problems.append(f"Datei steht nicht im Manifest: {relative}")
    return problems


def restore_roots(backup_dir: Path, manifest: dict, roots: dict[str, Path]) -> int:
    """Copy the uploaded files back into their roots, checking each sum again; returns the count."""
    count = 0
    for row in manifest["files"]:
        parts = PurePosixPath(row["path"]).parts
        if len(parts) < 3 or parts[0] != FILES_DIR or parts[1] not in roots:
            raise BackupError(f"Unbekannter Dateibereich in der Sicherung: {row['path']}")
        target = roots[parts[1]].joinpath(*parts[2:])
        size, digest = copy_file(backup_dir / row["path"], target)
        if (size, digest) != (row["size"], row["sha256"]):
            raise BackupError(f"Datei beim Zurückspielen verändert: {row['path']}")
        count += 1
    return count
