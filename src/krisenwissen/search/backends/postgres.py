"""The PostgreSQL engine: a ``tsvector`` GIN index and a ``pg_trgm`` index (migration 0002).

Stemming happens in Python (PyStemmer, the same Snowball German stemmer as for SQLite) and
the stems are indexed with the ``simple`` configuration, so both engines find exactly the
same documents. PostgreSQL's own ``german`` configuration would stem twice and does not fold
"ae"/"oe"/"ue" spellings ("Krisenstaebe" would become ``krisenstaeb``, not ``krisenstab``).

- ``search_searchtext.search_vector``: generated column, title stems with weight A, body
  stems with weight B, GIN-indexed; ranked with ``ts_rank`` (A counts 2.5 times B);
- a GIN ``gin_trgm_ops`` index on ``title_folded || ' ' || body_folded`` answers
  ``LIKE '%term%'`` substring conditions.
"""

from __future__ import annotations

from django.db import connection, transaction

from ..text import ParsedQuery
from .base import (
    CODE_TABLE,
    DOCUMENT_TABLE,
    TEXT_TABLE,
    CandidateRow,
    DatabaseSearchEngine,
)

# Planner cost of a random page read during searches (see text_candidates).
RANDOM_PAGE_COST = 1.1

# Must be the same expression as the trigram index of migration 0002, or the index is unused.
FOLDED_EXPRESSION = "(t.title_folded || ' ' || t.body_folded)"


class PostgresSearchEngine(DatabaseSearchEngine):
    """Full-text search with PostgreSQL (tsvector + pg_trgm, fused by RRF)."""

    def text_candidates(self, query: ParsedQuery, where: str, params: list) -> tuple[list, list]:
        """Both candidate lists, with planner costs that fit an index held in memory.

        With the default ``random_page_cost`` (4, tuned for spinning disks) PostgreSQL
        prefers a sequential scan of the whole text table over the trigram index as soon
        as a substring occurs in a few percent of the documents, which is three times
        slower when the index is cached. ``SET LOCAL`` limits the change to this search.
        """
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL random_page_cost = {RANDOM_PAGE_COST}")
            return super().text_candidates(query, where, params)

    def stem_candidates(self, query: ParsedQuery, where: str, params: list) -> list[CandidateRow]:
        if not query.stems:
            return []
        # plainto_tsquery ANDs the words and ignores any operator syntax; the stems are
        # letters and digits only anyway.
        sql = (
            f"SELECT {self.row_columns}, ts_rank(t.search_vector, q.query) "
            f"FROM {TEXT_TABLE} t JOIN {DOCUMENT_TABLE} d ON d.id = t.document_id, "
            f"plainto_tsquery('simple', %s) AS q(query) "
            f"WHERE t.search_vector @@ q.query AND {where}"
        )
        return self._fetch(sql, [" ".join(query.stems), *params])

    def substring_candidates(self, query: ParsedQuery, where: str, params: list) -> list[CandidateRow]:
        if not query.substrings:
            return []
        # The terms contain only letters and digits, so they need no LIKE escaping.
        likes = " AND ".join([f"{FOLDED_EXPRESSION} LIKE %s"] * len(query.substrings))
        sql = (
            f"SELECT {self.row_columns} "
            f"FROM {TEXT_TABLE} t JOIN {DOCUMENT_TABLE} d ON d.id = t.document_id "
            f"WHERE {likes} AND {where}"
        )
        params = [*(f"%{term}%" for term in query.substrings), *params]
        if query.short_stems:
            sql += " AND t.search_vector @@ plainto_tsquery('simple', %s)"
            params.append(" ".join(query.short_stems))
        return self._fetch(sql, params)

    def optimize(self) -> None:
        """Refresh the planner's statistics of the index tables (after bulk indexing)."""
        with connection.cursor() as cursor:
            for table in (DOCUMENT_TABLE, TEXT_TABLE, CODE_TABLE):
                cursor.execute(f"ANALYZE {table}")
