"""Search benchmark: 100,000 observations, 50 German queries with facets, SQLite and PostgreSQL.

    .venv/bin/python bench/search.py [--items N] [--repeat R]

For each database a fresh worker process (Django settings are per process):

1. creates a temporary database (SQLite: a file in a temporary directory; PostgreSQL: a
   database ``<name>_bench_<pid>`` on the server of ``KRISENWISSEN_PG_URL`` or a PostgreSQL
   ``DATABASE_URL``, dropped afterwards), migrates it;
2. creates 400 municipalities, networks, a crisis with phases, a code book, and N
   observations of synthetic German text (``bench/corpus.py``), spread over municipalities
   and visibilities (40 % intern, 30 % Netzwerk, 30 % öffentlich);
3. builds the search index with ``reindex_all()`` (timed);
4. runs the 50 queries of ``corpus.QUERIES`` through the configured engine with the scope of
   a non-superuser reader (own city plus a network of 12 cities), each with facets and a first
   page of 20 hits with snippets: one untimed warm-up round, then R timed rounds.

5. (SQLite worker, if ``tantivy`` is installed) builds a tantivy index of the same documents
   and runs the same queries with the same scope, facets and page of hits in the same
   process (``bench/tantivy_peer.py``): the peer measured in the same run.

Without a PostgreSQL URL only SQLite is measured and the postgres figures are null.
The last line of output is one JSON object with ``sqlite_p50_ms``, ``sqlite_p95_ms``,
``postgres_p50_ms``, ``postgres_p95_ms``, ``rss_mb`` (the largest peak resident set size
of the worker processes), ``tantivy_p50_ms``, ``tantivy_p95_ms`` and
``sqlite_tantivy_p95_ratio`` (our SQLite p95 divided by tantivy's; null without tantivy).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import corpus  # noqa: E402

DEFAULT_ITEMS = 100_000
DEFAULT_REPEAT = 3
MUNICIPALITIES = 400
NETWORK_SIZE = 12
SEED = 20231117


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile with linear interpolation (as numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


# --- worker ----------------------------------------------------------------------------------

def _create_content(items: int) -> dict:
    """Municipalities, networks, code book, crisis and ``items`` observations (bulk inserts)."""
    from django.utils import timezone

    from krisenwissen.accounts.models import Membership, Municipality, Network, User
    from krisenwissen.knowledge.models import Code, Crisis, Observation, Phase, Scheme

    rng = random.Random(SEED)
    municipalities = Municipality.objects.bulk_create([
        Municipality(name=f"Kommune {number}", ags=f"{10000 + number:05d}", is_participating=True)
        for number in range(MUNICIPALITIES)
    ])
    municipality_ids = [m.pk for m in municipalities]
    # Networks of NETWORK_SIZE neighbouring municipalities; the reader's city is in the first.
    for start in range(0, MUNICIPALITIES, NETWORK_SIZE):
        network = Network.objects.create(name=f"Netzwerk {start}", slug=f"netzwerk-{start}")
        network.members.set(municipalities[start:start + NETWORK_SIZE])
    reader = User.objects.create_user("bench-leser", password="bench-passwort-123")
    Membership.objects.create(user=reader, municipality=municipalities[0], role="leser")

    crises = [Crisis.objects.create(title=title) for title in ("COVID-19-Pandemie", "Hochwasser 2021", "Energiekrise")]
    phases = [Phase.objects.create(crisis=crisis, number=n, name=f"Phase {n}") for crisis in crises for n in range(1, 5)]
    themes = Scheme.objects.create(key="themen", name="Themenschwerpunkte")
    other = Scheme.objects.create(key="faehigkeiten", name="Fähigkeitselemente")
    parents = [Code.objects.create(scheme=themes, key=f"thema-{n}", name=f"Thema {n}") for n in range(8)]
    children = [
        Code.objects.create(scheme=themes, key=f"thema-{p}-{n}", name=f"Unterthema {p}.{n}", parent=parent)
        for p, parent in enumerate(parents) for n in range(3)
    ]
    capabilities = [Code.objects.create(scheme=other, key=f"faehigkeit-{n}", name=f"Fähigkeit {n}") for n in range(20)]
    codes = children + capabilities

    kinds = ["herausforderung", "gelingensfaktor", "verbesserungspotenzial", "erfahrung", "zitat"]
    functions = ["krisenstab", "gesundheitsamt", "ordnungsamt", "feuerwehr", "presse", "sozialamt", ""]
    now = timezone.now()
    through = Observation.codes.through
    batch_size = 5000
    for start in range(0, items, batch_size):
        batch = []
        for _ in range(min(batch_size, items - start)):
            phase = rng.choice(phases)
            batch.append(Observation(
                municipality_id=rng.choice(municipality_ids),
                visibility=rng.choices(["intern", "netzwerk", "oeffentlich"], weights=[4, 3, 3])[0],
                kind=rng.choice(kinds), text=corpus.observation_text(rng),
                crisis_id=phase.crisis_id, phase_id=phase.pk, department_function=rng.choice(functions),
            ))
        created = Observation.objects.bulk_create(batch)
        # created_at is auto_now_add; spread it over three years for a realistic browse order.
        for observation in created:
            observation.created_at = now - timezone.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        Observation.objects.bulk_update(created, ["created_at"], batch_size=1000)
        through.objects.bulk_create([
            through(observation_id=observation.pk, code_id=code.pk)
            for observation in created for code in rng.sample(codes, rng.randint(1, 3))
        ])
    return {"reader": reader}


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_worker(vendor: str, items: int, repeat: int) -> dict:
    """Set up one database, index, query; return the measurements."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from krisenwissen.accounts.selectors import visibility_scope
    from krisenwissen.search.engine import SearchQuery, get_engine
    from krisenwissen.search.indexing import reindex_all

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    content = _create_content(items)
    create_seconds = time.perf_counter() - started

    started = time.perf_counter()
    counts = reindex_all()
    index_seconds = time.perf_counter() - started

    scope = visibility_scope(content["reader"])
    engine = get_engine()
    # Setting up 100,000 items leaves a large heap behind that a web worker would not have;
    # without this, Python's full garbage collections of that heap (triggered by the many
    # short-lived rows of each search) would be measured as search time.
    del content["reader"]
    gc.collect()
    gc.freeze()
    queries = [SearchQuery(text=text, scope=scope, limit=20) for text in corpus.QUERIES]
    totals = {}
    for query in queries:  # warm-up: caches, statement preparation
        totals[query.text] = engine.search(query).total
    timings: list[float] = []
    per_query: dict[str, list[float]] = {query.text: [] for query in queries}
    for _ in range(repeat):
        for query in queries:
            began = time.perf_counter()
            engine.search(query)
            elapsed = (time.perf_counter() - began) * 1000
            timings.append(elapsed)
            per_query[query.text].append(elapsed)

    # Browse mode: the first request of an index generation counts row by row, the second
    # builds the per-(municipality, visibility) counts, later ones reuse them.
    browse = []
    for _ in range(repeat + 2):
        began = time.perf_counter()
        browse_total = engine.search(SearchQuery(text="", scope=scope, limit=20)).total
        browse.append((time.perf_counter() - began) * 1000)
    filtered_browse = []
    for _ in range(repeat):
        began = time.perf_counter()
        engine.search(SearchQuery(text="", scope=scope, limit=20, filters={"observation_kind": ["herausforderung"]}))
        filtered_browse.append((time.perf_counter() - began) * 1000)

    # Our worker's peak before the peer (whose index writer and rows add their own memory).
    rss_mb = round(_peak_rss_mb(), 1)
    peer = _measure_tantivy(scope, repeat) if vendor == "sqlite" else None

    if vendor == "sqlite":
        version = connection.cursor().execute("select sqlite_version()").fetchone()[0]
    else:
        with connection.cursor() as cursor:
            cursor.execute("show server_version")
            version = cursor.fetchone()[0]
    slowest = sorted(per_query.items(), key=lambda pair: -statistics.median(pair[1]))[:5]
    return {
        "vendor": vendor,
        "version": version,
        "items": counts["observation"],
        "create_s": round(create_seconds, 1),
        "index_s": round(index_seconds, 1),
        "visible_items": browse_total,
        "p50_ms": round(percentile(timings, 0.50), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "browse_first_ms": round(browse[0], 2),
        "browse_build_ms": round(browse[1], 2),
        "browse_median_ms": round(statistics.median(browse[2:]), 2),
        "filtered_browse_median_ms": round(statistics.median(filtered_browse), 2),
        "median_hits": statistics.median(totals.values()),
        "max_hits": max(totals.values()),
        "slowest": [(text, round(statistics.median(values), 1), totals[text]) for text, values in slowest],
        "samples": len(timings),
        "rss_mb": rss_mb,
        "tantivy": _peer_summary(peer, totals) if peer else None,
    }


def _measure_tantivy(scope, repeat: int) -> dict | None:
    """The tantivy peer (``bench/tantivy_peer.py``) over the rows of our own index, with the
    same scope and queries; None if tantivy is not installed."""
    try:
        import tantivy_peer
    except ImportError:
        return None
    from django.db import connection

    from krisenwissen.search.acl import document_tokens, scope_tokens
    from krisenwissen.search.backends.base import theme_code_ids

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.id, d.kind, d.item_kind, d.phase_id, d.crisis_id, d.municipality_id, d.department_function, "
            "d.code_ids, d.visibility, d.title, t.body FROM search_searchdocument d "
            "JOIN search_searchtext t ON t.document_id = d.id ORDER BY d.id"
        )
        rows = cursor.fetchall()
    tokens = None if scope.everything else scope_tokens(scope.own, scope.network)
    result = tantivy_peer.measure(rows, document_tokens, tokens, corpus.QUERIES, theme_code_ids(), repeat)
    del rows
    return result


