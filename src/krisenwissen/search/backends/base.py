"""What the SQLite and PostgreSQL engines share: storage through the ORM, permission and
filter SQL, rank fusion, facet counting and hit assembly.

A vendor engine only supplies ``text_candidates()``: the narrow index rows of *all*
documents that match a text query by stem or by substring, read with the scope and filter
condition in their WHERE clause (and the scope's permission tokens inside the full-text
match, so that unreadable documents are not even read). Ranking, totals, facets and hits
are computed from those rows only, so they can never include an item outside the scope.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from operator import itemgetter
from typing import NamedTuple

from django.db import connection, transaction

from krisenwissen.accounts.selectors import VisibilityScope
from krisenwissen.knowledge.models import Code, Scheme

from ..acl import document_acl, document_trigram_acl
from ..dense import DENSE_ONLY_LIMIT, min_similarity, visible_dense_matches
from ..engine import (
    FACET_KEYS,
    THEME_SCHEME_KEY,
    Hit,
    IndexDocument,
    SearchEngine,
    SearchQuery,
    SearchResult,
    normalise_filters,
)
from ..fusion import reciprocal_rank_fusion
from ..models import SearchDocument, SearchDocumentCode, SearchText, SearchWord
from ..snippets import make_snippet
from ..text import ParsedQuery, folded_text, parse_query, stemmed_text, stems_covered

DOCUMENT_TABLE = SearchDocument._meta.db_table
TEXT_TABLE = SearchText._meta.db_table
CODE_TABLE = SearchDocumentCode._meta.db_table

# The browse-mode counts of the current index generation in this process (see
# DatabaseSearchEngine.browse_buckets): ``(generation key, counts)`` or None. A plain
# module value rather than Django's cache: the counts are read on every browse request,
# and the local-memory cache would unpickle a copy each time.
_browse_memo: tuple | None = None

# Ids per statement when rows are read by id (well below SQLite's parameter limit).
ID_BATCH_SIZE = 500
# Documents are written in batches of this size (bounded memory and SQL parameter counts).
WRITE_BATCH_SIZE = 500

# Candidate rows are plain tuples (thousands are read per search; tuples are the cheapest
# to build). Their columns, in this order:
ROW_COLUMNS = (
    "d.id, d.kind, d.item_kind, d.phase_id, d.crisis_id, d.municipality_id, "
    "d.department_function, d.code_ids, {created}"
)
ID, KIND, ITEM_KIND, PHASE, CRISIS, MUNICIPALITY, DEPARTMENT, CODES, CREATED = range(9)
# An engine may leave further columns after these (SQLite keeps the stem score there).
CandidateRow = tuple

# Questions in natural language rarely share *every* word with the item that answers them
# ("Wie gehen wir mit erschöpften Mitarbeitenden um?"). A query of at least this many stems
# therefore also ranks the items that contain only some of its words (BM25 over any stem),
# and up to PARTIAL_ONLY_LIMIT of them join the result if they contain at least
# PARTIAL_MIN_STEMS of the query's stems. Shorter queries keep strict AND matching, so a
# search for two words never fills up with items that name only one.
QUESTION_MIN_STEMS = 3
PARTIAL_CANDIDATES = 100
PARTIAL_ONLY_LIMIT = 10
PARTIAL_MIN_STEMS = 2


class TextMatches(NamedTuple):
    """The result of a text query before ranking.

    ``rows``: every readable, filtered match once; ``stem_scores``: id → relevance (higher is
    better) of the stem matches among them; ``substring_ids``: ids of the substring matches
    (may contain ids that are not in ``rows``).
    """

    rows: list[CandidateRow]
    stem_scores: dict[int, float]
    substring_ids: set[int]


def scope_condition(scope: VisibilityScope) -> tuple[str, list]:
    """SQL condition on alias ``d`` that admits exactly the documents ``scope`` may read."""
    if scope.everything:
        return "1=1", []
    parts = ["d.visibility = %s"]
    params: list = ["oeffentlich"]
    if scope.own:
        own = sorted(scope.own)
        parts.append(f"d.municipality_id IN ({', '.join(['%s'] * len(own))})")
        params.extend(own)
    if scope.network:
        network = sorted(scope.network)
        parts.append(f"(d.visibility = %s AND d.municipality_id IN ({', '.join(['%s'] * len(network))}))")
        params.append("netzwerk")
        params.extend(network)
    return "(" + " OR ".join(parts) + ")", params


_COLUMN_FILTERS = {
    "kind": "d.kind",
    "observation_kind": "d.item_kind",
    "phase": "d.phase_id",
    "crisis": "d.crisis_id",
    "municipality": "d.municipality_id",
    "department_function": "d.department_function",
}


def filter_conditions(filters: dict[str, tuple]) -> tuple[list[str], list]:
    """SQL conditions on alias ``d`` for normalised filters (see ``engine.normalise_filters``)."""
    conditions: list[str] = []
    params: list = []
    for key, values in filters.items():
        if not values:
            conditions.append("1=0")
            continue
        placeholders = ", ".join(["%s"] * len(values))
        if key in _COLUMN_FILTERS:
            conditions.append(f"{_COLUMN_FILTERS[key]} IN ({placeholders})")
        else:  # theme, code: the code table holds every code's ancestors, so descendants match
            conditions.append(f"d.id IN (SELECT document_id FROM {CODE_TABLE} WHERE code_id IN ({placeholders}))")
        params.extend(values)
    return conditions, params


_THEME_CODES_SQL = (
    f"SELECT c.id FROM {Code._meta.db_table} c JOIN {Scheme._meta.db_table} s ON s.id = c.scheme_id WHERE s.key = %s"
)


def theme_code_ids() -> frozenset[int]:
    """Ids of all codes of the theme scheme (used to split the theme facet from the code facet)."""
    # Plain SQL: it runs on every search, and the ORM's query compilation costs more than
    # the query itself.
    with connection.cursor() as cursor:
        cursor.execute(_THEME_CODES_SQL, [THEME_SCHEME_KEY])
        return frozenset(row[0] for row in cursor.fetchall())


def count_facets(rows: list[CandidateRow], themes: frozenset[int]) -> dict[str, dict[object, int]]:
    """Facet counts over ``rows``: ``{key: {value: count}}`` for every key in ``FACET_KEYS``."""
    if not rows:
        return {key: {} for key in FACET_KEYS}
    # Column-wise counting: zip() and Counter() do the per-row work in C, which matters
    # because this runs over every match of every search.
    columns = list(zip(*rows, strict=False))

    def counts(index: int) -> dict:
        counter = Counter(columns[index])
        counter.pop(None, None)
        counter.pop("", None)
        return dict(counter)

    code_counts = {int(code_id): count for code_id, count in Counter(" ".join(columns[CODES]).split()).items()}
    return {
        "kind": counts(KIND),
        "observation_kind": counts(ITEM_KIND),
        "theme": {code_id: count for code_id, count in code_counts.items() if code_id in themes},
        "code": code_counts,
        "phase": counts(PHASE),
        "crisis": counts(CRISIS),
        "municipality": counts(MUNICIPALITY),
        "department_function": counts(DEPARTMENT),
    }


def index_state() -> tuple[int, str]:
    """``(number of documents, newest indexed_at)`` of the search index.

    Two statements on purpose: SQLite answers a lone ``COUNT(*)`` from its smallest b-tree
    and a lone ``MAX()`` from the index in a fraction of a millisecond, but scans every row
    for both in one statement (14 ms at 100,000 documents, on every browse request).
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {DOCUMENT_TABLE}")
        (count,) = cursor.fetchone()
        cursor.execute(f"SELECT MAX(indexed_at) FROM {DOCUMENT_TABLE}")
        (newest,) = cursor.fetchone()
    return (count, str(newest))


