"""The SQLite engine: three FTS5 indexes over ``search_searchtext`` (migrations 0002-0008).

- ``search_fts_stem`` (unicode61) over the stemmed title and body, ranked with BM25 (the
  title weighted ten times the body);
- ``search_fts_words`` (unicode61, letters and digits) over the folded title and body split
  into words, for substring matches such as "schutz" inside "schutzausrustung": the
  vocabulary (``SearchWord``, with the trigram index ``search_fts_searchword``) names the
  words that contain the substring, and the word index finds the documents with any of them;
- ``search_fts_trigram`` (trigram tokenizer) over the folded title and body, for the
  substrings the vocabulary cannot answer exactly or cheaply (see ``substring_match``).

Each also indexes the document's permission tokens (``acl.py``) in a column of its own.

All are external-content tables kept in sync by triggers on ``search_searchtext``; the
vocabulary follows the writes: words are added with new texts (``texts_written``) and
dropped when no text contains them any more (``texts_removed``).

Why the word index: a substring as a phrase of trigrams reads the posting lists of every
trigram of the term (eight for "krisenstab") across all documents; the vocabulary is small,
and the documents of the few words that contain the term are found with one posting list
each. On the 100,000-item benchmark this made the substring step 5-10 times faster with
identical matches (docs/benchmarks.md).
"""

from __future__ import annotations

from django.db import connection

from krisenwissen.accounts.selectors import VisibilityScope

from ..acl import scope_tokens, scope_trigram_tokens
from ..models import SearchText, SearchWord
from ..text import (
    ParsedQuery,
    fts5_any_stem_match,
    fts5_short_stem_match,
    fts5_stem_match,
    fts5_trigram_match,
    is_plain_word,
    vocabulary_words,
)
from .base import (
    CODE_TABLE,
    DOCUMENT_TABLE,
    ID,
    ID_BATCH_SIZE,
    TEXT_TABLE,
    CandidateRow,
    DatabaseSearchEngine,
    TextMatches,
)

STEM_TABLE = "search_fts_stem"
TRIGRAM_TABLE = "search_fts_trigram"
WORD_TABLE = "search_fts_words"
VOCABULARY_TABLE = "search_fts_searchword"
WORD_ROW_TABLE = SearchWord._meta.db_table
# Column filters that keep user terms away from the permission tokens.
STEM_TEXT_COLUMNS = "{title_stemmed body_stemmed}"
WORD_TEXT_COLUMNS = "{title_folded body_folded}"
# A term contained in more vocabulary words than this ("ung", "ver") is matched by trigrams:
# one posting list per word would then cost more than the term's few trigram lists.
MAX_WORD_EXPANSION = 300
STEM_ACL_COLUMN = "acl"
TRIGRAM_ACL_COLUMN = "acl_trigram"
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
PAGE_CACHE_KIB = 64 * 1024


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def acl_match(scope: VisibilityScope, column: str, tokens_for_scope) -> str | None:
    """FTS5 expression for the permission tokens a scope may read; None for "everything"."""
    if scope.everything:
        return None
    tokens = tokens_for_scope(scope.own, scope.network)
    return f"{column} : (" + " OR ".join(_quote(token) for token in tokens) + ")"


def stem_index_match(expression: str, scope: VisibilityScope) -> str:
    """MATCH text for the stemmed index: ``expression`` over the text columns, and the
    permission tokens of ``scope`` (so documents outside it are not even read)."""
    match = f"{STEM_TEXT_COLUMNS} : ({expression})"
    permission = acl_match(scope, STEM_ACL_COLUMN, scope_tokens)
    return f"{match} AND {permission}" if permission else match


