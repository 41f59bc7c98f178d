"""A throwaway PostgreSQL cluster for tests that need a server of their own (as scripts/pg-test-server.sh).

``server()`` is a context manager yielding a base URL ``postgres://postgres@127.0.0.1:PORT``.
When the suite already runs against PostgreSQL (``KRISENWISSEN_PG_URL`` or a PostgreSQL
``DATABASE_URL``), that server is used. Otherwise Debian's server binaries
(/usr/lib/postgresql/<major>/bin) start a private cluster in a temporary directory, owned by
the ``postgres`` user when running as root (PostgreSQL refuses root). Without PostgreSQL the
caller skips, except under ``CI=true``, where the test fails (CI has PostgreSQL installed).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def _bindir() -> Path | None:
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
                        if p.parent.name.isdigit() else 0)
    preferred = Path("/usr/lib/postgresql/15/bin")
    if (preferred / "initdb").exists():
        return preferred
    for candidate in reversed(candidates):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _existing_server() -> str | None:
    url = os.environ.get("KRISENWISSEN_PG_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"PostgreSQL fehlt in CI: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL server available: {reason}")


@contextlib.contextmanager
def server() -> Iterator[str]:
    existing = _existing_server()
    if existing:
        yield existing
        return
    bindir = _bindir()
    if bindir is None:
        unavailable("no initdb (Debian: apt-get install postgresql)")
    as_root = os.geteuid() == 0

    def as_owner(*command: str, **kwargs) -> subprocess.CompletedProcess:
        full = ["runuser", "-u", "postgres", "--", *command] if as_root else list(command)
        return subprocess.run(full, capture_output=True, text=True, timeout=120, **kwargs)

    workdir = Path(tempfile.mkdtemp(prefix="krisenwissen-pg-", dir="/tmp" if as_root else None))
    workdir.chmod(0o700)
    if as_root:
        shutil.chown(workdir, "postgres", "postgres")
    datadir = workdir / "data"
    port = _free_port()
    try:
        init = as_owner(str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--locale=C.UTF-8")
        assert init.returncode == 0, init.stdout + init.stderr
        start = as_owner(str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(workdir / "server.log"), "-w",
                         "-t", "60", "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} -c fsync=off "
                         "-c synchronous_commit=off -c full_page_writes=off", "start")
        assert start.returncode == 0, start.stdout + start.stderr
        yield f"postgres://postgres@127.0.0.1:{port}"
    finally:
        if (datadir / "postmaster.pid").exists():
            as_owner(str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "-w", "stop")
        shutil.rmtree(workdir, ignore_errors=True)


def create_database(base_url: str, name: str) -> str:
    """A new, empty database on the server; returns its URL."""
    import psycopg

    with psycopg.connect(base_url + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{base_url}/{name}"


def drop_database(base_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(base_url + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
