#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster.
#
#   scripts/pg-test-server.sh COMMAND [ARGS...]
#
# Creates a fresh cluster in a temporary directory, starts it on 127.0.0.1:$PG_TEST_PORT
# (default 54329) with a unix socket inside that directory, creates the database
# "krisenwissen", runs COMMAND with
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:54329/krisenwissen
#   KRISENWISSEN_PG_URL=<the same URL>   (kept even if COMMAND's environment drops DATABASE_URL)
#
# and removes the cluster again however COMMAND ends. The exit code is COMMAND's.
#
# Why a private cluster instead of the system service: it needs no prior setup, leaves the
# machine as it was, works the same as root (CI) and as a normal user, and cannot touch real
# data. Authentication is "trust" because it only listens on loopback and lives minutes.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 64
fi

port="${PG_TEST_PORT:-54329}"
dbname="${PG_TEST_DB:-krisenwissen}"

# Debian installs the server binaries outside PATH (/usr/lib/postgresql/<major>/bin). Prefer
# 15 (the version the project supports), otherwise take the newest installed major.
find_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
    if [ -x /usr/lib/postgresql/15/bin/initdb ]; then echo /usr/lib/postgresql/15/bin; return; fi
    local newest
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then echo "$newest"; return; fi
    if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
    echo "pg-test-server: no PostgreSQL server found (Debian: apt-get install postgresql)" >&2
    exit 69
}
bindir=$(find_bindir)

# PostgreSQL refuses to run as root, so as root the cluster belongs to the "postgres" system
# user (created by the Debian package); as anyone else it belongs to the caller.
if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        echo "pg-test-server: running as root but there is no 'postgres' user" >&2
        exit 69
    fi
    as_owner() { runuser -u postgres -- "$@"; }
else
    as_owner() { "$@"; }
fi

# Fail early and clearly if something else already listens on the port (a leftover cluster
# or a second run at the same time) instead of silently testing against a foreign server.
if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" >/dev/null 2>&1; then
    echo "pg-test-server: port $port is already in use; stop that server or set PG_TEST_PORT" >&2
    exit 75
fi

# As root the directory must be reachable by the postgres user, which $TMPDIR (say, under
# /root) may not be; /tmp always is.
if [ "$(id -u)" -eq 0 ]; then tmpbase=/tmp; else tmpbase="${TMPDIR:-/tmp}"; fi
workdir=$(mktemp -d "$tmpbase/krisenwissen-pg.XXXXXX")
chmod 700 "$workdir"
[ "$(id -u)" -eq 0 ] && chown postgres: "$workdir"
datadir="$workdir/data"
sockdir="$workdir"
logfile="$workdir/server.log"

cleanup() {
    local rc=$?
    if [ -f "$datadir/postmaster.pid" ]; then
        # "immediate" because the data is thrown away anyway; no checkpoint needed.
        as_owner "$bindir/pg_ctl" -D "$datadir" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$workdir"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "pg-test-server: initdb with $bindir in $workdir"
# C.UTF-8 exists on every Debian system, so the cluster does not depend on generated locales.
as_owner "$bindir/initdb" -D "$datadir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$workdir/initdb.log" 2>&1 || { cat "$workdir/initdb.log" >&2; exit 1; }

# fsync, synchronous_commit and full_page_writes are off: a crash loses only a throwaway
# database, and the test suite (which creates and drops databases) runs much faster.
if ! as_owner "$bindir/pg_ctl" -D "$datadir" -l "$logfile" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $sockdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
    start >/dev/null; then
    echo "pg-test-server: server did not start; its log:" >&2
    cat "$logfile" >&2 || true
    exit 1
fi

as_owner "$bindir/createdb" -h "$sockdir" -p "$port" -U postgres "$dbname"

url="postgres://postgres@127.0.0.1:$port/$dbname"
export DATABASE_URL="$url" KRISENWISSEN_PG_URL="$url"
echo "pg-test-server: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') ready at $url"

# Not exec: the trap above must still run to stop the server after COMMAND.
set +e
"$@"
rc=$?
set -e
exit "$rc"
