"""Turning indexed records into index documents and keeping the index current.

Which models are indexed, and how, is declared by the apps that own them (see
:mod:`krisenwissen.search.registry`); this module knows no app's models.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from krisenwissen.core.exchange import bulk_written

from .dense import schedule_embedding
from .engine import IndexDocument, get_engine
from .registry import entry_for, indexed_models, is_indexed

logger = logging.getLogger(__name__)

# Records are read from the database in chunks of this size when the whole index is rebuilt.
REINDEX_CHUNK_SIZE = 1000


def build_document(obj) -> IndexDocument:
    """The index document of a saved, indexed record."""
    entry = entry_for(type(obj))
    if entry is None:
        raise TypeError(f"{type(obj).__name__} is not declared for the search index")
    return IndexDocument(**entry.declaration.document(obj))


def index_object(obj) -> None:
    """Add or refresh one record in the index."""
    get_engine().index([build_document(obj)])


def remove_object(obj) -> None:
    """Remove one record from the index (nothing happens if it is not indexed)."""
    get_engine().remove([(entry_for(type(obj)).kind, obj.pk)])


def _documents_of(entry, context: dict) -> Iterator[IndexDocument]:
    queryset = entry.model.objects.order_by("pk")
    last_pk = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last_pk)[:REINDEX_CHUNK_SIZE])
        if not chunk:
            return
        for fields in entry.declaration.documents(entry.model, chunk, context):
            yield IndexDocument(**fields)
        last_pk = chunk[-1].pk


def reindex_all() -> dict[str, int]:
    """Rebuild the whole index from the indexed tables; returns the number indexed per kind."""
    engine = get_engine()
    context: dict = {}
    counts: dict[str, int] = {}
    with transaction.atomic():
        engine.clear()
        for entry in indexed_models():
            counts[entry.kind] = engine.index(_documents_of(entry, context))
    engine.optimize()
    # (Re)compute the sentence embeddings of changed items in the background.
    transaction.on_commit(lambda: schedule_embedding(None))
    return counts


# --- signal handlers (connected in SearchConfig.ready) ---------------------------------------

def _refresh_later(model, pk) -> None:
    """Re-read the record after the transaction commits and index or remove it.

    Reading it again (instead of indexing the instance seen by the signal) picks up the
    final state when a record is saved several times or its codes change in the same
    transaction, and a record deleted meanwhile is removed.
    """
    kind = entry_for(model).kind

    def refresh():
        try:
            obj = model.objects.filter(pk=pk).first()
            if obj is None:
                get_engine().remove([(kind, pk)])
            else:
                index_object(obj)
                # Dense retrieval follows in a background job; lexical search works now.
                schedule_embedding([(kind, pk)])
        except Exception:
            # The change itself is already committed; a failed index update must not turn
            # it into an error page. ``krisenwissen reindex`` repairs the index.
            logger.exception("Suchindex konnte %s %s nicht aktualisieren", kind, pk)

    transaction.on_commit(refresh)


def on_item_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # fixture loading: records are indexed by ``reindex`` afterwards
        return
    _refresh_later(sender, instance.pk)


def on_item_deleted(sender, instance, **kwargs) -> None:
    kind = entry_for(type(instance)).kind
    pk = instance.pk

    def remove():
        try:
            get_engine().remove([(kind, pk)])
        except Exception:
            logger.exception("Suchindex konnte %s %s nicht entfernen", kind, pk)

    transaction.on_commit(remove)


def on_codes_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """A many-to-many relation declared in ``related()`` changed: re-index the owning record."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _refresh_later(type(instance), instance.pk)
        return
    # Changed from the other side: the indexed records are in pk_set.
    for pk in pk_set or ():
        if is_indexed(model):
            _refresh_later(model, pk)


def on_bulk_written(sender, models=(), **kwargs) -> None:
    """Rows were written with bulk queries (an import): rebuild the index once, if any is indexed."""
    if any(is_indexed(model) for model in models):
        reindex_all()


def connect_signals() -> None:
    for entry in indexed_models():
        uid = f"krisenwissen.search.{entry.kind}"
        post_save.connect(on_item_saved, sender=entry.model, dispatch_uid=f"{uid}.saved")
        post_delete.connect(on_item_deleted, sender=entry.model, dispatch_uid=f"{uid}.deleted")
        for index, through in enumerate(entry.related()):
            m2m_changed.connect(on_codes_changed, sender=through, dispatch_uid=f"{uid}.related{index}")
    bulk_written.connect(on_bulk_written, dispatch_uid="krisenwissen.search.bulk_written")