class DatabaseSearchEngine(SearchEngine):
    """An engine that keeps its index in the project's database (tables of ``models.py``)."""

    # Rank fusion weights of the stemmed and the substring list: whole-word matches are the
    # more precise signal.
    stem_weight = 1.0
    substring_weight = 0.5
    # Weight of the dense (sentence embedding) list; see docs/benchmarks.md for its tuning.
    dense_weight = 2.0
    # Weight of the any-word list of questions (QUESTION_MIN_STEMS); see docs/benchmarks.md.
    partial_weight = 1.0

    # --- writing ---------------------------------------------------------------------------

    def index(self, docs: Iterable[IndexDocument]) -> int:
        count = 0
        batch: list[IndexDocument] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= WRITE_BATCH_SIZE:
                count += self._write_batch(batch)
                batch = []
        if batch:
            count += self._write_batch(batch)
        return count

    def _write_batch(self, docs: list[IndexDocument]) -> int:
        # Later documents for the same key win, like repeated single index() calls.
        unique = list({doc.key: doc for doc in docs}.values())
        with transaction.atomic():
            self._delete_keys([doc.key for doc in unique])
            created = SearchDocument.objects.bulk_create([
                SearchDocument(
                    kind=doc.kind, object_id=doc.object_id, municipality_id=doc.municipality_id,
                    visibility=doc.visibility, title=doc.title, crisis_id=doc.crisis_id,
                    phase_id=doc.phase_id, department_function=doc.department_function or "",
                    item_kind=doc.item_kind or "", code_ids=" ".join(map(str, sorted(doc.code_ids))),
                    created_at=doc.created_at,
                )
                for doc in unique
            ])
            texts = SearchText.objects.bulk_create([
                SearchText(
                    document=row, body=doc.body,
                    title_stemmed=stemmed_text(doc.title), body_stemmed=stemmed_text(doc.body),
                    title_folded=folded_text(doc.title), body_folded=folded_text(doc.body),
                    acl=document_acl(doc.visibility, doc.municipality_id),
                    acl_trigram=document_trigram_acl(doc.visibility, doc.municipality_id),
                )
                for row, doc in zip(created, unique, strict=True)
            ])
            self.texts_written(texts)
            SearchDocumentCode.objects.bulk_create([
                SearchDocumentCode(document=row, code_id=code_id)
                for row, doc in zip(created, unique, strict=True)
                for code_id in sorted(doc.code_ids)
            ])
        return len(unique)

    def _delete_keys(self, keys: list[tuple[str, int]]) -> int:
        by_kind: dict[str, list[int]] = {}
        for kind, object_id in keys:
            by_kind.setdefault(kind, []).append(object_id)
        removed = 0
        for kind, object_ids in by_kind.items():
            ids = list(SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).values_list("id", flat=True))
            if ids:
                texts = SearchText.objects.filter(document_id__in=ids)
                old_texts = list(texts.values_list("title_folded", "body_folded")) if self.keeps_vocabulary else []
                # Children first and explicitly: the SQLite full-text triggers fire on the
                # text rows' deletion.
                SearchDocumentCode.objects.filter(document_id__in=ids).delete()
                texts.delete()
                removed += SearchDocument.objects.filter(id__in=ids).delete()[1].get(SearchDocument._meta.label, 0)
                if old_texts:
                    self.texts_removed(old_texts)
        return removed

    def remove(self, keys: Iterable[tuple[str, int]]) -> int:
        keys = list(keys)
        removed = 0
        with transaction.atomic():
            for start in range(0, len(keys), WRITE_BATCH_SIZE):
                removed += self._delete_keys(keys[start:start + WRITE_BATCH_SIZE])
        return removed

    # Engines with a vocabulary of the indexed words (SQLite) get the texts written and the
    # folded texts removed through the two hooks below, in the writing transaction.
    keeps_vocabulary = False

    def texts_written(self, texts: list[SearchText]) -> None:
        """Called in the writing transaction with the text rows just stored."""

    def texts_removed(self, folded_texts: list[tuple[str, str]]) -> None:
        """Called in the writing transaction with ``(title_folded, body_folded)`` of the text
        rows just deleted (only if ``keeps_vocabulary``)."""

    def clear(self) -> None:
        with transaction.atomic():
            SearchDocumentCode.objects.all().delete()
            SearchText.objects.all().delete()
            SearchDocument.objects.all().delete()
            SearchWord.objects.all().delete()

    # --- reading ---------------------------------------------------------------------------

    @abc.abstractmethod
    def text_candidates(self, query: ParsedQuery, scope: VisibilityScope, where: str, params: list) -> TextMatches:
        """All documents matching a text query, by stem or by substring.

        Every returned row must satisfy ``where``/``params`` (the scope and filter
        condition); ``scope`` is passed as well for engines that can apply it earlier.
        """

    def partial_candidates(
        self, query: ParsedQuery, scope: VisibilityScope, where: str, params: list, limit: int,
    ) -> list[int]:
        """Ids of the best ``limit`` readable, filtered documents containing *any* stem of
        ``query``, best first (BM25 or the vendor's equivalent). Engines that cannot rank
        such matches return an empty list: questions then rely on the other lists."""
        return []

    def partial_ranking(self, query: ParsedQuery, scope: VisibilityScope, where: str, params: list) -> list[int]:
        """The any-word list of a question: :meth:`partial_candidates` that contain at least
        PARTIAL_MIN_STEMS distinct stems of the query, in their order."""
        ids = self.partial_candidates(query, scope, where, params, PARTIAL_CANDIDATES)
        if not ids:
            return []
        sql = (
            f"SELECT document_id, title_stemmed, body_stemmed FROM {TEXT_TABLE} "
            f"WHERE document_id IN ({', '.join(['%s'] * len(ids))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, ids)
            covered = {
                doc_id: stems_covered(query, f"{title} {body}") for doc_id, title, body in cursor.fetchall()
            }
        minimum = min(PARTIAL_MIN_STEMS, len(query.stems))
        return [doc_id for doc_id in ids if covered.get(doc_id, 0) >= minimum]

    # SQL for the creation time in candidate rows. It only has to sort correctly, so vendors
    # may return something cheaper to read than a datetime.
    created_sql = "d.created_at"

    @property
    def row_columns(self) -> str:
        return ROW_COLUMNS.format(created=self.created_sql)

    def browse_candidates(self, where: str, params: list) -> list[CandidateRow]:
        """All visible documents that pass the filters (browse mode)."""
        return self._fetch(f"SELECT {self.row_columns} FROM {DOCUMENT_TABLE} d WHERE {where}", params)

    def index_generation(self) -> tuple:
        """A value that changes whenever documents are added, changed or removed.

        Every write re-creates the document rows with a new ``indexed_at``, and removals
        lower the count; both are read from indexes.
        """
        return index_state()

    def browse_buckets(self) -> dict | None:
        """Document counts per facet value, split by what decides readability.

        Whether a scope may read a document depends only on its municipality and
        visibility. So unfiltered browse mode can answer any scope from counts of public
        documents (``"public"``), of all documents (``"all"``, for "everything"), and of the
        non-public documents per municipality and visibility (``"private"``). The counts
        are kept in the process for the current index generation only, so they are never
        stale: any index write, in any process, changes the generation. Returns None for
        the first request of a generation (see below).
        """
        global _browse_memo
        key = (connection.vendor, connection.settings_dict["NAME"], self.index_generation())
        memo = _browse_memo
        if memo is not None and memo[0] == key and memo[1] is not None:
            return memo[1]
        if memo is None or memo[0] != key:
            # Building the counts costs several row-by-row browse requests. While the index
            # changes between every two requests (e.g. during data entry), it would never pay
            # off, so the first request of a generation is answered row by row (None).
            _browse_memo = (key, None)
            return None
        # One scan of the narrow table; the grouping happens in C (zip, Counter), which is
        # several times faster than one GROUP BY query per facet.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.municipality_id, d.visibility, d.kind, d.item_kind, d.phase_id, d.crisis_id, "
                f"d.department_function, d.code_ids FROM {DOCUMENT_TABLE} d"
            )
            rows = cursor.fetchall()
        columns = list(zip(*rows, strict=False)) or [()] * 8
        municipalities, visibilities = columns[0], columns[1]
        grouped: dict[str, Counter] = {
            facet: Counter(zip(municipalities, visibilities, columns[index], strict=True))
            for facet, index in (("kind", 2), ("observation_kind", 3), ("phase", 4), ("crisis", 5), ("department_function", 6))
        }
        grouped["municipality"] = Counter(zip(municipalities, visibilities, municipalities, strict=True))
        # Code ids stay strings here (one int() per distinct bucket below, not per row).
        grouped["code"] = Counter(
            (municipality_id, visibility, code_id)
            for municipality_id, visibility, code_ids in zip(municipalities, visibilities, columns[7], strict=True)
            if code_ids
            for code_id in code_ids.split()
        )

        public: dict[str, Counter] = {facet: Counter() for facet in FACET_KEYS}
        everything: dict[str, Counter] = {facet: Counter() for facet in FACET_KEYS}
        private: dict[int, dict[str, dict[str, Counter]]] = {}
        for facet, counts in grouped.items():
            for (municipality_id, visibility, value), count in counts.items():
                if value in (None, ""):
                    continue
                if facet == "code":
                    value = int(value)
                everything[facet][value] += count
                if visibility == "oeffentlich":
                    public[facet][value] += count
                else:
                    by_visibility = private.setdefault(municipality_id, {}).setdefault(visibility, {})
                    target = by_visibility.get(facet)
                    if target is None:
                        target = by_visibility[facet] = Counter()
                    target[value] += count
        buckets = {"public": public, "all": everything, "private": private}
        _browse_memo = (key, buckets)
        return buckets

    def browse_facets(self, scope: VisibilityScope, themes: frozenset[int]) -> tuple[int, dict[str, dict[object, int]]] | None:
        """Total and facet counts of unfiltered browse mode for ``scope``, from the buckets;
        None if there are none for this index generation yet."""
        buckets = self.browse_buckets()
        if buckets is None:
            return None
        if scope.everything:
            totals = {facet: Counter(counts) for facet, counts in buckets["all"].items()}
        else:
            totals = {facet: Counter(counts) for facet, counts in buckets["public"].items()}
            # Mirrors VisibilityScope.allows(): own municipalities at any visibility,
            # network municipalities at visibility "netzwerk".
            readable = [
                counts for municipality_id in scope.own
                for counts in buckets["private"].get(municipality_id, {}).values()
            ] + [
                buckets["private"].get(municipality_id, {}).get("netzwerk", {})
                for municipality_id in scope.network - scope.own
            ]
            for facet_counts in readable:
                for facet, counts in facet_counts.items():
                    totals[facet].update(counts)
        facets = {facet: dict(counts) for facet, counts in totals.items()}
        facets["theme"] = {code_id: count for code_id, count in facets["code"].items() if code_id in themes}
        return sum(facets["municipality"].values()), facets

    def browse_page(self, where: str, params: list, limit: int, offset: int) -> list[int]:
        """Ids of one page of visible, filtered documents, newest first (uses the date index)."""
        sql = (
            f"SELECT d.id FROM {DOCUMENT_TABLE} d WHERE {where} "
            f"ORDER BY d.created_at DESC, d.id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def _fetch(self, sql: str, params: list) -> list[CandidateRow]:
        """Run a candidate query selecting ``row_columns``."""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def search(self, query: SearchQuery) -> SearchResult:
        filters = normalise_filters(query.filters)
        scope_sql, params = scope_condition(query.scope)
        conditions, filter_params = filter_conditions(filters)
        where = " AND ".join([scope_sql, *conditions])
        params = params + filter_params
        parsed = parse_query(query.text)
        limit = max(0, int(query.limit))
        offset = max(0, int(query.offset))
        # Hits found by meaning (dense retrieval) only, not by their words.
        meaning_only: frozenset[int] = frozenset()

        if not (query.text or "").strip():
            page_ids = self.browse_page(where, params, limit, offset) if limit else []
            counted = None if filters else self.browse_facets(query.scope, theme_code_ids())
            if counted is not None:
                total, facets = counted
                return SearchResult(hits=self._hits(page_ids, {}, parsed, snippets=query.snippets), total=total, facets=facets)
            rows = self.browse_candidates(where, params)
            scores: dict[int, float] = {}
        elif parsed.is_empty:
            rows, page_ids, scores = [], [], {}
        else:
            matches = self.text_candidates(parsed, query.scope, where, params)
            rows = matches.rows
            stem_scores = matches.stem_scores
            lexical_ids = set(map(itemgetter(ID), rows))
            # Best score first; among equal scores the higher id, so the order is deterministic.
            # (Tuples rather than a key function: this sorts every stem match of the query.)
            stem_ranking = [
                doc_id for _score, doc_id in sorted(
                    [(score, doc_id) for doc_id, score in stem_scores.items() if doc_id in lexical_ids],
                    reverse=True,
                )
            ]
            # Substring matches carry no cheap relevance score; newer items rank first.
            substring_ranking = [
                row[ID] for row in sorted(
                    (row for row in rows if row[ID] in matches.substring_ids), key=itemgetter(CREATED, ID), reverse=True,
                )
            ]
            # Questions: the items that contain some of the words (see QUESTION_MIN_STEMS).
            partial = []
            if len(parsed.stems) >= QUESTION_MIN_STEMS:
                partial = self.partial_ranking(parsed, query.scope, where, params)
            some_words_ids = [doc_id for doc_id in partial if doc_id not in lexical_ids][:PARTIAL_ONLY_LIMIT]
            # Dense retrieval (dense.py): the nearest items the scope and filters admit. They
            # re-rank the lexical matches; similar enough ones join as hits of their own.
            dense = visible_dense_matches(query.text, where, params)
            threshold = min_similarity()
            word_ids = lexical_ids.union(some_words_ids)
            meaning_ids = [
                doc_id for doc_id, score in dense if doc_id not in word_ids and score >= threshold
            ][:DENSE_ONLY_LIMIT]
            joining = some_words_ids + meaning_ids
            if joining:
                # Both lists were read with the scope and filter condition already.
                rows = rows + self.browse_candidates(f"d.id IN ({', '.join(['%s'] * len(joining))})", joining)
            admitted = word_ids.union(meaning_ids)
            dense_ranking = [doc_id for doc_id, _score in dense if doc_id in admitted]
            partial_ranking = [doc_id for doc_id in partial if doc_id in admitted]
            fused = reciprocal_rank_fusion(
                [stem_ranking, substring_ranking, partial_ranking, dense_ranking],
                weights=[self.stem_weight, self.substring_weight, self.partial_weight, self.dense_weight],
                top=offset + limit,
            )
            meaning_only = frozenset(meaning_ids)
            page_ids = [doc_id for doc_id, _score in fused[offset:offset + limit]]
            scores = dict(fused[offset:offset + limit])

        facets = count_facets(rows, theme_code_ids())
        return SearchResult(
            hits=self._hits(page_ids, scores, parsed, meaning_only, snippets=query.snippets), total=len(rows), facets=facets,
        )

    def _hits(
        self, ids: list[int], scores: dict[int, float], parsed: ParsedQuery, meaning_only: frozenset[int] = frozenset(),
        *, snippets: bool = True,
    ) -> list[Hit]:
        if not ids:
            return []
        # Plain SQL for the same reason as theme_code_ids(): this runs on every search.
        body = f"t.body FROM {DOCUMENT_TABLE} d LEFT JOIN {TEXT_TABLE} t ON t.document_id = d.id" if snippets else (
            f"'' FROM {DOCUMENT_TABLE} d"
        )
        documents = {}
        for start in range(0, len(ids), ID_BATCH_SIZE):
            batch = ids[start:start + ID_BATCH_SIZE]
            sql = (
                f"SELECT d.id, d.kind, d.object_id, d.title, d.municipality_id, d.visibility, d.created_at, "
                f"d.item_kind, {body} WHERE d.id IN ({', '.join(['%s'] * len(batch))})"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, batch)
                documents.update((row[0], row) for row in cursor.fetchall())
        hits = []
        for doc_id in ids:
            document = documents.get(doc_id)
            if document is None:  # removed between the two queries
                continue
            _id, kind, object_id, title, municipality_id, visibility, created_at, item_kind, body = document
            hits.append(Hit(
                kind=kind, object_id=object_id, title=title,
                snippet=make_snippet(body, parsed) if body else "",
                municipality_id=municipality_id, visibility=visibility,
                created_at=as_datetime(created_at), item_kind=item_kind, score=scores.get(doc_id, 0.0),
                matched_by_meaning=doc_id in meaning_only,
            ))
        return hits


def as_datetime(value) -> dt.datetime | None:
    """A datetime from a raw database value (SQLite returns ISO text, PostgreSQL datetimes)."""
    if value is None:
        return None
    parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    # Django stores aware datetimes in UTC; SQLite keeps them without offset.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
