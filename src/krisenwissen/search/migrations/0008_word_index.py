"""Substrings through a word index and a vocabulary (SQLite; see ``backends/sqlite.py``).

- ``search_searchword`` (model ``SearchWord``): the distinct words of the folded texts, with
  ``search_fts_searchword``, a trigram index over them kept by triggers;
- ``search_fts_words``: the folded title and body split into words (unicode61, letters and
  digits only, no further folding) and the permission tokens, over ``search_searchtext``.

The triggers of ``search_searchtext`` are recreated to keep the third index in step (dropped
first, as in 0004). Existing texts are indexed and their words collected here. Nothing
changes on PostgreSQL.
"""

from django.db import OperationalError, migrations, models

STEM_COLUMNS = ["title_stemmed", "body_stemmed", "acl"]
TRIGRAM_COLUMNS = ["title_folded", "body_folded", "acl_trigram"]
WORD_COLUMNS = ["title_folded", "body_folded", "acl"]

# Letters and digits are the token characters, as for the words of ``text.WORD_RE``; without
# the categories option (SQLite < 3.36) unicode61 also counts private-use characters, which
# only matters for words the engine matches by trigrams anyway (see ``text.is_plain_word``).
WORD_TOKENIZERS = ["unicode61 remove_diacritics 0 categories 'L* N*'", "unicode61 remove_diacritics 0"]

DROP_TEXT_TRIGGERS = [
    "DROP TRIGGER IF EXISTS search_searchtext_after_update",
    "DROP TRIGGER IF EXISTS search_searchtext_after_delete",
    "DROP TRIGGER IF EXISTS search_searchtext_after_insert",
]


def _values(prefix, columns):
    return ", ".join(f"{prefix}.{column}" for column in columns)


def _text_triggers(tables):
    """The three triggers of search_searchtext for ``tables`` ((name, columns) pairs)."""
    insert_new = " ".join(
        f"INSERT INTO {name}(rowid, {', '.join(columns)}) VALUES (new.document_id, {_values('new', columns)});"
        for name, columns in tables
    )
    delete_old = " ".join(
        f"INSERT INTO {name}({name}, rowid, {', '.join(columns)}) "
        f"VALUES ('delete', old.document_id, {_values('old', columns)});"
        for name, columns in tables
    )
    return [
        f"CREATE TRIGGER search_searchtext_after_insert AFTER INSERT ON search_searchtext BEGIN {insert_new} END",
        f"CREATE TRIGGER search_searchtext_after_delete AFTER DELETE ON search_searchtext BEGIN {delete_old} END",
        f"CREATE TRIGGER search_searchtext_after_update AFTER UPDATE ON search_searchtext BEGIN {delete_old} {insert_new} END",
    ]


OLD_TABLES = [("search_fts_stem", STEM_COLUMNS), ("search_fts_trigram", TRIGRAM_COLUMNS)]
NEW_TABLES = [*OLD_TABLES, ("search_fts_words", WORD_COLUMNS)]

VOCABULARY = [
    """CREATE VIRTUAL TABLE search_fts_searchword USING fts5(
        word, content='search_searchword', content_rowid='id', tokenize='trigram'
    )""",
    """CREATE TRIGGER search_searchword_after_insert AFTER INSERT ON search_searchword BEGIN
        INSERT INTO search_fts_searchword(rowid, word) VALUES (new.id, new.word); END""",
    """CREATE TRIGGER search_searchword_after_delete AFTER DELETE ON search_searchword BEGIN
        INSERT INTO search_fts_searchword(search_fts_searchword, rowid, word) VALUES ('delete', old.id, old.word); END""",
    """CREATE TRIGGER search_searchword_after_update AFTER UPDATE ON search_searchword BEGIN
        INSERT INTO search_fts_searchword(search_fts_searchword, rowid, word) VALUES ('delete', old.id, old.word);
        INSERT INTO search_fts_searchword(rowid, word) VALUES (new.id, new.word); END""",
]

DROP_NEW = [
    *DROP_TEXT_TRIGGERS,
    "DROP TRIGGER IF EXISTS search_searchword_after_update",
    "DROP TRIGGER IF EXISTS search_searchword_after_delete",
    "DROP TRIGGER IF EXISTS search_searchword_after_insert",
    "DROP TABLE IF EXISTS search_fts_searchword",
    "DROP TABLE IF EXISTS search_fts_words",
]


def _create_word_index(schema_editor):
    for tokenizer in WORD_TOKENIZERS:
        try:
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE search_fts_words USING fts5({', '.join(WORD_COLUMNS)}, "
                f"content='search_searchtext', content_rowid='document_id', tokenize=\"{tokenizer}\")"
            )
            return
        except OperationalError:
            if tokenizer == WORD_TOKENIZERS[-1]:
                raise


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from krisenwissen.search.text import vocabulary_words

    for statement in DROP_TEXT_TRIGGERS:
        schema_editor.execute(statement)
    _create_word_index(schema_editor)
    for statement in [*_text_triggers(NEW_TABLES), *VOCABULARY]:
        schema_editor.execute(statement)
    schema_editor.execute("INSERT INTO search_fts_words(search_fts_words) VALUES ('rebuild')")
    SearchText = apps.get_model("search", "SearchText")
    words: set[str] = set()
    texts = SearchText.objects.values_list("title_folded", "body_folded").iterator(chunk_size=1000)
    for title, body in texts:
        words |= vocabulary_words(title, body)
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany("INSERT OR IGNORE INTO search_searchword(word) VALUES (%s)", [(w,) for w in sorted(words)])


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in [*DROP_NEW, *_text_triggers(OLD_TABLES)]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [("search", "0007_search_vectors")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.TextField(unique=True, verbose_name="Wort")),
            ],
            options={"verbose_name": "Wort des Suchindex", "verbose_name_plural": "Wörter des Suchindex"},
        ),
        migrations.RunPython(forwards, backwards),
    ]
