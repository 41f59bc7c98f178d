"""The SQLite engine: two FTS5 indexes over ``search_searchtext`` (see migration 0002).

- ``search_fts_stem`` (unicode61) over the stemmed title and body, ranked with BM25, the
  title weighted ten times the body;
- ``search_fts_trigram`` (trigram tokenizer) over the folded title and body, for substring
  matches such as "schutz" inside "schutzausrustung".

Both are external-content tables kept in sync by triggers on ``search_searchtext``.
"""

from __future__ import annotations

from django.db import connection

from ..text import ParsedQuery, fts5_short_stem_match, fts5_stem_match, fts5_trigram_match
from .base import (
    CODE_TABLE,
    DOCUMENT_TABLE,
    ROW_COLUMNS,
    TEXT_TABLE,
    CandidateRow,
    DatabaseSearchEngine,
)

STEM_TABLE = "search_fts_stem"
TRIGRAM_TABLE = "search_fts_trigram"
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0


class SqliteSearchEngine(DatabaseSearchEngine):
    """Full-text search with SQLite FTS5 (stemmed BM25 + trigram substrings, fused by RRF)."""

    def stem_candidates(self, query: ParsedQuery, where: str, params: list) -> list[CandidateRow]:
        match = fts5_stem_match(query)
        if match is None:
            return []
        # bm25() is lower for better matches; it is negated so that higher is better.
        sql = (
            f"SELECT {ROW_COLUMNS}, -bm25({STEM_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}) "
            f"FROM {STEM_TABLE} JOIN {DOCUMENT_TABLE} d ON d.id = {STEM_TABLE}.rowid "
            f"WHERE {STEM_TABLE} MATCH %s AND {where}"
        )
        return self._fetch(sql, [match, *params])

    def substring_candidates(self, query: ParsedQuery, where: str, params: list) -> list[CandidateRow]:
        match = fts5_trigram_match(query)
        if match is None:
            return []
        sql = (
            f"SELECT {ROW_COLUMNS} "
            f"FROM {TRIGRAM_TABLE} JOIN {DOCUMENT_TABLE} d ON d.id = {TRIGRAM_TABLE}.rowid "
            f"WHERE {TRIGRAM_TABLE} MATCH %s AND {where}"
        )
        params = [match, *params]
        short_match = fts5_short_stem_match(query)
        if short_match is not None:
            sql += f" AND d.id IN (SELECT rowid FROM {STEM_TABLE} WHERE {STEM_TABLE} MATCH %s)"
            params.append(short_match)
        return self._fetch(sql, params)

    def optimize(self) -> None:
        """Merge each FTS5 index into one b-tree (faster queries after bulk indexing) and
        refresh the query planner's statistics."""
        with connection.cursor() as cursor:
            for table in (STEM_TABLE, TRIGRAM_TABLE):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            for table in (DOCUMENT_TABLE, TEXT_TABLE, CODE_TABLE):
                cursor.execute(f"ANALYZE {table}")
