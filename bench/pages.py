"""Page benchmark: every main page at 100,000 observations, over real HTTP against gunicorn.

    .venv/bin/python bench/pages.py [--items N] [--samples S] [--users U] [--load-seconds T]

1. Builds (once) a SQLite database with the generator of ``bench/search.py`` (400 cities,
   N observations, a reader who may see about 31 % of them) and its search index. The built
   file is cached in ``$KRISENWISSEN_BENCH_CACHE`` (default: the system temp directory) under
   a key of the generator version, the item count and the generator sources, so a re-run
   only copies it and applies any newer migrations.
2. Serves a copy with the production settings (``krisenwissen.settings.production``) on
   gunicorn, 2 gthread workers, via ``krisenwissen serve``; static files from WhiteNoise.
3. Logs the reader in, then measures each page alone (one user, ``S`` samples after a
   warm-up): start, browse, browse_facet, search, compare, detail, api (at the offsets
   0, 1,000, 10,000 and 30,000) and csv_10k (a filtered CSV of 10,000 rows, whole download).
4. Runs ``U`` users (threads) for ``T`` seconds, each requesting a random page and then
   thinking 2 s (uniform 1-3 s); reports their p95 and the number of errors.
5. Reads the worker processes' resident memory from /proc and measures a static file from
   the same server as the floor.

The last line of output is one JSON object:
``{"pages": {"start": {"p50_ms", "p95_ms"}, ...}, "load_p95_ms", "load_errors", "rss_mb", "floor_p95_ms"}``.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import corpus  # noqa: E402

# Raise when the generated content changes (the cache key also hashes the generator sources).
GENERATOR_VERSION = 1
DEFAULT_ITEMS = 100_000
READER = "bench-leser"
PASSWORD = "bench-passwort-123"
SECRET_KEY = "bench-pages-" + "k" * 60
API_OFFSETS = (0, 1_000, 10_000, 30_000)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    position = (len(ordered) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


# --- building the database (a child process with Django) -----------------------------------

def build_worker(items: int) -> None:
    """In a fresh process with KRISENWISSEN_DATA_DIR set: migrate, create, index."""
    import django

    django.setup()
    from django.core.management import call_command

    import search as search_bench  # bench/search.py: the shared generator
    from krisenwissen.search.indexing import reindex_all

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    search_bench._create_content(items)
    print(f"  Inhalte angelegt in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    started = time.perf_counter()
    reindex_all()
    print(f"  Suchindex aufgebaut in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def cache_key(items: int) -> str:
    digest = hashlib.sha256()
    for name in ("search.py", "corpus.py"):
        digest.update((BENCH_DIR / name).read_bytes())
    return f"v{GENERATOR_VERSION}-{items}-{digest.hexdigest()[:12]}"


def cached_database(items: int, env: dict) -> Path:
    root = Path(os.environ.get("KRISENWISSEN_BENCH_CACHE") or tempfile.gettempdir()) / "krisenwissen-bench-pages"
    target = root / cache_key(items) / "krisenwissen.sqlite3"
    if target.exists():
        print(f"Datenbank aus dem Zwischenspeicher: {target}", file=sys.stderr)
        return target
    root.mkdir(parents=True, exist_ok=True)
    build_dir = Path(tempfile.mkdtemp(prefix="build-", dir=root))
    print(f"Baue die Datenbank mit {items} Beobachtungen (einmalig) …", file=sys.stderr)
    child_env = {**env, "KRISENWISSEN_DATA_DIR": str(build_dir), "DJANGO_SETTINGS_MODULE": "krisenwissen.settings.base"}
    subprocess.run([sys.executable, __file__, "--build-worker", "--items", str(items)], env=child_env, check=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = build_dir / "krisenwissen.sqlite3"
    # Fold the WAL into the main file so a single file is a complete copy.
    import sqlite3

    with sqlite3.connect(source) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.move(str(source), target)
    shutil.rmtree(build_dir, ignore_errors=True)
    return target


# --- HTTP --------------------------------------------------------------------------------

class Client:
    """One cookie jar; a new connection per request (as browsers behind a proxy often do)."""

    def __init__(self, port: int, cookies: dict | None = None, timeout: float = 60.0):
        self.port = port
        self.cookies = dict(cookies or {})
        self.timeout = timeout

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                for key, morsel in jar.items():
                    self.cookies[key] = morsel.value
            return response.status, payload
        finally:
            connection.close()

    def timed(self, path: str) -> tuple[float, int, int]:
        began = time.perf_counter()
        status, payload = self.request("GET", path)
        return (time.perf_counter() - began) * 1000, status, len(payload)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "krisenwissen", "serve", "--bind", f"127.0.0.1:{port}",
               "--workers", "2", "--max-requests", "0"]
    with log.open("ab") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=out)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            status, _ = Client(port, timeout=5).request("GET", "/konto/anmelden/")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.kill()
    sys.exit(f"Der Server startete nicht:\n{log.read_text(errors='replace')[-3000:]}")


def worker_rss_mb(master_pid: int) -> float:
    """The largest resident set of gunicorn's worker processes (children of the master)."""
    largest = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid) and "VmRSS" in fields:
            largest = max(largest, int(fields["VmRSS"].split()[0]) / 1024)
    return round(largest, 1)


