"""The tantivy peer of the search benchmark (issue 19): the same items, queries, scope and facets.

``bench/search.py`` calls :func:`measure` in its SQLite worker after measuring our engine, with
the rows of our own search index (so the peer indexes exactly the same documents) and the
same reader scope. tantivy (the Python bindings of the Rust engine) gets:

- a German analyzer of its own: simple tokenizer, lower case, German stopwords, Snowball
  German stemmer, ASCII folding (ours: the same steps in Python, ``search/text.py``);
  title and body indexed separately, the title boosted 10× as in our BM25 weights;
- substring matches ("Schutz" in "Schutzausrüstung") as a regular expression ``.*term.*``
  over a folded, unstemmed word field (ours: a trigram index over the folded text);
- the visibility filter as a multi-valued raw field of the same permission tokens our index
  carries (``search/acl.py``), required with a term-set query;
- facet counts of all visible matches with terms aggregations over fast fields (kind,
  observation kind, phase, crisis, municipality, department function, codes with their
  ancestors; the theme facet is the code facet restricted to the theme scheme, as ours);
- the first page of 20 hits: stored title and body of each and a highlighted snippet.

Query semantics as ours: all stems must match, or all substrings must match.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence

import tantivy

FACET_FIELDS = ("kind", "item_kind", "phase", "crisis", "municipality", "department", "codes")
TITLE_BOOST = 10.0
STEM_ANALYZER = "de_stem"
WORD_ANALYZER = "de_words"
AGGREGATION = {field: {"terms": {"field": field, "size": 10_000}} for field in FACET_FIELDS}


def _stem_analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stopword("german"))
        .filter(tantivy.Filter.stemmer("german"))
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def _word_analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("title", stored=True, tokenizer_name=STEM_ANALYZER)
    builder.add_text_field("body", stored=True, tokenizer_name=STEM_ANALYZER)
    builder.add_text_field("words", stored=False, tokenizer_name=WORD_ANALYZER, index_option="basic")
    builder.add_text_field("acl", stored=False, tokenizer_name="raw", index_option="basic")
    for field in ("kind", "item_kind", "department"):
        builder.add_text_field(field, stored=False, fast=True, tokenizer_name="raw", index_option="basic")
    for field in ("phase", "crisis", "municipality", "codes"):
        builder.add_integer_field(field, stored=False, indexed=False, fast=True)
    return builder.build()


class TantivyPeer:
    """A tantivy index of the benchmark documents in a temporary directory."""

    def __init__(self) -> None:
        self.directory = tempfile.mkdtemp(prefix="krisenwissen-tantivy-")
        self.schema = _schema()
        self.index = tantivy.Index(self.schema, path=self.directory)
        self.index.register_tokenizer(STEM_ANALYZER, _stem_analyzer())
        self.index.register_tokenizer(WORD_ANALYZER, _word_analyzer())
        self.stem_analyzer = _stem_analyzer()
        self.word_analyzer = _word_analyzer()
        self.searcher = None

    def close(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def build(self, rows: Iterable[Sequence], acl_tokens) -> int:
        """Index rows ``(id, kind, item_kind, phase, crisis, municipality, department, code_ids,
        visibility, title, body)``; ``acl_tokens(visibility, municipality)`` gives the tokens."""
        writer = self.index.writer(heap_size=256_000_000, num_threads=1)
        count = 0
        for doc_id, kind, item_kind, phase, crisis, municipality, department, code_ids, visibility, title, body in rows:
            document = tantivy.Document()
            document.add_integer("id", doc_id)
            document.add_text("title", title or "")
            document.add_text("body", body or "")
            document.add_text("words", f"{title or ''} {body or ''}")
            for token in acl_tokens(visibility, municipality):
                document.add_text("acl", token)
            document.add_text("kind", kind)
            if item_kind:
                document.add_text("item_kind", item_kind)
            if department:
                document.add_text("department", department)
            for field, value in (("phase", phase), ("crisis", crisis), ("municipality", municipality)):
                if value is not None:
                    document.add_integer(field, value)
            for code_id in (code_ids or "").split():
                document.add_integer("codes", int(code_id))
            writer.add_document(document)
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        return count

    def query(self, text: str, scope_tokens: list[str] | None) -> tantivy.Query | None:
        Occur, Query = tantivy.Occur, tantivy.Query
        stems = list(dict.fromkeys(self.stem_analyzer.analyze(text)))
        words = [word for word in dict.fromkeys(self.word_analyzer.analyze(text)) if len(word) >= 3]
        alternatives = []
        if stems:
            alternatives.append(Query.boolean_query([
                (Occur.Must, Query.boolean_query([
                    (Occur.Should, Query.boost_query(Query.term_query(self.schema, "title", stem), TITLE_BOOST)),
                    (Occur.Should, Query.term_query(self.schema, "body", stem)),
                ]))
                for stem in stems
            ]))
        if words:
            alternatives.append(Query.const_score_query(Query.boolean_query([
                (Occur.Must, Query.regex_query(self.schema, "words", f".*{re.escape(word)}.*"))
                for word in words
            ]), 0.1))
        if not alternatives:
            return None
        text_query = Query.boolean_query([(Occur.Should, alternative) for alternative in alternatives])
        if scope_tokens is None:
            return text_query
        permission = Query.const_score_query(Query.term_set_query(self.schema, "acl", scope_tokens), 0.0)
        return Query.boolean_query([(Occur.Must, text_query), (Occur.Must, permission)])

    def search(self, text: str, scope_tokens: list[str] | None, themes: frozenset[int], limit: int = 20) -> dict:
        """Total, facet counts and a page of hits with snippets, like our engine's search()."""
        query = self.query(text, scope_tokens)
        if query is None:
            return {"total": 0, "facets": {}, "hits": []}
        result = self.searcher.search(query, limit, count=True)
        aggregations = self.searcher.aggregate(query, AGGREGATION)
        facets = {
            field: {bucket["key"]: bucket["doc_count"] for bucket in aggregations[field]["buckets"]}
            for field in FACET_FIELDS
        }
        facets["theme"] = {code: count for code, count in facets["codes"].items() if int(code) in themes}
        snippets = tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "body")
        hits = []
        for score, address in result.hits:
            document = self.searcher.doc(address)
            hits.append((document["id"][0], document["title"][0], snippets.snippet_from_doc(document).to_html(), score))
        return {"total": result.count, "facets": facets, "hits": hits}


def measure(rows: Iterable[Sequence], acl_tokens, scope_tokens: list[str] | None, queries: list[str],
            themes: frozenset[int], repeat: int) -> dict:
    """Build the peer index from ``rows``, run ``queries`` (one warm-up round, ``repeat``
    timed rounds); return index time, all timings (ms) and the total of each query."""
    peer = TantivyPeer()
    try:
        started = time.perf_counter()
        peer.build(rows, acl_tokens)
        index_seconds = time.perf_counter() - started
        totals = {text: peer.search(text, scope_tokens, themes)["total"] for text in queries}
        timings: list[float] = []
        for _ in range(repeat):
            for text in queries:
                began = time.perf_counter()
                peer.search(text, scope_tokens, themes)
                timings.append((time.perf_counter() - began) * 1000)
        return {"index_s": round(index_seconds, 1), "timings": timings, "totals": totals, "version": tantivy.__version__ if hasattr(tantivy, "__version__") else "0.27"}
    finally:
        peer.close()
