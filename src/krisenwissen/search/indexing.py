"""Turning knowledge items into index documents and keeping the index current."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from django.db import transaction

from krisenwissen.knowledge.models import KNOWLEDGE_MODELS, Code, KnowledgeItem, Observation

from .engine import IndexDocument, get_engine

logger = logging.getLogger(__name__)

# Items are read from the database in chunks of this size when the whole index is rebuilt.
REINDEX_CHUNK_SIZE = 1000


def code_ancestor_map() -> dict[int, frozenset[int]]:
    """Every code id mapped to itself plus all its ancestors (one query for the whole code book)."""
    parents = dict(Code.objects.values_list("id", "parent_id"))
    result: dict[int, frozenset[int]] = {}
    for code_id in parents:
        chain: list[int] = []
        current: int | None = code_id
        # The visited check guards against a (corrupt) cycle in the hierarchy.
        while current is not None and current not in chain:
            chain.append(current)
            current = parents.get(current)
        result[code_id] = frozenset(chain)
    return result


def _item_kind(obj: KnowledgeItem) -> str:
    return obj.kind if isinstance(obj, Observation) else ""


def build_document(obj: KnowledgeItem, code_ids: Iterable[int] | None = None,
                   ancestors: dict[int, frozenset[int]] | None = None) -> IndexDocument:
    """The index document of a saved knowledge item.

    ``code_ids`` (the item's own codes) and ``ancestors`` (see :func:`code_ancestor_map`) can
    be passed to avoid queries when many items are indexed; by default they are loaded.
    """
    if code_ids is None:
        code_ids = obj.codes.values_list("id", flat=True)
    if ancestors is None:
        ancestors = code_ancestor_map()
    all_codes: set[int] = set()
    for code_id in code_ids:
        all_codes |= ancestors.get(code_id, frozenset({code_id}))
    return IndexDocument(
        kind=obj.kind_key,
        object_id=obj.pk,
        municipality_id=obj.municipality_id,
        visibility=obj.visibility,
        title=obj.display_title,
        body=obj.body_text,
        created_at=obj.created_at,
        crisis_id=obj.crisis_id,
        phase_id=obj.phase_id,
        department_function=obj.department_function or "",
        item_kind=_item_kind(obj),
        code_ids=frozenset(all_codes),
    )


def index_object(obj: KnowledgeItem) -> None:
    """Add or refresh one item in the index."""
    get_engine().index([build_document(obj)])


def remove_object(obj: KnowledgeItem) -> None:
    """Remove one item from the index (nothing happens if it is not indexed)."""
    get_engine().remove([(obj.kind_key, obj.pk)])


def _documents_of(model, ancestors: dict[int, frozenset[int]]) -> Iterator[IndexDocument]:
    through = model.codes.through
    source_field = f"{model._meta.model_name}_id"
    queryset = model.objects.order_by("pk")
    last_pk = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last_pk)[:REINDEX_CHUNK_SIZE])
        if not chunk:
            return
        codes_by_item: dict[int, list[int]] = {}
        for item_id, code_id in through.objects.filter(
            **{f"{source_field}__in": [item.pk for item in chunk]}
        ).values_list(source_field, "code_id"):
            codes_by_item.setdefault(item_id, []).append(code_id)
        for item in chunk:
            yield build_document(item, codes_by_item.get(item.pk, ()), ancestors)
        last_pk = chunk[-1].pk


def reindex_all() -> dict[str, int]:
    """Rebuild the whole index from the knowledge tables; returns the number indexed per kind."""
    engine = get_engine()
    ancestors = code_ancestor_map()
    counts: dict[str, int] = {}
    with transaction.atomic():
        engine.clear()
        for model in KNOWLEDGE_MODELS:
            counts[model.kind_key] = engine.index(_documents_of(model, ancestors))
    engine.optimize()
    return counts


# --- signal handlers (connected in SearchConfig.ready) ---------------------------------------

def _refresh_later(model, pk) -> None:
    """Re-read the item after the transaction commits and index or remove it.

    Reading it again (instead of indexing the instance seen by the signal) picks up the
    final state when an item is saved several times or its codes change in the same
    transaction, and an item deleted meanwhile is removed.
    """
    def refresh():
        try:
            obj = model.objects.filter(pk=pk).first()
            if obj is None:
                get_engine().remove([(model.kind_key, pk)])
            else:
                index_object(obj)
        except Exception:
            # The change itself is already committed; a failed index update must not turn
            # it into an error page. ``krisenwissen reindex`` repairs the index.
            logger.exception("Suchindex konnte %s %s nicht aktualisieren", model.kind_key, pk)

    transaction.on_commit(refresh)


def on_item_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # fixture loading: items are indexed by ``reindex`` afterwards
        return
    _refresh_later(sender, instance.pk)


def on_item_deleted(sender, instance, **kwargs) -> None:
    model = type(instance)
    pk = instance.pk

    def remove():
        try:
            get_engine().remove([(model.kind_key, pk)])
        except Exception:
            logger.exception("Suchindex konnte %s %s nicht entfernen", model.kind_key, pk)

    transaction.on_commit(remove)


def on_codes_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _refresh_later(type(instance), instance.pk)
        return
    # Changed from the code's side: instance is a Code and the items are in pk_set. (The
    # relation has no reverse accessor today, so this only guards against future ones.)
    for pk in pk_set or ():
        _refresh_later(model, pk)


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in KNOWLEDGE_MODELS:
        uid = f"krisenwissen.search.{model.kind_key}"
        post_save.connect(on_item_saved, sender=model, dispatch_uid=f"{uid}.saved")
        post_delete.connect(on_item_deleted, sender=model, dispatch_uid=f"{uid}.deleted")
        m2m_changed.connect(on_codes_changed, sender=model.codes.through, dispatch_uid=f"{uid}.codes")
