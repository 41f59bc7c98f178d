"""Backup and restore of a whole installation (defect 14), as the restore drill in docs/betrieb.md.

Each step is the console command an operator runs, in its own process with the production
settings (the demo content and the extra photo come in with the development settings, as the
production settings refuse demo data). Installation A is backed up, the backup is verified and
restored into installation B (another data directory, another database); then every row of
every table and every uploaded file of B must equal A's. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .. import pgcluster

ADD_PHOTO = """
import io
from django.core.files.base import ContentFile
from PIL import Image
from krisenwissen.workshops.actions import process_photo
from krisenwissen.workshops.models import Photo, Workshop
image = Image.new("RGB", (640, 480), "#3366aa")
buffer = io.BytesIO()
image.save(buffer, "PNG")
full, thumb, width, height = process_photo(buffer.getvalue())
photo = Photo(workshop=Workshop.objects.get(join_token="demo-essen-2023"), caption="Zweites Foto", width=width, height=height)
photo.image.save("zweites-foto.jpg", ContentFile(full), save=False)
photo.thumbnail.save("zweites-foto-vorschau.jpg", ContentFile(thumb), save=False)
photo.save()
"""

# Writes municipalities, one per transaction, until it is stopped.
WRITER = """
import itertools
from krisenwissen.accounts.models import Municipality
for number in itertools.count():
    Municipality.objects.create(ags=f"{number:08d}", name=f"Schreibtest {number}")
    if number == 20:
        print("schreibt", flush=True)
