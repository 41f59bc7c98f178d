"""The search engine interface and the selection of the configured engine.

An engine stores :class:`IndexDocument` objects and answers :class:`SearchQuery` objects
with a :class:`SearchResult`. Every engine applies the query's :class:`VisibilityScope`
inside its database query, so hits, totals and facet counts only ever reflect items the
scope may read.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

from krisenwissen.accounts.selectors import ANONYMOUS_SCOPE, VisibilityScope

# Filter keys the engines understand. Values of one key are alternatives (OR); different
# keys must all hold (AND).
FILTER_KEYS = (
    "kind", "observation_kind", "theme", "code", "phase", "crisis", "municipality", "department_function",
)
# Filters whose values are database ids.
ID_FILTER_KEYS = frozenset({"theme", "code", "phase", "crisis", "municipality"})
# Facets every search returns (``code`` counts every code and ancestor; ``theme`` only those
# of the scheme "themen").
FACET_KEYS = ("kind", "observation_kind", "theme", "code", "phase", "crisis", "municipality", "department_function")

THEME_SCHEME_KEY = "themen"


@dataclass(frozen=True)
class IndexDocument:
    """What the index knows about one knowledge item."""

    kind: str
    object_id: int
    municipality_id: int
    visibility: str
    title: str
    body: str
    created_at: dt.datetime
    crisis_id: int | None = None
    phase_id: int | None = None
    department_function: str = ""
    item_kind: str = ""
    # The item's codes and all their ancestors.
    code_ids: frozenset[int] = frozenset()

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.object_id)


@dataclass(frozen=True)
class SearchQuery:
    """A search request. Empty ``text`` means browse mode: everything visible, newest first."""

    text: str = ""
    filters: Mapping[str, Sequence] = field(default_factory=dict)
    scope: VisibilityScope = ANONYMOUS_SCOPE
    limit: int = 20
    offset: int = 0
    # False: the hits carry no snippet and the body text is not read (exports).
    snippets: bool = True


@dataclass(frozen=True)
class Hit:
    """One result: the index row's data plus an HTML snippet (escaped, with ``<mark>``)."""

    kind: str
    object_id: int
    title: str
    snippet: str
    municipality_id: int
    visibility: str
    created_at: dt.datetime
    item_kind: str = ""
    score: float = 0.0
    # Found by dense retrieval only ("ähnliche Bedeutung"), not by the query's words.
    matched_by_meaning: bool = False


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, the number of all matches, and facet counts ``{key: {value: count}}``.

    Facet values are ids (int) for id filters and strings otherwise; counts cover all
    visible matches of the query and its filters.
    """

    hits: list[Hit]
    total: int
    facets: dict[str, dict[object, int]]


class SearchEngine(abc.ABC):
    """Stores searchable documents and answers permission-aware queries."""

    @abc.abstractmethod
    def index(self, docs: Iterable[IndexDocument]) -> int:
        """Add or replace the given documents (matched by kind and object id); returns their number."""

    @abc.abstractmethod
    def remove(self, keys: Iterable[tuple[str, int]]) -> int:
        """Remove documents by ``(kind, object_id)``; returns the number removed."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Remove every document."""

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """Run ``query`` within its scope; never raises on malformed user text."""

    def optimize(self) -> None:
        """Compact index structures and refresh planner statistics after bulk changes (optional)."""
        return None


def normalise_filters(filters: Mapping[str, Iterable] | None) -> dict[str, tuple]:
    """Clean user filter input: known keys only, ids as ints, invalid values dropped.

    A key whose values are all invalid is kept with an empty tuple, which matches nothing:
    a filter the user set must never silently widen the result.
    """
    cleaned: dict[str, tuple] = {}
    for key, raw_values in (filters or {}).items():
        if key not in FILTER_KEYS:
            continue
        if isinstance(raw_values, (str, int)):
            raw_values = [raw_values]
        values: list = []
        for raw in raw_values or ():
            if key in ID_FILTER_KEYS:
                try:
                    value = int(raw)
                except (TypeError, ValueError):
                    continue
                if 0 < value < 2**63:  # larger numbers overflow database integers
                    values.append(value)
            elif isinstance(raw, str) and raw:
                values.append(raw[:100])
        if raw_values:
            cleaned[key] = tuple(dict.fromkeys(values))
    return cleaned


def get_engine() -> SearchEngine:
    """An instance of the engine class named by ``settings.KRISENWISSEN_SEARCH_ENGINE``."""
    engine_class = import_string(settings.KRISENWISSEN_SEARCH_ENGINE)
    return engine_class()