class SqliteSearchEngine(DatabaseSearchEngine):
    """Full-text search with SQLite FTS5 (stemmed BM25 + trigram substrings, fused by RRF)."""

    # Text, not datetime: the column's declared type would make Django's SQLite adapter parse
    # every value into a datetime, which costs more than the query for large result sets.
    # The stored ISO format sorts correctly as text.
    created_sql = "CAST(d.created_at AS TEXT)"

    def text_candidates(self, query: ParsedQuery, scope: VisibilityScope, where: str, params: list) -> TextMatches:
        """Stem and substring matches, each query joined with the document rows.

        Reading a document's row (for filters and facets) is what a search costs. The
        permission tokens let each FTS5 index drop documents outside the scope before their
        rows are read; the rows are then checked against the full scope and filter
        condition all the same.
        """
        self._tune_connection()
        rows: dict[int, CandidateRow] = {}
        stem_scores: dict[int, float] = {}
        stem_match = fts5_stem_match(query)
        if stem_match is not None:
            match = stem_index_match(stem_match, scope)
            # bm25() is lower for better matches; it is negated so that higher is better.
            sql = (
                f"SELECT {self.row_columns}, -bm25({STEM_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0) "
                f"FROM {STEM_TABLE} JOIN {DOCUMENT_TABLE} d ON d.id = {STEM_TABLE}.rowid "
                f"WHERE {STEM_TABLE} MATCH %s AND {where}"
            )
            # The score stays on the row as a tenth column (unused by facets and ranking):
            # the rows are kept as fetched, without copying thousands of tuples.
            fetched = self._rows(sql, [match, *params])
            rows = {row[ID]: row for row in fetched}
            stem_scores = {row[ID]: row[-1] for row in fetched}
        substring_ids: set[int] = set()
        substring = self.substring_match(query, scope) if query.substrings else None
        if substring is not None:
            table, match = substring
            sql_params = [match]
            short_match = fts5_short_stem_match(query)
            short_sql = ""
            if short_match is not None:
                short_sql = f" AND d.id IN (SELECT rowid FROM {STEM_TABLE} WHERE {STEM_TABLE} MATCH %s)"
            if rows:
                # Most substring matches of a word are usually stem matches as well, whose
                # rows have been read already: only the ids are read here, and the rows of
                # the remaining matches below (with the full scope and filter condition).
                sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"
                if short_match is not None:
                    sql += f" AND rowid IN (SELECT rowid FROM {STEM_TABLE} WHERE {STEM_TABLE} MATCH %s)"
                if short_match is not None:
                    sql_params.append(f"{STEM_TEXT_COLUMNS} : ({short_match})")
                substring_ids = {row[0] for row in self._rows(sql, sql_params)}
                missing = sorted(substring_ids.difference(rows))
                for start in range(0, len(missing), ID_BATCH_SIZE):
                    batch = missing[start:start + ID_BATCH_SIZE]
                    sql = (
                        f"SELECT {self.row_columns} FROM {DOCUMENT_TABLE} d "
                        f"WHERE d.id IN ({', '.join(['%s'] * len(batch))}) AND {where}"
                    )
                    for row in self._rows(sql, [*batch, *params]):
                        rows[row[ID]] = row
            else:
                sql = (
                    f"SELECT {self.row_columns} "
                    f"FROM {table} JOIN {DOCUMENT_TABLE} d ON d.id = {table}.rowid "
                    f"WHERE {table} MATCH %s AND {where}" + short_sql
                )
                sql_params.extend(params)
                if short_match is not None:
                    sql_params.append(f"{STEM_TEXT_COLUMNS} : ({short_match})")
                for row in self._rows(sql, sql_params):
                    rows.setdefault(row[ID], row)
                    substring_ids.add(row[ID])
        return TextMatches(list(rows.values()), stem_scores, substring_ids)

    def substring_match(self, query: ParsedQuery, scope: VisibilityScope) -> tuple[str, str] | None:
        """``(table, MATCH text)`` for the documents whose folded text contains every
        substring term of ``query`` and that ``scope`` may read; None if no document can.

        Through the word index when the vocabulary answers exactly and cheaply: every word
        containing a term is a plain word (see ``text.is_plain_word``) and there are at most
        ``MAX_WORD_EXPANSION`` of them. Otherwise through the trigram index. Both give the
        same documents (tests/search/test_word_index.py).
        """
        expansions: list[list[str]] | None = []
        for term in query.substrings:
            words = self.words_containing(term)
            if words is None or not all(map(is_plain_word, words)):
                expansions = None
                break
            if not words:
                return None  # no indexed word contains the term
            expansions.append(words)
        if expansions is not None:
            groups = " AND ".join("(" + " OR ".join(map(_quote, words)) + ")" for words in expansions)
            match = f"{WORD_TEXT_COLUMNS} : ({groups})"
            permission = acl_match(scope, STEM_ACL_COLUMN, scope_tokens)
            return WORD_TABLE, f"{match} AND {permission}" if permission else match
        # No column filter: it costs up to a third of the query, and query terms cannot
        # match the permission tokens of this index anyway (see acl.py).
        match = f"({fts5_trigram_match(query)})"
        permission = acl_match(scope, TRIGRAM_ACL_COLUMN, scope_trigram_tokens)
        return TRIGRAM_TABLE, f"{match} AND {permission}" if permission else match

    def words_containing(self, term: str) -> list[str] | None:
        """The vocabulary words that contain ``term``; None if there are more than
        ``MAX_WORD_EXPANSION``."""
        sql = (
            f"SELECT w.word FROM {VOCABULARY_TABLE} JOIN {WORD_ROW_TABLE} w ON w.id = {VOCABULARY_TABLE}.rowid "
            f"WHERE {VOCABULARY_TABLE} MATCH %s LIMIT %s"
        )
        limit = 4 * MAX_WORD_EXPANSION
        found = self._rows(sql, [_quote(term), limit])
        if len(found) >= limit:
            return None  # the list may be incomplete
        # The trigram index ignores case and may in principle admit a word that does not
        # contain the term literally; the check below keeps the expansion exact.
        words = [word for (word,) in found if term in word]
        return None if len(words) > MAX_WORD_EXPANSION else words

    keeps_vocabulary = True

    def texts_written(self, texts: list[SearchText]) -> None:
        """Add the words of the new texts to the vocabulary (known words are kept)."""
        words = vocabulary_words(*(text.title_folded for text in texts), *(text.body_folded for text in texts))
        if words:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT OR IGNORE INTO {WORD_ROW_TABLE}(word) VALUES (%s)", [(word,) for word in sorted(words)],
                )

    def texts_removed(self, folded_texts: list[tuple[str, str]]) -> None:
        """Drop the words of deleted texts that no indexed text contains any more.

        The vocabulary must not keep what was erased (a name in a deleted observation).
        A plain word is looked up as a token of the word index (exact); any other word in the
        trigram index, which may also find it inside a longer word and then keeps it: a word
        kept too long finds nothing, a word dropped too early would lose matches.
        """
        words = vocabulary_words(*(text for pair in folded_texts for text in pair))
        unused = []
        with connection.cursor() as cursor:
            for word in sorted(words):
                if is_plain_word(word):
                    cursor.execute(
                        f"SELECT 1 FROM {WORD_TABLE} WHERE {WORD_TABLE} MATCH %s LIMIT 1",
                        [f"{WORD_TEXT_COLUMNS} : {_quote(word)}"],
                    )
                else:
                    cursor.execute(
                        f"SELECT 1 FROM {TRIGRAM_TABLE} WHERE {TRIGRAM_TABLE} MATCH %s LIMIT 1",
                        [f"{{title_folded body_folded}} : {_quote(word)}"],
                    )
                if cursor.fetchone() is None:
                    unused.append(word)
            for start in range(0, len(unused), ID_BATCH_SIZE):
                batch = unused[start:start + ID_BATCH_SIZE]
                cursor.execute(
                    f"DELETE FROM {WORD_ROW_TABLE} WHERE word IN ({', '.join(['%s'] * len(batch))})", batch,
                )

    def partial_candidates(
        self, query: ParsedQuery, scope: VisibilityScope, where: str, params: list, limit: int,
    ) -> list[int]:
        """The best ``limit`` documents containing any stem, by BM25 (title weighted as above)."""
        any_match = fts5_any_stem_match(query)
        if any_match is None or limit <= 0:
            return []
        self._tune_connection()
        match = stem_index_match(any_match, scope)
        sql = (
            f"SELECT d.id FROM {STEM_TABLE} JOIN {DOCUMENT_TABLE} d ON d.id = {STEM_TABLE}.rowid "
            f"WHERE {STEM_TABLE} MATCH %s AND {where} "
            f"ORDER BY bm25({STEM_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0), d.id DESC LIMIT %s"
        )
        return [row[0] for row in self._rows(sql, [match, *params, limit])]

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
            for table in (STEM_TABLE, TRIGRAM_TABLE, WORD_TABLE, VOCABULARY_TABLE):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            for table in (DOCUMENT_TABLE, TEXT_TABLE, CODE_TABLE, WORD_ROW_TABLE):
                cursor.execute(f"ANALYZE {table}")