# --- the run ----------------------------------------------------------------------------

def facts(database: Path) -> dict:
    """Ids the pages need: the reader's city and two network neighbours, visible observations."""
    import sqlite3

    with sqlite3.connect(database) as connection:
        city = connection.execute(
            "select m.municipality_id from accounts_membership m join accounts_user u on u.id = m.user_id "
            "where u.username = ?", (READER,)).fetchone()[0]
        neighbours = [row[0] for row in connection.execute(
            "select municipality_id from accounts_network_members where network_id = "
            "(select network_id from accounts_network_members where municipality_id = ? limit 1) "
            "and municipality_id != ? order by municipality_id limit 2", (city, city))]
        public = [row[0] for row in connection.execute(
            "select id from knowledge_observation where visibility = 'oeffentlich' order by id limit 2000")]
        network = [row[0] for row in connection.execute(
            "select municipality_id from accounts_network_members where network_id in "
            "(select network_id from accounts_network_members where municipality_id = ?) and municipality_id != ?",
            (city, city))]
        marks = ",".join("?" * len(network)) or "null"
        visible = [row[0] for row in connection.execute(
            f"select id from knowledge_observation where visibility = 'oeffentlich' or municipality_id = ? "
            f"or (visibility = 'netzwerk' and municipality_id in ({marks})) order by id", (city, *network))]
    rng = random.Random(7)
    # The API is paged by cursor (the id of the last row seen): the cursors of rows 1,000, 10,000 and 30,000.
    cursors = [visible[position - 1] for position in API_OFFSETS if 0 < position <= len(visible)]
    return {"city": city, "neighbours": neighbours, "details": rng.sample(public, min(200, len(public))),
            "cursors": cursors}


def page_paths(info: dict) -> dict[str, list[str]]:
    cities = [info["city"], *info["neighbours"]]
    compare = "/vergleich/?" + urlencode([("stadt", c) for c in cities])
    return {
        "start": ["/"],
        "browse": ["/wissen/", "/wissen/?seite=2", "/wissen/?seite=50"],
        "browse_facet": ["/wissen/?observation_kind=herausforderung", "/wissen/?phase=1",
                         "/wissen/?observation_kind=erfahrung&department_function=krisenstab"],
        "search": ["/suche/?" + urlencode({"q": q}) for q in corpus.QUERIES],
        "compare": [compare],
        "detail": [f"/beobachtungen/{pk}/" for pk in info["details"]],
        "api": ["/api/v1/beobachtungen/?limit=50"]
               + [f"/api/v1/beobachtungen/?limit=50&cursor={cursor}" for cursor in info["cursors"]],
    }


def warm_up(client: Client, paths: dict[str, list[str]], seconds: float) -> None:
    """Request every page in turn for ``seconds``: each worker process loads the embedding
    model and builds its spelling vocabulary in a background thread when it starts
    (``search/warmup.py``); a server that has just started is not what users meet."""
    deadline = time.monotonic() + seconds
    every = [path for candidates in paths.values() for path in candidates]
    index = 0
    while time.monotonic() < deadline:
        client.timed(every[index % len(every)])
        index += 1


CSV_PATH = "/wissen/?format=csv&observation_kind=herausforderung&observation_kind=erfahrung"


