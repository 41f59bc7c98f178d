"""Which records the search index holds: declared by the apps that own them.

An app makes its records searchable (like Wagtail's ``Indexed``) by naming an *index
declaration* on its AppConfig, ``search_index = "krisenwissen.knowledge.search_index"``: a
module with

- ``models``: the indexed model classes;
- ``kind(model) -> str``: the index kind of a model (unique platform-wide);
- ``related(model) -> list``: many-to-many ``through`` models whose changes re-index the
  owning record (may be empty);
- ``document(obj) -> dict``: the fields of :class:`~krisenwissen.search.engine.IndexDocument`
  for one saved record;
- ``documents(model, objects, context) -> Iterable[dict]``: the same for a chunk of records
  (``context`` is a dict that lives for one rebuild, for data read once).

The declaring app does not import the search app; search reads the declarations here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class IndexedModel:
    model: type
    kind: str
    declaration: Any

    def related(self) -> list:
        return list(self.declaration.related(self.model))


@cache
def indexed_models() -> tuple[IndexedModel, ...]:
    """Every indexed model, in app order."""
    found: list[IndexedModel] = []
    for config in apps.get_app_configs():
        dotted = getattr(config, "search_index", None)
        if not dotted:
            continue
        declaration = import_module(dotted)
        for model in declaration.models:
            found.append(IndexedModel(model, declaration.kind(model), declaration))
    kinds = [entry.kind for entry in found]
    duplicates = {kind for kind in kinds if kinds.count(kind) > 1}
    if duplicates:
        raise ValueError(f"search index kinds declared twice: {sorted(duplicates)}")
    return tuple(found)


def entry_for(model: type) -> IndexedModel | None:
    for entry in indexed_models():
        if entry.model is model:
            return entry
    return None


def is_indexed(model: type) -> bool:
    return entry_for(model) is not None


def model_for_kind(kind: str) -> type | None:
    """The model indexed under ``kind`` (labels and links of hits)."""
    for entry in indexed_models():
        if entry.kind == kind:
            return entry.model
    return None
