"""The search index: one row per indexed knowledge item, kept current by signals.

The index is split into a narrow table (:class:`SearchDocument`: permission, filter and
facet columns plus the title) and a wide one (:class:`SearchText`: running text and its
normalised forms). Every search touches the narrow rows of all candidates, so keeping the
long texts out of them keeps those reads within a few pages; the texts are only read by the
full-text indexes and for the snippets of one result page.

Database-specific full-text structures are created by migrations, not by these models:
SQLite FTS5 tables with triggers (``search_fts_stem``, ``search_fts_trigram``,
``search_fts_words``, ``search_fts_searchword``), PostgreSQL a generated ``tsvector`` column
and GIN/trigram indexes on ``search_searchtext``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import Municipality
from krisenwissen.knowledge.models import Code, Crisis, Phase


class SearchDocument(models.Model):
    """The searchable summary of one knowledge item (``kind`` + ``object_id``)."""

    kind = models.CharField(_("Art"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("Objekt-ID"))
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(_("Sichtbarkeit"), max_length=20)
    title = models.TextField(_("Titel"))
    crisis = models.ForeignKey(Crisis, verbose_name=_("Krise"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    phase = models.ForeignKey(Phase, verbose_name=_("Phase"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    department_function = models.CharField(_("Funktion der Dienststelle"), max_length=30, blank=True)
    item_kind = models.CharField(
        _("Unterart"), max_length=30, blank=True,
        help_text=_("Art einer Beobachtung, z. B. Herausforderung."),
    )
    # Space-separated ids of the item's codes and all their ancestors. Facet counting reads
    # them together with the other facet columns in one pass; SearchDocumentCode holds the
    # same ids as rows for indexed filtering.
    code_ids = models.TextField(_("Code-IDs"), blank=True)
    created_at = models.DateTimeField(_("Erstellt"), db_index=True)
    # The newest value and the row count identify the state of the index (see
    # DatabaseSearchEngine.index_generation); hence the index on it.
    indexed_at = models.DateTimeField(_("Indiziert"), auto_now=True)

    class Meta:
        verbose_name = _("Suchdokument")
        verbose_name_plural = _("Suchdokumente")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="searchdocument_unique_item")]
        indexes = [
            models.Index(fields=["visibility", "municipality"], name="searchdoc_visibility_idx"),
            models.Index(fields=["indexed_at"], name="searchdoc_indexed_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title[:60]}"


class SearchText(models.Model):
    """The running text of a :class:`SearchDocument` and its normalised forms (see ``text.py``)."""

    document = models.OneToOneField(
        SearchDocument, verbose_name=_("Suchdokument"), primary_key=True, on_delete=models.CASCADE, related_name="text",
    )
    body = models.TextField(_("Text"), blank=True)
    title_stemmed = models.TextField(blank=True)
    body_stemmed = models.TextField(blank=True)
    title_folded = models.TextField(blank=True)
    body_folded = models.TextField(blank=True)
    # Permission tokens (see acl.py), indexed with the stems so that the full-text index
    # itself can leave out what a scope may not read.
    acl = models.TextField(blank=True, default="")
    # The same tokens in the form the SQLite trigram index can match exactly (see acl.py).
    acl_trigram = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("Suchtext")
        verbose_name_plural = _("Suchtexte")

    def __str__(self) -> str:
        return f"Text von {self.document_id}"


class SearchWord(models.Model):
    """One distinct word of the folded texts in the index: the vocabulary (SQLite engine).

    A substring such as "schutz" is found by looking up the vocabulary words that contain it
    ("infektionsschutz", "schutzausrustung" ...) in a small trigram index over this table and
    asking the word index of the documents for any of them, instead of matching the trigrams
    of every document (see ``backends/sqlite.py``). Words are added when documents are
    indexed and dropped when no indexed text contains them any more, so an erased name does
    not stay behind here; ``reindex`` starts the vocabulary afresh. On PostgreSQL the table
    stays empty.
    """

    word = models.TextField(_("Wort"), unique=True)

    class Meta:
        verbose_name = _("Wort des Suchindex")
        verbose_name_plural = _("Wörter des Suchindex")

    def __str__(self) -> str:
        return self.word


class SearchDocumentCode(models.Model):
    """One code (or ancestor of a code) of a :class:`SearchDocument`, for code and theme filters."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="code_rows")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("Code eines Suchdokuments")
        verbose_name_plural = _("Codes von Suchdokumenten")
        constraints = [models.UniqueConstraint(fields=["document", "code"], name="searchdocumentcode_unique")]
        indexes = [models.Index(fields=["code", "document"], name="searchdoccode_code_idx")]

    def __str__(self) -> str:
        return f"{self.document_id}→{self.code_id}"


class SearchVector(models.Model):
    """The sentence embedding of one indexed item (dense retrieval, see ``dense.py``).

    Keyed by ``kind`` and ``object_id`` like :class:`SearchDocument` (whose rows are
    re-created on every write); ``text_hash`` tells whether the item's text changed since it
    was embedded. ``vector`` holds ``dim`` float32 values (little-endian), L2-normalised.
    """

    kind = models.CharField(_("Art"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("Objekt-ID"))
    model_name = models.CharField(_("Modell"), max_length=100)
    dim = models.PositiveSmallIntegerField(_("Dimension"))
    vector = models.BinaryField(_("Vektor"))
    text_hash = models.CharField(_("Prüfsumme des Textes"), max_length=64)
    embedded_at = models.DateTimeField(_("Eingebettet"), auto_now=True)

    class Meta:
        verbose_name = _("Suchvektor")
        verbose_name_plural = _("Suchvektoren")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "model_name"], name="searchvector_unique_item_model"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} ({self.model_name})"