def measure_single(client: Client, paths: dict[str, list[str]], samples: int, csv_samples: int) -> dict:
    pages = {}
    for name, candidates in paths.items():
        for path in candidates[:3]:  # warm-up
            client.timed(path)
        timings = []
        for index in range(samples):
            elapsed, status, _size = client.timed(candidates[index % len(candidates)])
            if status != 200:
                raise SystemExit(f"{name}: {candidates[index % len(candidates)]} antwortete {status}")
            timings.append(elapsed)
        pages[name] = {"p50_ms": round(percentile(timings, 0.5), 1), "p95_ms": round(percentile(timings, 0.95), 1)}
        print(f"  {name:13s} p50 {pages[name]['p50_ms']:8.1f} ms  p95 {pages[name]['p95_ms']:8.1f} ms", file=sys.stderr)
    if "api" in paths:
        for path in paths["api"]:
            timings = [client.timed(path)[0] for _ in range(max(3, samples // 4))]
            print(f"    {path}: p50 {percentile(timings, 0.5):.1f} ms", file=sys.stderr)
    timings = []
    rows = 0
    for _ in range(csv_samples):
        began = time.perf_counter()
        status, payload = client.request("GET", CSV_PATH)
        timings.append((time.perf_counter() - began) * 1000)
        if status != 200:
            raise SystemExit(f"csv_10k antwortete {status}")
        rows = payload.count(b"\n") - 1
    pages["csv_10k"] = {"p50_ms": round(percentile(timings, 0.5), 1), "p95_ms": round(percentile(timings, 0.95), 1),
                        "rows": rows}
    print(f"  csv_10k       p50 {pages['csv_10k']['p50_ms']:8.1f} ms  p95 {pages['csv_10k']['p95_ms']:8.1f} ms "
          f"({rows} Zeilen)", file=sys.stderr)
    return pages


def measure_load(port: int, cookies: dict, paths: dict[str, list[str]], users: int, seconds: float) -> dict:
    names = [name for name in paths if name != "api"] + ["api"]
    timings: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def user(number: int) -> None:
        nonlocal errors
        rng = random.Random(number)
        client = Client(port, cookies)
        time.sleep(rng.uniform(0, 2))  # users do not all start in the same instant
        while time.monotonic() < stop_at:
            path = rng.choice(paths[rng.choice(names)])
            try:
                elapsed, status, _ = client.timed(path)
                ok = status == 200
            except OSError:
                elapsed, ok = 0.0, False
            with lock:
                if ok:
                    timings.append(elapsed)
                else:
                    errors += 1
            time.sleep(rng.uniform(1.0, 3.0))

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"requests": len(timings) + errors, "p50_ms": round(percentile(timings, 0.5), 1),
            "p95_ms": round(percentile(timings, 0.95), 1), "p99_ms": round(percentile(timings, 0.99), 1),
            "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=DEFAULT_ITEMS)
    parser.add_argument("--samples", type=int, default=30, help="timed requests per page, one user")
    parser.add_argument("--csv-samples", type=int, default=3)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--load-seconds", type=float, default=45.0)
    parser.add_argument("--warm-up-seconds", type=float, default=10.0,
                        help="requests to every page before measuring (workers load the search model)")
    parser.add_argument("--build-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_worker:
        build_worker(args.items)
        return

    base_env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "KRISENWISSEN_SEARCH_ENGINE")}
    database = cached_database(args.items, base_env)
    run_dir = Path(tempfile.mkdtemp(prefix="krisenwissen-bench-pages-"))
    server = None
    try:
        shutil.copy(database, run_dir / "krisenwissen.sqlite3")
        env = {**base_env, "KRISENWISSEN_DATA_DIR": str(run_dir),
               "DJANGO_SETTINGS_MODULE": "krisenwissen.settings.production",
               "DJANGO_SECRET_KEY": SECRET_KEY, "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
               # plain HTTP on the loopback: no TLS proxy in front of the benchmark
               "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_HSTS_SECONDS": "0",
               "KRISENWISSEN_THREADS": os.environ.get("KRISENWISSEN_THREADS", "4")}
        for command in (["migrate", "--no-input", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
            subprocess.run([sys.executable, "-m", "krisenwissen", *command], env=env, check=True)
        info = facts(run_dir / "krisenwissen.sqlite3")
        manifest = json.loads((run_dir / "static" / "staticfiles.json").read_text())["paths"]
        static_path = "/static/" + manifest["ui/kern.css"]

        port = _free_port()
        server = start_server(env, port, run_dir / "server.log")
        client = Client(port)
        client.request("GET", "/konto/anmelden/")
        status, _ = client.request("POST", "/konto/anmelden/", {"username": READER, "password": PASSWORD,
                                                                 "csrfmiddlewaretoken": client.cookies.get("csrftoken", "")})
        if status != 302:
            raise SystemExit(f"Anmeldung fehlgeschlagen ({status})")
        print(f"gunicorn, 2 Worker, {args.items} Beobachtungen; Einzelnutzer ({args.samples} Messungen je Seite):",
              file=sys.stderr)
        paths = page_paths(info)
        warm_up(client, paths, args.warm_up_seconds)
        pages = measure_single(client, paths, args.samples, args.csv_samples)
        floor = [client.timed(static_path)[0] for _ in range(args.samples)]
        print(f"Last: {args.users} Nutzer, Denkzeit 1-3 s, {args.load_seconds:.0f} s …", file=sys.stderr)
        load = measure_load(port, client.cookies, paths, args.users, args.load_seconds)
        print(f"  {load['requests']} Anfragen: p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms, "
              f"p99 {load['p99_ms']} ms, Fehler {load['errors']}", file=sys.stderr)
        rss = worker_rss_mb(server.pid)
        print(f"  Worker-RSS (größter): {rss} MB; statische Datei p95 {percentile(floor, 0.95):.1f} ms", file=sys.stderr)
        print(json.dumps({"pages": pages, "load_p95_ms": load["p95_ms"], "load_errors": load["errors"],
                          "rss_mb": rss, "floor_p95_ms": round(percentile(floor, 0.95), 1)}))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(run_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
