"""The SQLite engine: two FTS5 indexes over ``search_searchtext`` (see migration 0002).

- ``search_fts_stem`` (unicode61) over the stemmed title and body, ranked with BM25, the
  title weighted ten times the body;
- ``search_fts_trigram`` (trigram tokenizer) over the folded title and body, for substring
  matches such as "schutz" inside "schutzausrustung".

Both are external-content tables kept in sync by triggers on ``search_searchtext``.
"""

from __future__ import annotations

import json

from django.db import connection

from ..text import ParsedQuery, fts5_short_stem_match, fts5_stem_match, fts5_trigram_match
from .base import (
    CODE_TABLE,
    DOCUMENT_TABLE,
    ID,
    TEXT_TABLE,
    CandidateRow,
    DatabaseSearchEngine,
)

STEM_TABLE = "search_fts_stem"
TRIGRAM_TABLE = "search_fts_trigram"
TITLE_WEIGHT = 10.0
PAGE_CACHE_KIB = 64 * 1024
BODY_WEIGHT = 1.0


class SqliteSearchEngine(DatabaseSearchEngine):
    """Full-text search with SQLite FTS5 (stemmed BM25 + trigram substrings, fused by RRF)."""

    # Text, not datetime: the column's declared type would make Django's SQLite adapter parse
    # every value into a datetime, which costs more than the query for large result sets.
    # The stored ISO format sorts correctly as text.
    created_sql = "CAST(d.created_at AS TEXT)"

    def stem_candidates(self, query: ParsedQuery, where: str, params: list) -> list[CandidateRow]:
        match = fts5_stem_match(query)
        if match is None:
            return []
        # bm25() is lower for better matches; it is negated so that higher is better.
        sql = (
            f"SELECT {self.row_columns}, -bm25({STEM_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}) "
            f"FROM {STEM_TABLE} JOIN {DOCUMENT_TABLE} d ON d.id = {STEM_TABLE}.rowid "
            f"WHERE {STEM_TABLE} MATCH %s AND {where}"
        )
        return self._fetch(sql, [match, *params])

    def text_candidates(self, query: ParsedQuery, where: str, params: list) -> tuple[list, list]:
        """Both candidate lists, reading each visible document's row once.

        Checking visibility and filters means reading the document row of every full-text
        match, which dominates the cost of a search. Stem matches are read with their
        score; of the substring matches only those that are not stem matches are read
        afterwards (for most queries the two sets overlap largely).
        """
        self._tune_connection()
        stem_rows = self.stem_candidates(query, where, params) if query.stems else []
        substring_match = fts5_trigram_match(query)
        if substring_match is None:
            return stem_rows, []
        substring_ids = set(self._ids(TRIGRAM_TABLE, substring_match, fts5_short_stem_match(query)))
        stem_ids = set(self._ids(STEM_TABLE, fts5_stem_match(query))) if query.stems else set()
        substring_rows = [row for row in stem_rows if row[ID] in substring_ids]
        unread = substring_ids - stem_ids
        if unread:
            sql = (
                f"SELECT {self.row_columns} FROM {DOCUMENT_TABLE} d "
                f"WHERE d.id IN (SELECT value FROM json_each(%s)) AND {where}"
            )
            substring_rows.extend(self._fetch(sql, [json.dumps(sorted(unread)), *params]))
        return stem_rows, substring_rows

    def _ids(self, table: str, match: str, short_stem_match: str | None = None) -> list[int]:
        """Rowids of all documents matching ``match`` in ``table`` (no visibility check)."""
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"
        params = [match]
        if short_stem_match is not None:
            sql += f" AND rowid IN (SELECT rowid FROM {STEM_TABLE} WHERE {STEM_TABLE} MATCH %s)"
            params.append(short_stem_match)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def _tune_connection(self) -> None:
        # SQLite's default page cache (2 MB) is much smaller than the index tables, so most
        # row reads of a large search would go to the operating system. The cache grows
        # only as pages are actually read.
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")

    def substring_candidates(self, query: ParsedQuery, where: str, params: list) -> list[CandidateRow]:
        match = fts5_trigram_match(query)
        if match is None:
            return []
        sql = (
            f"SELECT {self.row_columns} "
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
