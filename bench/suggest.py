"""Cost of "Meinten Sie …?" and "Gibt es schon" at scale (SQLite, the bench/search.py corpus).

    .venv/bin/python bench/suggest.py [--items N]

Builds the bench/search.py database (400 municipalities, N observations) in a temporary
directory, then measures with the scope of its reader: the first spelling suggestion (which
builds the per-visibility vocabulary), warm suggestions for the 50 benchmark queries with one
letter dropped, and the similar-items lookup for 20 draft texts. The last line of output is one
JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
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

import search as search_bench  # noqa: E402


def run_worker(items: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from krisenwissen.search.indexing import reindex_all
    from krisenwissen.search.selectors import similar_items, spelling_suggestion

    call_command("migrate", verbosity=0)
    reader = search_bench._create_content(items)["reader"]
    reindex_all()
    rng = random.Random(7)

    def typo(text: str) -> str:
        words = text.split()
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        word = words[longest]
        if len(word) >= 5:
            position = rng.randrange(1, len(word) - 1)
            words[longest] = word[:position] + word[position + 1:]
        return " ".join(words)

    began = time.perf_counter()
    spelling_suggestion(user=reader, text="Krisenstap", total=0)
    first_ms = (time.perf_counter() - began) * 1000
    suggest_ms, offered = [], 0
    for query in corpus.QUERIES:
        began = time.perf_counter()
        offered += spelling_suggestion(user=reader, text=typo(query), total=0) is not None
        suggest_ms.append((time.perf_counter() - began) * 1000)
    similar_ms = []
    for _ in range(20):
        draft = corpus.observation_text(rng)
        began = time.perf_counter()
        similar_items(user=reader, text=draft, limit=5)
        similar_ms.append((time.perf_counter() - began) * 1000)
    return {
        "items": items,
        "vocabulary_build_ms": round(first_ms, 1),
        "suggest_p50_ms": round(statistics.median(suggest_ms), 1),
        "suggest_p95_ms": round(search_bench.percentile(suggest_ms, 0.95), 1),
        "suggestions_offered": offered,
        "similar_p50_ms": round(statistics.median(similar_ms), 1),
        "similar_p95_ms": round(search_bench.percentile(similar_ms, 0.95), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=search_bench.DEFAULT_ITEMS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_worker(args.items)))
        return
    data_dir = tempfile.mkdtemp(prefix="krisenwissen-bench-suggest-")
    try:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "krisenwissen.settings.base", "DJANGO_DEBUG": "0",
               "KRISENWISSEN_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        env.pop("KRISENWISSEN_SEARCH_ENGINE", None)
        completed = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", "--items", str(args.items)],
                                   env=env, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            sys.stderr.write(completed.stdout + completed.stderr)
            raise SystemExit(f"Benchmark fehlgeschlagen (Exit {completed.returncode})")
        print(completed.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
