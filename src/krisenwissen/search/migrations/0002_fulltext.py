"""Database-specific full-text structures of the search index.

Django has no portable way to declare them, so they are created here for the vendor in use
and nothing happens on other databases (the engine setting must then name an engine that
needs none of them).

SQLite: two FTS5 tables with ``search_searchtext`` as external content (no copy of the
text), kept current by triggers. Note for future migrations: if Django ever has to rebuild
``search_searchtext`` on SQLite (``ALTER`` emulation), the triggers are lost and must be
recreated, followed by ``krisenwissen reindex``.

PostgreSQL: ``pg_trgm``, a generated ``tsvector`` column with a GIN index and a trigram GIN
index over the folded text.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_fts_stem USING fts5(
        title_stemmed, body_stemmed,
        content='search_searchtext', content_rowid='document_id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE VIRTUAL TABLE search_fts_trigram USING fts5(
        title_folded, body_folded,
        content='search_searchtext', content_rowid='document_id',
        tokenize='trigram'
    )""",
    """CREATE TRIGGER search_searchtext_after_insert AFTER INSERT ON search_searchtext BEGIN
        INSERT INTO search_fts_stem(rowid, title_stemmed, body_stemmed)
            VALUES (new.document_id, new.title_stemmed, new.body_stemmed);
        INSERT INTO search_fts_trigram(rowid, title_folded, body_folded)
            VALUES (new.document_id, new.title_folded, new.body_folded);
    END""",
    """CREATE TRIGGER search_searchtext_after_delete AFTER DELETE ON search_searchtext BEGIN
        INSERT INTO search_fts_stem(search_fts_stem, rowid, title_stemmed, body_stemmed)
            VALUES ('delete', old.document_id, old.title_stemmed, old.body_stemmed);
        INSERT INTO search_fts_trigram(search_fts_trigram, rowid, title_folded, body_folded)
            VALUES ('delete', old.document_id, old.title_folded, old.body_folded);
    END""",
    """CREATE TRIGGER search_searchtext_after_update AFTER UPDATE ON search_searchtext BEGIN
        INSERT INTO search_fts_stem(search_fts_stem, rowid, title_stemmed, body_stemmed)
            VALUES ('delete', old.document_id, old.title_stemmed, old.body_stemmed);
        INSERT INTO search_fts_trigram(search_fts_trigram, rowid, title_folded, body_folded)
            VALUES ('delete', old.document_id, old.title_folded, old.body_folded);
        INSERT INTO search_fts_stem(rowid, title_stemmed, body_stemmed)
            VALUES (new.document_id, new.title_stemmed, new.body_stemmed);
        INSERT INTO search_fts_trigram(rowid, title_folded, body_folded)
            VALUES (new.document_id, new.title_folded, new.body_folded);
    END""",
    # Index whatever rows already exist (none on a fresh database).
    "INSERT INTO search_fts_stem(search_fts_stem) VALUES ('rebuild')",
    "INSERT INTO search_fts_trigram(search_fts_trigram) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_searchtext_after_update",
    "DROP TRIGGER IF EXISTS search_searchtext_after_delete",
    "DROP TRIGGER IF EXISTS search_searchtext_after_insert",
    "DROP TABLE IF EXISTS search_fts_trigram",
    "DROP TABLE IF EXISTS search_fts_stem",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE search_searchtext ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_stemmed), 'A')
        || setweight(to_tsvector('simple', body_stemmed), 'B')
    ) STORED""",
    "CREATE INDEX search_searchtext_vector_idx ON search_searchtext USING GIN (search_vector)",
    # Same expression as PostgresSearchEngine.FOLDED_EXPRESSION.
    """CREATE INDEX search_searchtext_folded_trgm_idx ON search_searchtext
        USING GIN ((title_folded || ' ' || body_folded) gin_trgm_ops)""",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_searchtext_folded_trgm_idx",
    "DROP INDEX IF EXISTS search_searchtext_vector_idx",
    "ALTER TABLE search_searchtext DROP COLUMN IF EXISTS search_vector",
    # pg_trgm stays: other applications of the database may use it.
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):

    dependencies = [("search", "0001_index_tables")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
