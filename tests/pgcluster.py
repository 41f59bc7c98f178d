"""A PostgreSQL database for tests that start their own server processes.

``postgres_database(tmp_dir)`` is a context manager yielding a ``postgres://`` URL of an empty
database that exists only for the ``with`` block:

- when ``DATABASE_URL`` already points at PostgreSQL (``make test-postgres``), a fresh database
  on that server (created and dropped here, beside the test database pytest-django made);
- otherwise a throwaway cluster made with Debian's server binaries
  (``/usr/lib/postgresql/<major>/bin``: ``initdb``, ``pg_ctl``) in ``tmp_dir``, on a free
  loopback port, owned by the ``postgres`` system user when running as root (PostgreSQL refuses
  to run as root), as ``scripts/pg-test-server.sh`` does.

When neither is possible it raises :class:`PostgresUnavailable` with the command that fixes it;
callers skip, or fail under ``CI=true``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .ports import free_port

INSTALL_HINT = "apt-get install -y postgresql"


class PostgresUnavailable(RuntimeError):
    pass


def server_bindir() -> Path | None:
    """Debian's server binaries: 15 (the supported version) if present, else the newest."""
    if os.environ.get("PG_BINDIR"):
        bindir = Path(os.environ["PG_BINDIR"])
        return bindir if (bindir / "initdb").exists() else None
    preferred = Path("/usr/lib/postgresql/15/bin")
    if (preferred / "initdb").exists():
        return preferred
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
                        if p.parent.parent.name.isdigit() else 0)
    if candidates:
        return candidates[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@contextlib.contextmanager
def postgres_database(tmp_dir: Path) -> Iterator[str]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        with _database_on(url) as database_url:
            yield database_url
    else:
        with _throwaway_cluster(tmp_dir) as server_url, _database_on(server_url) as database_url:
            yield database_url


@contextlib.contextmanager
def _database_on(server_url: str) -> Iterator[str]:
    import psycopg

    name = f"kw_{secrets.token_hex(6)}"
    parts = urlsplit(server_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def _throwaway_cluster(tmp_dir: Path) -> Iterator[str]:
    bindir = server_bindir()
    if bindir is None:
        raise PostgresUnavailable(f"no PostgreSQL server binaries found (Debian: {INSTALL_HINT})")
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    # As root the cluster belongs to the "postgres" user, and its directory must be reachable by
    # that user, which a pytest tmp_path under /root may not be: /tmp always is.
    workdir = Path(tmp_dir)
    if as_root:
        try:
            import pwd

            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable(f"running as root, but there is no 'postgres' user ({INSTALL_HINT})") from None
        import tempfile

        workdir = Path(tempfile.mkdtemp(prefix="krisenwissen-pg-", dir="/tmp"))
        os.chown(workdir, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    workdir.mkdir(parents=True, exist_ok=True)
    os.chmod(workdir, 0o700)
    datadir = workdir / "data"
    port = free_port()
    run = dict(capture_output=True, text=True, timeout=120)
    result = subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust",
                             "-E", "UTF8", "--locale=C.UTF-8"], **run)
    if result.returncode:
        raise RuntimeError(f"initdb failed:\n{result.stdout}{result.stderr}")
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
    logfile = workdir / "server.log"
    result = subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(logfile), "-w", "-t", "60",
                             "-o", options, "start"], **run)
    try:
        if result.returncode:
            log = logfile.read_text(errors="replace") if logfile.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start:\n{result.stdout}{result.stderr}{log}")
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        if (datadir / "postmaster.pid").exists():
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "-w", "stop"], **run)
        shutil.rmtree(workdir, ignore_errors=True)


# --- A whole server (for tests that create several databases on it, e.g. backup → restore) ---

IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str):
    """Skip on a workstation without PostgreSQL; fail under ``CI=true`` (CI installs it)."""
    import pytest

    if IN_CI:
        pytest.fail(f"PostgreSQL fehlt in CI: {reason}", pytrace=False)
    # Justified skip: only on a workstation without PostgreSQL binaries; under CI=true the line
    # above fails, so a green CI always means these tests ran.
    pytest.skip(f"no PostgreSQL server available: {reason}")


def _existing_server() -> str | None:
    url = os.environ.get("KRISENWISSEN_PG_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


@contextlib.contextmanager
def server() -> Iterator[str]:
    """A base URL ``postgres://postgres@127.0.0.1:PORT`` (no database part) for the ``with`` block.

    The suite's own server when it runs on PostgreSQL, else a throwaway cluster.
    """
    existing = _existing_server()
    if existing:
        yield existing
        return
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="krisenwissen-pgtmp-"))
    try:
        try:
            cluster = _throwaway_cluster(tmp / "cluster")
            url = cluster.__enter__()
        except PostgresUnavailable as exc:
            unavailable(str(exc))
        try:
            yield url.rsplit("/", 1)[0]
        finally:
            cluster.__exit__(None, None, None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
