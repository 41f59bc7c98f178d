"""What the knowledge app puts into the search index (declared as ``KnowledgeConfig.search_index``).

The search app reads this declaration through the app registry (see
:mod:`krisenwissen.search.registry`); this module does not import the search app. Each
indexed record becomes a plain dict with the fields of ``search.engine.IndexDocument``:
``kind``, ``object_id``, ``municipality_id``, ``visibility``, ``title``, ``body``,
``created_at`` and the optional facets ``crisis_id``, ``phase_id``, ``department_function``,
``item_kind`` and ``code_ids`` (the item's codes plus all their ancestors).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from .models import KNOWLEDGE_MODELS, Code, KnowledgeItem, Observation

# The indexed models; the search app re-indexes one after its save, delete or code change.
models = KNOWLEDGE_MODELS


def kind(model: type[KnowledgeItem]) -> str:
    """The index kind of a model (unique across all indexed models)."""
    return model.kind_key


def related(model: type[KnowledgeItem]) -> list:
    """Many-to-many relations whose changes re-index the item (the codes)."""
    return [model.codes.through]


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


def document(obj: KnowledgeItem, code_ids: Iterable[int] | None = None,
             ancestors: dict[int, frozenset[int]] | None = None) -> dict:
    """The index fields of a saved knowledge item.

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
    return {
        "kind": obj.kind_key,
        "object_id": obj.pk,
        "municipality_id": obj.municipality_id,
        "visibility": obj.visibility,
        "title": obj.display_title,
        "body": obj.body_text,
        "created_at": obj.created_at,
        "crisis_id": obj.crisis_id,
        "phase_id": obj.phase_id,
        "department_function": obj.department_function or "",
        "item_kind": obj.kind if isinstance(obj, Observation) else "",
        "code_ids": frozenset(all_codes),
    }


def documents(model: type[KnowledgeItem], objects: Sequence[KnowledgeItem], context: dict) -> Iterator[dict]:
    """The index fields of a chunk of items, with one query for their codes.

    ``context`` lives for one rebuild: the code hierarchy is read once, not per chunk.
    """
    if "code_ancestors" not in context:
        context["code_ancestors"] = code_ancestor_map()
    ancestors = context["code_ancestors"]
    through = model.codes.through
    source_field = f"{model._meta.model_name}_id"
    codes_by_item: dict[int, list[int]] = {}
    for item_id, code_id in through.objects.filter(
        **{f"{source_field}__in": [item.pk for item in objects]}
    ).values_list(source_field, "code_id"):
        codes_by_item.setdefault(item_id, []).append(code_id)
    for item in objects:
        yield document(item, codes_by_item.get(item.pk, ()), ancestors)
