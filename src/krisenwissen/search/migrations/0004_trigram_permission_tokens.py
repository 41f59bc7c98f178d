"""Permission tokens in the SQLite trigram index too (see ``krisenwissen/search/acl.py``).

``search_fts_trigram`` gets a third column ``acl_trigram``; the table and the triggers of
``search_searchtext`` are recreated around the new column (dropped first because Django may
rebuild the table on SQLite, which would lose the triggers). Nothing changes on PostgreSQL,
whose trigram condition is combined with the permission tokens of ``search_vector``.
"""

from django.db import migrations, models

STEM_COLUMNS = ["title_stemmed", "body_stemmed", "acl"]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_searchtext_after_update",
    "DROP TRIGGER IF EXISTS search_searchtext_after_delete",
    "DROP TRIGGER IF EXISTS search_searchtext_after_insert",
    "DROP TABLE IF EXISTS search_fts_trigram",
]


def _sqlite_create(trigram_columns):
    stem = ", ".join(STEM_COLUMNS)
    trigram = ", ".join(trigram_columns)

    def values(prefix, columns):
        return ", ".join(f"{prefix}.{column}" for column in columns)

    insert_new = f"""
        INSERT INTO search_fts_stem(rowid, {stem}) VALUES (new.document_id, {values("new", STEM_COLUMNS)});
        INSERT INTO search_fts_trigram(rowid, {trigram}) VALUES (new.document_id, {values("new", trigram_columns)});"""
    delete_old = f"""
        INSERT INTO search_fts_stem(search_fts_stem, rowid, {stem})
            VALUES ('delete', old.document_id, {values("old", STEM_COLUMNS)});
        INSERT INTO search_fts_trigram(search_fts_trigram, rowid, {trigram})
            VALUES ('delete', old.document_id, {values("old", trigram_columns)});"""
    return [
        f"""CREATE VIRTUAL TABLE search_fts_trigram USING fts5(
            {trigram},
            content='search_searchtext', content_rowid='document_id',
            tokenize='trigram'
        )""",
        f"CREATE TRIGGER search_searchtext_after_insert AFTER INSERT ON search_searchtext BEGIN {insert_new} END",
        f"CREATE TRIGGER search_searchtext_after_delete AFTER DELETE ON search_searchtext BEGIN {delete_old} END",
        f"CREATE TRIGGER search_searchtext_after_update AFTER UPDATE ON search_searchtext BEGIN {delete_old} {insert_new} END",
        "INSERT INTO search_fts_trigram(search_fts_trigram) VALUES ('rebuild')",
    ]


OLD_TRIGRAM_COLUMNS = ["title_folded", "body_folded"]
NEW_TRIGRAM_COLUMNS = ["title_folded", "body_folded", "acl_trigram"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)
    return run


def fill_tokens(apps, schema_editor):
    from krisenwissen.search.acl import document_trigram_acl

    SearchText = apps.get_model("search", "SearchText")
    for text in SearchText.objects.select_related("document").iterator(chunk_size=1000):
        text.acl_trigram = document_trigram_acl(text.document.visibility, text.document.municipality_id)
        text.save(update_fields=["acl_trigram"])


class Migration(migrations.Migration):

    dependencies = [("search", "0003_permission_tokens")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_DROP}),
            _run({"sqlite": [*SQLITE_DROP, *_sqlite_create(OLD_TRIGRAM_COLUMNS)]}),
        ),
        migrations.AddField(
            model_name="searchtext",
            name="acl_trigram",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(
            _run({"sqlite": _sqlite_create(NEW_TRIGRAM_COLUMNS)}),
            _run({"sqlite": SQLITE_DROP}),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
    ]
