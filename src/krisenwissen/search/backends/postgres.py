"""The PostgreSQL engine: a ``tsvector`` GIN index and a ``pg_trgm`` index (migrations 0002, 0003).

Stemming happens in Python (PyStemmer, the same Snowball German stemmer as for SQLite) and
the stems are indexed with the ``simple`` configuration, so both engines find exactly the
same documents. PostgreSQL's own ``german`` configuration would stem twice and does not fold
"ae"/"oe"/"ue" spellings ("Krisenstaebe" would become ``krisenstaeb``, not ``krisenstab``).

- ``search_searchtext.search_vector``: generated column, title stems with weight A, body
  stems with weight B, permission tokens (``acl.py``) with weight D, GIN-indexed; ranked
  with ``ts_rank`` (A counts 2.5 times B);
- a GIN ``gin_trgm_ops`` index on ``title_folded || ' ' || body_folded`` answers
  ``LIKE '%term%'`` substring conditions.
"""

from __future__ import annotations

from django.db import connection, transaction

from krisenwissen.accounts.selectors import VisibilityScope

from ..acl import scope_tokens
from ..text import ParsedQuery, tsquery_any_stem
from .base import CODE_TABLE, DOCUMENT_TABLE, TEXT_TABLE, DatabaseSearchEngine, TextMatches

# Planner cost of a random page read during searches (see text_candidates).
RANDOM_PAGE_COST = 1.1

# Must be the same expression as the trigram index of migration 0002, or the index is unused.
FOLDED_EXPRESSION = "(t.title_folded || ' ' || t.body_folded)"


def acl_tsquery(scope: VisibilityScope) -> str | None:
    """``to_tsquery`` text for the permission tokens a scope may read; None for "everything".

    The tokens are ASCII letters and digits, so the text is always valid tsquery syntax.
    """
    if scope.everything:
        return None
    return " | ".join(scope_tokens(scope.own, scope.network))


class PostgresSearchEngine(DatabaseSearchEngine):
    """Full-text search with PostgreSQL (tsvector + pg_trgm, fused by RRF)."""

    def text_candidates(self, query: ParsedQuery, scope: VisibilityScope, where: str, params: list) -> TextMatches:
        """Both candidate lists, reading only rows of documents the scope may see.

        Like the SQLite engine, the permission tokens in ``search_vector`` let the GIN index
        drop documents outside the scope (for substrings by combining both GIN indexes), and
        each readable match's row is read once, with the full scope and filter condition.

        With the default ``random_page_cost`` (4, tuned for spinning disks) PostgreSQL
        prefers a sequential scan of the whole text table over the indexes as soon as a
        term occurs in a few percent of the documents, which is several times slower when
        the index is cached. ``SET LOCAL`` limits the change to this search.
        """
        permission = acl_tsquery(scope)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL random_page_cost = {RANDOM_PAGE_COST}")
            stem_scores: dict[int, float] = {}
            if query.stems:
                # plainto_tsquery ANDs the words and ignores any operator syntax.
                sql = (
                    f"SELECT t.document_id, ts_rank(t.search_vector, q.query) FROM {TEXT_TABLE} t, "
                    f"plainto_tsquery('simple', %s) AS q(query) WHERE t.search_vector @@ q.query"
                )
                sql_params: list = [" ".join(query.stems)]
                if permission:
                    sql += " AND t.search_vector @@ to_tsquery('simple', %s)"
                    sql_params.append(permission)
                cursor.execute(sql, sql_params)
                stem_scores = dict(cursor.fetchall())
            substring_ids: set[int] = set()
            if query.substrings:
                # The terms contain only letters and digits, so they need no LIKE escaping.
                likes = " AND ".join([f"{FOLDED_EXPRESSION} LIKE %s"] * len(query.substrings))
                sql = f"SELECT t.document_id FROM {TEXT_TABLE} t WHERE {likes}"
                sql_params = [f"%{term}%" for term in query.substrings]
                if query.short_stems:
                    sql += " AND t.search_vector @@ plainto_tsquery('simple', %s)"
                    sql_params.append(" ".join(query.short_stems))
                if permission:
                    sql += " AND t.search_vector @@ to_tsquery('simple', %s)"
                    sql_params.append(permission)
                cursor.execute(sql, sql_params)
                substring_ids = {row[0] for row in cursor.fetchall()}
            candidate_ids = substring_ids.union(stem_scores)
            if not candidate_ids:
                return TextMatches([], {}, set())
            cursor.execute(
                f"SELECT {self.row_columns} FROM {DOCUMENT_TABLE} d WHERE d.id = ANY(%s) AND {where}",
                [sorted(candidate_ids), *params],
            )
            rows = cursor.fetchall()
        return TextMatches(rows, stem_scores, substring_ids)

    def partial_candidates(
        self, query: ParsedQuery, scope: VisibilityScope, where: str, params: list, limit: int,
    ) -> list[int]:
        """The best ``limit`` documents containing any stem, by ``ts_rank``."""
        any_stem = tsquery_any_stem(query)
        if any_stem is None or limit <= 0:
            return []
        permission = acl_tsquery(scope)
        sql = (
            f"SELECT d.id FROM {TEXT_TABLE} t JOIN {DOCUMENT_TABLE} d ON d.id = t.document_id, "
            f"to_tsquery('simple', %s) AS q(query) WHERE t.search_vector @@ q.query"
        )
        sql_params: list = [any_stem]
        if permission:
            sql += " AND t.search_vector @@ to_tsquery('simple', %s)"
            sql_params.append(permission)
        sql += f" AND {where} ORDER BY ts_rank(t.search_vector, q.query) DESC, d.id DESC LIMIT %s"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL random_page_cost = {RANDOM_PAGE_COST}")
            cursor.execute(sql, [*sql_params, *params, limit])
            return [row[0] for row in cursor.fetchall()]

    def optimize(self) -> None:
        """Refresh the planner's statistics of the index tables (after bulk indexing)."""
        with connection.cursor() as cursor:
            for table in (DOCUMENT_TABLE, TEXT_TABLE, CODE_TABLE):
                cursor.execute(f"ANALYZE {table}")
