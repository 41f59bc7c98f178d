"""Dense retrieval: sentence embeddings of the indexed items, searched by brute force.

The vectors live beside the index in :class:`~krisenwissen.search.models.SearchVector`
(one float32 vector per item and model). They are computed by a background job after
each index write (:func:`schedule_embedding`, :mod:`krisenwissen.search.tasks`): lexical
search works the moment an item is saved, the dense side follows once the job ran.

A query is embedded once and compared with every stored vector by one matrix product
(NumPy; at the platform's scale of up to ~100,000 items a few milliseconds, no ANN index
needed). The best ids are then read back through the engine's scope and filter condition,
so a dense hit the user may not read is never returned nor counted: permission is
enforced in SQL exactly as for lexical hits.

NumPy is imported lazily: it comes with the optional extra ``semantic``.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction

from .embedding import embedder_path, get_embedder
from .models import SearchDocument, SearchText, SearchVector

logger = logging.getLogger(__name__)

# How many nearest items per query are looked at (before the permission filter); they
# re-rank lexical matches through fusion.
DENSE_CANDIDATES = 100
# At most this many items found by meaning alone join a result (the nearest ones).
DENSE_ONLY_LIMIT = 10
# Items are embedded in batches of this size.
EMBED_BATCH_SIZE = 32

_cache_lock = threading.Lock()
# (model name, generation) -> (keys, matrix)
_matrix_cache: tuple | None = None


def passage_text(title: str, body: str) -> str:
    """What is embedded for an item: its title and running text."""
    return f"{title}\n{body}".strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dense_enabled() -> bool:
    """Whether an embedder is configured (it may still fail to load)."""
    return bool(embedder_path())


def min_similarity() -> float:
    """Cosine similarity a dense-only hit must reach to be shown."""
    return float(getattr(settings, "KRISENWISSEN_SEARCH_DENSE_MIN_SIMILARITY", 0.82))


# --- writing -----------------------------------------------------------------------------

def schedule_embedding(keys: Iterable[tuple[str, int]] | None) -> None:
    """Enqueue the embedding job for ``keys`` (None: every item) if an embedder is configured.

    Called after the index write committed. A failure to enqueue is logged, never raised:
    the item is saved and lexically searchable; ``krisenwissen reindex`` repairs vectors.
    """
    if not dense_enabled():
        return
    from .tasks import embed_search_items

    payload = None if keys is None else [[kind, int(object_id)] for kind, object_id in keys]
    try:
        embed_search_items.enqueue(payload)
    except Exception:
        logger.exception("Einbettungs-Job konnte nicht eingeplant werden")


def embed_items(keys: Iterable[tuple[str, int]] | None = None) -> int:
    """(Re)compute the vectors of ``keys`` (None: all items) whose text changed; returns how many.

    Vectors of items no longer in the index are removed when all items are processed.
    """
    embedder = get_embedder()
    if embedder is None:
        return 0
    import numpy as np

    documents = SearchDocument.objects.all()
    if keys is not None:
        keys = list(keys)
        if not keys:
            return 0
        by_kind: dict[str, list[int]] = {}
        for kind, object_id in keys:
            by_kind.setdefault(kind, []).append(int(object_id))
        from django.db.models import Q

        condition = Q()
        for kind, ids in by_kind.items():
            condition |= Q(kind=kind, object_id__in=ids)
        documents = documents.filter(condition)
    else:
        stale = SearchVector.objects.exclude(model_name=embedder.name)
        stale.delete()
    known = {
        (kind, object_id): digest for kind, object_id, digest in
        SearchVector.objects.filter(model_name=embedder.name).values_list("kind", "object_id", "text_hash")
    } if keys is None else {
        (row.kind, row.object_id): row.text_hash
        for row in SearchVector.objects.filter(model_name=embedder.name, object_id__in=[k[1] for k in keys])
    }
    seen: set[tuple[str, int]] = set()
    todo: list[tuple[tuple[str, int], str, str]] = []
    bodies = dict(SearchText.objects.filter(document__in=documents).values_list("document_id", "body"))
    for doc_id, kind, object_id, title in documents.values_list("id", "kind", "object_id", "title").iterator():
        key = (kind, object_id)
        seen.add(key)
        text = passage_text(title, bodies.get(doc_id, ""))
        digest = text_hash(text)
        if known.get(key) != digest:
            todo.append((key, text, digest))
    count = 0
    for start in range(0, len(todo), EMBED_BATCH_SIZE):
        batch = todo[start:start + EMBED_BATCH_SIZE]
        vectors = np.asarray(embedder.embed_passages([text for _key, text, _digest in batch]), dtype="<f4")
        with transaction.atomic():
            for (key, _text, digest), vector in zip(batch, vectors, strict=True):
                SearchVector.objects.update_or_create(
                    kind=key[0], object_id=key[1], model_name=embedder.name,
                    defaults={"dim": int(vector.shape[0]), "vector": vector.tobytes(), "text_hash": digest},
                )
        count += len(batch)
    if keys is None:
        orphans = [pk for pk, kind, object_id in SearchVector.objects.values_list("pk", "kind", "object_id")
                   if (kind, object_id) not in seen]
        for start in range(0, len(orphans), 500):
            SearchVector.objects.filter(pk__in=orphans[start:start + 500]).delete()
    return count


# --- reading -----------------------------------------------------------------------------

def _generation(model_name: str) -> tuple:
    table = SearchVector._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(id), MAX(embedded_at) FROM {table} WHERE model_name = %s", [model_name])
        return tuple(cursor.fetchone())


def _matrix(model_name: str):
    """``(keys, matrix)`` of every stored vector of ``model_name``, cached per generation."""
    global _matrix_cache
    import numpy as np

    generation = _generation(model_name)
    cached = _matrix_cache
    if cached is not None and cached[0] == (model_name, generation):
        return cached[1], cached[2]
    if not generation[0]:
        return [], None
    rows = list(SearchVector.objects.filter(model_name=model_name).values_list("kind", "object_id", "vector"))
    keys = [(kind, object_id) for kind, object_id, _vector in rows]
    matrix = np.vstack([np.frombuffer(bytes(vector), dtype="<f4") for _k, _o, vector in rows])
    with _cache_lock:
        _matrix_cache = ((model_name, generation), keys, matrix)
    return keys, matrix


def preload_vectors() -> None:
    """Read the configured embedder's stored vectors into this process's cache (server start)."""
    embedder = get_embedder()
    if embedder is not None:
        _matrix(embedder.name)


def nearest(text: str, limit: int = DENSE_CANDIDATES) -> list[tuple[tuple[str, int], float]]:
    """The ``limit`` stored items most similar to ``text``: ``[((kind, object_id), cosine), ...]``.

    Ignores permissions: callers must pass the keys through the scope (see
    :func:`visible_dense_matches`). Empty when no embedder is configured or nothing is
    embedded yet (then no query is embedded either).
    """
    text = (text or "").strip()
    if not text or not dense_enabled():
        return []
    embedder = get_embedder()
    if embedder is None:
        return []
    import numpy as np

    keys, matrix = _matrix(embedder.name)
    if matrix is None:
        return []
    query = np.asarray(embedder.embed_queries([text[:500]]), dtype=np.float32)[0]
    scores = matrix @ query
    limit = min(limit, len(keys))
    top = np.argpartition(-scores, limit - 1)[:limit]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(keys[i], float(scores[i])) for i in top]


def visible_dense_matches(text: str, where: str, params: list) -> list[tuple[int, float]]:
    """``[(document id, cosine), ...]``, best first, of the nearest items that pass ``where``.

    ``where`` is the engine's scope and filter condition on alias ``d``: what it excludes
    is never returned.
    """
    found = nearest(text)
    if not found:
        return []
    by_key = dict(found)
    key_sql = " OR ".join(["(d.kind = %s AND d.object_id = %s)"] * len(found))
    key_params = [value for (kind, object_id), _score in found for value in (kind, object_id)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.id, d.kind, d.object_id FROM {SearchDocument._meta.db_table} d "
            f"WHERE ({where}) AND ({key_sql})",
            [*params, *key_params],
        )
        visible = [(doc_id, by_key[(kind, object_id)]) for doc_id, kind, object_id in cursor.fetchall()]
    visible.sort(key=lambda pair: (-pair[1], pair[0]))
    return visible