def _peer_summary(peer: dict, totals: dict) -> dict:
    timings = peer["timings"]
    same = sum(1 for text, total in peer["totals"].items() if totals.get(text) == total)
    return {
        "index_s": peer["index_s"],
        "p50_ms": round(percentile(timings, 0.50), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "same_totals": same,
        "median_hits": statistics.median(peer["totals"].values()),
        "max_hits": max(peer["totals"].values()),
    }


# --- orchestrator ----------------------------------------------------------------------------

def _postgres_url() -> str | None:
    for name in ("KRISENWISSEN_PG_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return None


def _with_database(url: str, database: str) -> str:
    base, _, _old = url.rpartition("/")
    return f"{base}/{database}"


def _postgres_admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


def _run_child(vendor: str, env: dict, items: int, repeat: int) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", vendor,
               "--items", str(items), "--repeat", str(repeat)]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"{vendor}-Benchmark fehlgeschlagen (Exit {completed.returncode})")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _report(result: dict) -> None:
    print(
        f"{result['vendor']} {result['version']}: {result['items']} Beobachtungen "
        f"(Anlage {result['create_s']} s, Indexaufbau {result['index_s']} s), "
        f"{result['visible_items']} für die Testperson sichtbar"
    )
    print(
        f"  {result['samples']} Suchen: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
        f"max {result['max_ms']} ms; Trefferzahl Median {result['median_hits']}, max {result['max_hits']}"
    )
    print(
        f"  Stöbern ohne Suchbegriff (alle sichtbaren + Facetten): erste Anfrage {result['browse_first_ms']} ms, "
        f"zweite (baut Zählungen) {result['browse_build_ms']} ms, danach Median {result['browse_median_ms']} ms; "
        f"mit Filter (Art der Beobachtung): "
        f"Median {result['filtered_browse_median_ms']} ms"
    )
    print("  langsamste Suchen (Median ms, Treffer): " + "; ".join(f"{t!r} {ms} ({n})" for t, ms, n in result["slowest"]))
    print(f"  Speicher (Spitzenwert RSS): {result['rss_mb']} MB")
    peer = result.get("tantivy")
    if peer:
        print(
            f"  tantivy (gleiche Dokumente, Anfragen, Sichtbarkeit, Facetten; Index {peer['index_s']} s): "
            f"p50 {peer['p50_ms']} ms, p95 {peer['p95_ms']} ms, max {peer['max_ms']} ms; Trefferzahl Median "
            f"{peer['median_hits']}, max {peer['max_hits']}; gleiche Trefferzahl bei {peer['same_totals']} von "
            f"{len(corpus.QUERIES)} Anfragen"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=DEFAULT_ITEMS)
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT)
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(run_worker(args.worker, args.items, args.repeat)))
        return

    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "krisenwissen.settings.base", "DJANGO_DEBUG": "0"}
    base_env.pop("KRISENWISSEN_SEARCH_ENGINE", None)
    results = {}

    data_dir = tempfile.mkdtemp(prefix="krisenwissen-bench-")
    try:
        env = {**base_env, "KRISENWISSEN_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        results["sqlite"] = _run_child("sqlite", env, args.items, args.repeat)
        _report(results["sqlite"])
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    pg_url = _postgres_url()
    if pg_url:
        database = f"krisenwissen_bench_{os.getpid()}"
        admin_url = _with_database(pg_url, "postgres")
        _postgres_admin(admin_url, f'CREATE DATABASE "{database}"')
        data_dir = tempfile.mkdtemp(prefix="krisenwissen-bench-")
        try:
            env = {**base_env, "KRISENWISSEN_DATA_DIR": data_dir, "DATABASE_URL": _with_database(pg_url, database)}
            results["postgres"] = _run_child("postgres", env, args.items, args.repeat)
            _report(results["postgres"])
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
            _postgres_admin(admin_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    else:
        print("postgres: übersprungen (weder KRISENWISSEN_PG_URL noch ein PostgreSQL-DATABASE_URL gesetzt)")

    pg = results.get("postgres")
    peer = results["sqlite"].get("tantivy")
    print(json.dumps({
        "sqlite_p50_ms": results["sqlite"]["p50_ms"],
        "sqlite_p95_ms": results["sqlite"]["p95_ms"],
        "postgres_p50_ms": pg["p50_ms"] if pg else None,
        "postgres_p95_ms": pg["p95_ms"] if pg else None,
        "rss_mb": max(result["rss_mb"] for result in results.values()),
        "tantivy_p50_ms": peer["p50_ms"] if peer else None,
        "tantivy_p95_ms": peer["p95_ms"] if peer else None,
        # Our SQLite p95 divided by tantivy's, measured in the same worker process.
        "sqlite_tantivy_p95_ratio": round(results["sqlite"]["p95_ms"] / peer["p95_ms"], 2) if peer else None,
    }))


if __name__ == "__main__":
    main()