"""

# Tables that must hold rows in installation A, so "identical" is no comparison of empty tables.
FILLED_TABLES = {
    "workshops_workshop", "workshops_card", "workshops_photo", "regulations_legaltext",
    "regulations_version", "situation_observation", "learning_action", "accounts_user",
    "knowledge_observation", "core_auditentry",
}


@dataclass
class Installation:
    """One installation: its data directory and database, driven by ``python -m krisenwissen``."""

    data_dir: Path
    database_url: str

    def env(self, settings: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.pop("KRISENWISSEN_PG_URL", None)
        env.update(DJANGO_SETTINGS_MODULE=f"krisenwissen.settings.{settings}", KRISENWISSEN_DATA_DIR=str(self.data_dir),
                   DATABASE_URL=self.database_url, DJANGO_SECRET_KEY="k" * 20 + secrets.token_urlsafe(48),
                   DJANGO_ALLOWED_HOSTS="krisenwissen.example.org")
        return env

    def run(self, *args: str, settings: str = "production", check: bool = True) -> subprocess.CompletedProcess:
        completed = subprocess.run([sys.executable, "-m", "krisenwissen", *args], env=self.env(settings),
                                   cwd=self.data_dir.parent, capture_output=True, text=True, timeout=600)
        if check:
            assert completed.returncode == 0, completed.stdout + completed.stderr
        return completed

    @property
    def media(self) -> Path:
        return self.data_dir / "media"


def file_sums(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def sqlite_rows(path: Path) -> dict[str, list]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
    finally:
        db.close()


def postgres_rows(url: str) -> dict[str, list]:
    import psycopg

    with psycopg.connect(url) as db:
        names = [r[0] for r in db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")]
        rows = {name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
        sequences = [r[0] for r in db.execute(
            "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'")]
        rows["(sequences)"] = sorted((s, db.execute(f'SELECT last_value, is_called FROM "{s}"').fetchone())
                                     for s in sequences)
        return rows


@pytest.fixture(scope="module")
def pg_base_url():
    with pgcluster.server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def installations(request, tmp_path):
    """Installation A (to be backed up) and B (fresh, to restore into), each with its own database."""
    if request.param == "sqlite":
        yield tuple(Installation(tmp_path / name / "data", f"sqlite:///{tmp_path / name / 'data' / 'krisenwissen.sqlite3'}")
                    for name in ("a", "b"))
        return
    base = request.getfixturevalue("pg_base_url")
    names = [f"kw_backup_{name}_{secrets.token_hex(4)}" for name in ("a", "b")]
    urls = [pgcluster.create_database(base, name) for name in names]
    yield tuple(Installation(tmp_path / name / "data", url) for name, url in zip(("a", "b"), urls, strict=True))
    for name in names:
        pgcluster.drop_database(base, name)


def rows_of(installation: Installation) -> dict[str, list]:
    if installation.database_url.startswith("sqlite"):
        return sqlite_rows(installation.data_dir / "krisenwissen.sqlite3")
    return postgres_rows(installation.database_url)


def test_backup_and_restore_into_a_fresh_installation_is_identical(installations, tmp_path):
    a, b = installations
    for installation in (a, b):
        installation.data_dir.mkdir(parents=True)

    # Installation A: workshops (with a second photo), actions, laws, Lagebild values.
    a.run("migrate", "--no-input", "--verbosity", "0")
    a.run("load_demo", settings="dev")
    a.run("shell", "-c", ADD_PHOTO, settings="dev")

    # The restore drill (docs/betrieb.md, "Wiederherstellung üben").
    backup = tmp_path / "sicherung"
    a.run("backup", str(backup))
    verified = a.run("backup", "verify", str(backup))
    assert "Sicherung in Ordnung" in verified.stdout
    restored = b.run("restore", str(backup))
    assert "wiederhergestellt" in restored.stdout
    b.run("migrate", "--no-input", "--verbosity", "0")
    b.run("check", "--deploy")

    # Every row of every table is the same.
    rows_a, rows_b = rows_of(a), rows_of(b)
    assert FILLED_TABLES <= {name for name, rows in rows_a.items() if rows}, sorted(
        name for name in FILLED_TABLES if not rows_a.get(name))
    assert rows_a.keys() == rows_b.keys()
    different = [name for name in rows_a if rows_a[name] != rows_b[name]]
    assert different == []
    # Every uploaded file is the same, the added photo among them.
    sums_a = file_sums(a.media)
    assert any("zweites-foto" in path for path in sums_a) and len(sums_a) >= 4
    assert file_sums(b.media) == sums_a

    # B works: the restored accounts can be used (a password check reads the restored hash).
    check_login = b.run("shell", "-c", "from django.contrib.auth import authenticate;"
                        "print(bool(authenticate(username='leser.essen', password='krisenwissen-demo')))")
    assert check_login.stdout.strip().endswith("True")


def test_restore_refuses_a_non_empty_installation_and_a_damaged_backup(tmp_path):
    a = Installation(tmp_path / "a" / "data", f"sqlite:///{tmp_path / 'a' / 'data' / 'krisenwissen.sqlite3'}")
    b = Installation(tmp_path / "b" / "data", f"sqlite:///{tmp_path / 'b' / 'data' / 'krisenwissen.sqlite3'}")
    a.data_dir.mkdir(parents=True)
    b.data_dir.mkdir(parents=True)
    a.run("migrate", "--no-input", "--verbosity", "0")
    a.media.joinpath("workshops").mkdir(parents=True)
    a.media.joinpath("workshops", "foto.jpg").write_bytes(b"\xff\xd8 kein echtes Foto")
    # The backup is taken while another process keeps writing (as the running server would).
    writer = subprocess.Popen([sys.executable, "-m", "krisenwissen", "shell", "-c", WRITER], env=a.env("production"),
                              cwd=a.data_dir.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = iter(writer.stdout.readline, "")
        assert any(line.strip() == "schreibt" for line in lines), writer.stderr.read()
        backup = tmp_path / "sicherung"
        a.run("backup", str(backup))
        assert writer.poll() is None, writer.stderr.read()
    finally:
        writer.terminate()
        writer.wait(timeout=30)
    a.run("backup", "verify", str(backup))
    written = sqlite_rows(backup / "database.sqlite3")["accounts_municipality"]
    assert any("Schreibtest" in repr(row) for row in written), written[:3]

    # into itself (not empty): refused, nothing changed
    before = a.media.joinpath("workshops", "foto.jpg").read_bytes()
    refused = a.run("restore", str(backup), check=False)
    assert refused.returncode != 0 and "nicht leer" in refused.stderr

    # a backup into a non-empty directory is refused
    assert a.run("backup", str(backup), check=False).returncode != 0

    # a changed file is found by verify and stops a restore before anything is written
    damaged = tmp_path / "beschaedigt"
    shutil.copytree(backup, damaged)
    photo = damaged / "files" / "media" / "workshops" / "foto.jpg"
    photo.write_bytes(photo.read_bytes().replace(b"kein", b"KEIN"))
    verify = a.run("backup", "verify", str(damaged), check=False)
    assert verify.returncode != 0 and "Prüfsumme stimmt nicht: files/media/workshops/foto.jpg" in verify.stderr
    refused = b.run("restore", str(damaged), check=False)
    assert refused.returncode != 0 and "Prüfsumme" in refused.stderr
    assert not b.media.exists() or not any(b.media.rglob("*"))

    # a damaged database file is found as well
    (damaged / "files" / "media" / "workshops" / "foto.jpg").write_bytes(before)
    database = damaged / "database.sqlite3"
    database.write_bytes(b"\0" * database.stat().st_size)
    verify = a.run("backup", "verify", str(damaged), check=False)
    assert verify.returncode != 0 and "database.sqlite3" in verify.stderr

    # an unfinished backup (no manifest) is refused
    (damaged / "manifest.json").unlink()
    verify = a.run("backup", "verify", str(damaged), check=False)
    assert verify.returncode != 0 and "manifest.json fehlt" in verify.stderr

    # with --force the non-empty installation is replaced
    a.media.joinpath("workshops", "foto.jpg").write_bytes(b"anders")
    a.run("restore", str(backup), "--force")
    assert a.media.joinpath("workshops", "foto.jpg").read_bytes() == before
