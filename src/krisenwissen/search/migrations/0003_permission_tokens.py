"""Permission tokens in the full-text indexes (see ``krisenwissen/search/acl.py``).

SQLite: ``search_fts_stem`` gets a third column ``acl``; the table and the triggers of
``search_searchtext`` are recreated (the triggers are dropped before the column is added,
because Django may rebuild the table on SQLite, which would lose them anyway).
PostgreSQL: ``search_vector`` also holds the tokens, with weight D.

Existing rows get their tokens from ``krisenwissen reindex``; the migration fills them
directly so that an upgraded index keeps answering correctly.
"""

from django.db import migrations, models

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_searchtext_after_update",
    "DROP TRIGGER IF EXISTS search_searchtext_after_delete",
    "DROP TRIGGER IF EXISTS search_searchtext_after_insert",
    "DROP TABLE IF EXISTS search_fts_stem",
]


def _sqlite_triggers(stem_columns):
    columns = ", ".join(stem_columns)
    new_values = ", ".join(f"new.{c}" for c in stem_columns)
    old_values = ", ".join(f"old.{c}" for c in stem_columns)
    insert_new = f"""
        INSERT INTO search_fts_stem(rowid, {columns}) VALUES (new.document_id, {new_values});
        INSERT INTO search_fts_trigram(rowid, title_folded, body_folded)
            VALUES (new.document_id, new.title_folded, new.body_folded);"""
    delete_old = f"""
        INSERT INTO search_fts_stem(search_fts_stem, rowid, {columns}) VALUES ('delete', old.document_id, {old_values});
        INSERT INTO search_fts_trigram(search_fts_trigram, rowid, title_folded, body_folded)
            VALUES ('delete', old.document_id, old.title_folded, old.body_folded);"""
    return [
        f"CREATE TRIGGER search_searchtext_after_insert AFTER INSERT ON search_searchtext BEGIN {insert_new} END",
        f"CREATE TRIGGER search_searchtext_after_delete AFTER DELETE ON search_searchtext BEGIN {delete_old} END",
        f"CREATE TRIGGER search_searchtext_after_update AFTER UPDATE ON search_searchtext BEGIN {delete_old} {insert_new} END",
    ]


def _sqlite_stem_table(stem_columns):
    return [
        f"""CREATE VIRTUAL TABLE search_fts_stem USING fts5(
            {", ".join(stem_columns)},
            content='search_searchtext', content_rowid='document_id',
            tokenize='unicode61 remove_diacritics 2'
        )""",
        *_sqlite_triggers(stem_columns),
        "INSERT INTO search_fts_stem(search_fts_stem) VALUES ('rebuild')",
    ]


NEW_STEM_COLUMNS = ["title_stemmed", "body_stemmed", "acl"]
OLD_STEM_COLUMNS = ["title_stemmed", "body_stemmed"]

POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_searchtext_vector_idx",
    "ALTER TABLE search_searchtext DROP COLUMN IF EXISTS search_vector",
]


def _postgres_vector(with_acl):
    acl = " || setweight(to_tsvector('simple', acl), 'D')" if with_acl else ""
    return [
        f"""ALTER TABLE search_searchtext ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title_stemmed), 'A')
            || setweight(to_tsvector('simple', body_stemmed), 'B'){acl}
        ) STORED""",
        "CREATE INDEX search_searchtext_vector_idx ON search_searchtext USING GIN (search_vector)",
    ]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)
    return run


def fill_tokens(apps, schema_editor):
    from krisenwissen.search.acl import document_acl

    SearchText = apps.get_model("search", "SearchText")
    for text in SearchText.objects.select_related("document").iterator(chunk_size=1000):
        text.acl = document_acl(text.document.visibility, text.document.municipality_id)
        text.save(update_fields=["acl"])


class Migration(migrations.Migration):

    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
            _run({"sqlite": [*SQLITE_DROP, *_sqlite_stem_table(OLD_STEM_COLUMNS)],
                  "postgresql": [*POSTGRES_DROP, *_postgres_vector(with_acl=False)]}),
        ),
        migrations.AddField(
            model_name="searchtext",
            name="acl",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(
            _run({"sqlite": _sqlite_stem_table(NEW_STEM_COLUMNS), "postgresql": _postgres_vector(with_acl=True)}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
    ]
