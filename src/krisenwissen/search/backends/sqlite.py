"""The SQLite engine: two FTS5 indexes over ``search_searchtext`` (migrations 0002, 0003).

- ``search_fts_stem`` (unicode61) over the stemmed title and body, ranked with BM25 (the
  title weighted ten times the body), plus the permission tokens of ``acl.py``;
- ``search_fts_trigram`` (trigram tokenizer) over the folded title and body, for substring
  matches such as "schutz" inside "schutzausrustung".

Both are external-content tables kept in sync by triggers on ``search_searchtext``.
"""

from __future__ import annotations

import json

from django.db import connection

from krisenwissen.accounts.selectors import VisibilityScope

from ..acl import scope_tokens
from ..text import ParsedQuery, fts5_short_stem_match, fts5_stem_match, fts5_trigram_match
from .base import CODE_TABLE, DOCUMENT_TABLE, ID, TEXT_TABLE, DatabaseSearchEngine

STEM_TABLE = "search_fts_stem"
TRIGRAM_TABLE = "search_fts_trigram"
# Column filter that keeps user terms away from the permission tokens.
TEXT_COLUMNS = "{title_stemmed body_stemmed}"
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
PAGE_CACHE_KIB = 64 * 1024
# Up to this many substring matches, visibility is checked row by row; above it, the set of
# readable documents is taken from the permission tokens first (about as costly as reading
# this many rows).
ROW_CHECK_LIMIT = 3000


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def acl_match(scope: VisibilityScope) -> str | None:
    """FTS5 expression for the permission tokens a scope may read; None for "everything"."""
    if scope.everything:
        return None
    return "acl : (" + " OR ".join(_quote(token) for token in scope_tokens(scope.own, scope.network)) + ")"


class SqliteSearchEngine(DatabaseSearchEngine):
    """Full-text search with SQLite FTS5 (stemmed BM25 + trigram substrings, fused by RRF)."""

    # Text, not datetime: the column's declared type would make Django's SQLite adapter parse
    # every value into a datetime, which costs more than the query for large result sets.
    # The stored ISO format sorts correctly as text.
    created_sql = "CAST(d.created_at AS TEXT)"

    def text_candidates(self, query: ParsedQuery, scope: VisibilityScope, where: str, params: list) -> tuple[list, list]:
        """Both candidate lists, reading only rows of documents the scope may see.

        Reading a document's row (for filters and facets) is what a search costs, so rows
        are read once per search, for readable candidates only: the permission tokens let
        FTS5 drop unreadable stem matches; a substring match that is also a stem match is
        readable exactly if that one is; the other substring matches are checked against
        the permission tokens first when there are many of them. The rows are read with
        the full scope and filter condition all the same.
        """
        self._tune_connection()
        permission = acl_match(scope)
        stem_scores: dict[int, float] = {}
        stem_ids: set[int] = set()
        stem_match = fts5_stem_match(query)
        if stem_match is not None:
            text_match = f"{TEXT_COLUMNS} : ({stem_match})"
            readable_match = f"{text_match} AND {permission}" if permission else text_match
            # bm25() is lower for better matches; it is negated so that higher is better.
            sql = f"SELECT rowid, -bm25({STEM_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0) FROM {STEM_TABLE} WHERE {STEM_TABLE} MATCH %s"
            stem_scores = dict(self._rows(sql, [readable_match]))
            # All stem matches, readable or not (ids only, cheap): substring matches among
            # them need no further permission check.
            stem_ids = set(stem_scores) if not permission else {
                row[0] for row in self._rows(f"SELECT rowid FROM {STEM_TABLE} WHERE {STEM_TABLE} MATCH %s", [text_match])
            }
        substring_ids: set[int] = set()
        unchecked: set[int] = set()
        substring_match = fts5_trigram_match(query)
        if substring_match is not None:
            sql = f"SELECT rowid FROM {TRIGRAM_TABLE} WHERE {TRIGRAM_TABLE} MATCH %s"
            match_params = [substring_match]
            short_match = fts5_short_stem_match(query)
            if short_match is not None:
                sql += f" AND rowid IN (SELECT rowid FROM {STEM_TABLE} WHERE {STEM_TABLE} MATCH %s)"
                match_params.append(f"{TEXT_COLUMNS} : ({short_match})")
            substring_ids = {row[0] for row in self._rows(sql, match_params)}
            unchecked = substring_ids - stem_ids
            if permission and len(unchecked) > ROW_CHECK_LIMIT:
                readable = self._rows(f"SELECT rowid FROM {STEM_TABLE} WHERE {STEM_TABLE} MATCH %s", [permission])
                unchecked.intersection_update(row[0] for row in readable)
        candidate_ids = unchecked.union(stem_scores)
        if not candidate_ids:
            return [], []
        sql = (
            f"SELECT {self.row_columns} FROM {DOCUMENT_TABLE} d "
            f"WHERE d.id IN (SELECT value FROM json_each(%s)) AND {where}"
        )
        rows = self._fetch(sql, [json.dumps(list(candidate_ids)), *params])
        stem_rows = [(*row, stem_scores[row[ID]]) for row in rows if row[ID] in stem_scores]
        substring_rows = [row for row in rows if row[ID] in substring_ids]
        return stem_rows, substring_rows

    def _rows(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _tune_connection(self) -> None:
        # SQLite's default page cache (2 MB) is much smaller than the index tables, so most
        # row reads of a large search would go to the operating system. The cache grows
        # only as pages are actually read.
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")

    def optimize(self) -> None:
        """Merge each FTS5 index into one b-tree (faster queries after bulk indexing) and
        refresh the query planner's statistics."""
        with connection.cursor() as cursor:
            for table in (STEM_TABLE, TRIGRAM_TABLE):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            for table in (DOCUMENT_TABLE, TEXT_TABLE, CODE_TABLE):
                cursor.execute(f"ANALYZE {table}")
