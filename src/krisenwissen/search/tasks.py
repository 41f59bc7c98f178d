"""Background jobs of the search (django-tasks; in production run `krisenwissen db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def embed_search_items(keys: list | None = None) -> int:
    """Compute the sentence embeddings of the given ``[[kind, object_id], ...]`` (None: all items)."""
    from .dense import embed_items

    return embed_items(None if keys is None else [(str(kind), int(object_id)) for kind, object_id in keys])
