"""The file side of backups (pure, no database): hostile or damaged manifests and files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from krisenwissen.core.backupfiles import (
    BackupError,
    copy_roots,
    entry_for,
    read_manifest,
    restore_roots,
    verify_files,
    write_manifest,
)


def make_backup(tmp_path: Path) -> tuple[Path, dict]:
    media = tmp_path / "media"
    (media / "workshops" / "photos").mkdir(parents=True)
    (media / "workshops" / "photos" / "a.jpg").write_bytes(b"foto a")
    (media / "b.txt").write_bytes(b"datei b")
    backup = tmp_path / "sicherung"
    backup.mkdir()
    (backup / "database.sqlite3").write_bytes(b"db")
    files = copy_roots({"media": media}, backup)
    manifest = {"format": "krisenwissen-backup", "version": 1, "migrations": {"core": ["0001_initial"]},
                "database": {"vendor": "sqlite", "file": entry_for(backup, "database.sqlite3").as_json()},
                "file_roots": ["media"], "files": [f.as_json() for f in files]}
    write_manifest(backup, manifest)
    return backup, manifest


def test_copy_verify_and_restore_round_trip(tmp_path):
    backup, manifest = make_backup(tmp_path)
    assert [f["path"] for f in manifest["files"]] == ["files/media/b.txt", "files/media/workshops/photos/a.jpg"]
    assert read_manifest(backup) == manifest
    assert verify_files(backup, manifest) == []
    target = tmp_path / "neu"
    assert restore_roots(backup, manifest, {"media": target}) == 2
    assert (target / "workshops" / "photos" / "a.jpg").read_bytes() == b"foto a"


def test_changed_missing_and_extra_files_are_found(tmp_path):
    backup, manifest = make_backup(tmp_path)
    (backup / "files" / "media" / "b.txt").write_bytes(b"datei B")
    (backup / "files" / "media" / "workshops" / "photos" / "a.jpg").unlink()
    (backup / "files" / "media" / "fremd.txt").write_bytes(b"x")
    assert verify_files(backup, manifest) == [
        "Prüfsumme stimmt nicht: files/media/b.txt",
        "Datei fehlt: files/media/workshops/photos/a.jpg",
        "Datei steht nicht im Manifest: files/media/fremd.txt",
    ]


def test_symbolic_links_in_a_backup_are_refused(tmp_path):
    backup, manifest = make_backup(tmp_path)
    secret = tmp_path / "geheim.txt"
    secret.write_bytes(b"datei b")  # same content, same sum
    (backup / "files" / "media" / "b.txt").unlink()
    (backup / "files" / "media" / "b.txt").symlink_to(secret)
    assert verify_files(backup, manifest) == ["Symbolischer Verweis statt Datei: files/media/b.txt"]


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "files/../../x"])
def test_paths_leaving_the_backup_are_refused(tmp_path, path):
    backup, manifest = make_backup(tmp_path)
    manifest["files"][0]["path"] = path
    (backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BackupError, match="Dateiliste ist ungültig"):
        read_manifest(backup)


@pytest.mark.parametrize("text, message", [
    ("{kaputt", "kein gültiges JSON"),
    ('{"format": "etwas anderes"}', "keine krisenwissen-Sicherung"),
    ('{"format": "krisenwissen-backup", "version": 1, "files": [], "database": {"vendor": "sqlite", '
     '"file": {"path": "database.sqlite3"}}, "migrations": {"core": "0001"}}', "Migrationsstand"),
])
def test_broken_manifests_are_refused_with_a_message(tmp_path, text, message):
    backup, _manifest = make_backup(tmp_path)
    (backup / "manifest.json").write_text(text, encoding="utf-8")
    with pytest.raises(BackupError, match=message):
        read_manifest(backup)


def test_a_backup_without_manifest_is_unfinished(tmp_path):
    backup, _manifest = make_backup(tmp_path)
    (backup / "manifest.json").unlink()
    with pytest.raises(BackupError, match="nicht abgeschlossen"):
        read_manifest(backup)
