"""Search for views, the API and the console: permission-aware pages of labelled hits and facets."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.urls import NoReverseMatch
from django.utils.safestring import SafeString, mark_safe

from krisenwissen.accounts.models import DepartmentFunction, Municipality
from krisenwissen.accounts.selectors import VisibilityScope, visibility_scope
from krisenwissen.knowledge.models import (
    Code,
    Crisis,
    ObservationKind,
    Phase,
    Visibility,
)

from .engine import SearchQuery, get_engine, normalise_filters
from .registry import model_for_kind

# Facets shown to users, in display order. The engine also counts "code" (every code of the
# code book), which is too long a list for a sidebar; it is available as a filter.
DISPLAY_FACET_KEYS = ("kind", "observation_kind", "theme", "phase", "crisis", "municipality", "department_function")
MAX_PER_PAGE = 10_000
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class FacetValue:
    value: object
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class SearchHit:
    kind: str
    kind_label: str
    object_id: int
    title: str
    snippet: SafeString
    url: str
    municipality_name: str
    visibility: str
    visibility_label: str
    created_at: dt.datetime
    item_kind: str = ""
    item_kind_label: str = ""


@dataclass(frozen=True)
class SearchPage:
    text: str
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]
    page: int
    num_pages: int
    per_page: int
    filters: dict[str, tuple] = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def kind_label(kind: str) -> str:
    """German name of an indexed kind ("observation" → "Beobachtung"): the model's verbose name."""
    model = model_for_kind(kind)
    return str(model._meta.verbose_name) if model else kind


def _item_url(kind: str, object_id: int) -> str:
    model = model_for_kind(kind)
    if model is None:
        return ""
    try:
        return model(pk=object_id).get_absolute_url()
    except NoReverseMatch:
        # The owning app's URLs are not installed (e.g. in a stripped-down deployment).
        return ""


def _choice_label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _facet_labels(facets: dict[str, dict[object, int]], selected: dict[str, tuple]) -> dict[str, dict[object, str]]:
    """Labels for every facet value that is counted or selected."""
    def values(key):
        return set(facets.get(key, {})) | set(selected.get(key, ()))

    code_ids = values("theme") | values("code")
    codes = {code.id: code.name for code in Code.objects.filter(id__in=code_ids)}
    phases = {
        phase.id: f"{phase} ({phase.crisis.title})"
        for phase in Phase.objects.filter(id__in=values("phase")).select_related("crisis")
    }
    crises = dict(Crisis.objects.filter(id__in=values("crisis")).values_list("id", "title"))
    municipalities = dict(Municipality.objects.filter(id__in=values("municipality")).values_list("id", "name"))
    return {
        "kind": {value: kind_label(value) for value in values("kind")},
        "observation_kind": {value: _choice_label(ObservationKind, value) for value in values("observation_kind")},
        "theme": {value: codes.get(value, str(value)) for value in values("theme")},
        "code": {value: codes.get(value, str(value)) for value in values("code")},
        "phase": {value: phases.get(value, str(value)) for value in values("phase")},
        "crisis": {value: crises.get(value, str(value)) for value in values("crisis")},
        "municipality": {value: municipalities.get(value, str(value)) for value in values("municipality")},
        "department_function": {
            value: _choice_label(DepartmentFunction, value) for value in values("department_function")
        },
    }


def _build_facets(facets: dict[str, dict[object, int]], selected: dict[str, tuple]) -> dict[str, list[FacetValue]]:
    labels = _facet_labels(facets, selected)
    result: dict[str, list[FacetValue]] = {}
    for key in DISPLAY_FACET_KEYS:
        counts = dict(facets.get(key, {}))
        # A selected value stays visible (with 0) so it can be deselected.
        for value in selected.get(key, ()):
            counts.setdefault(value, 0)
        chosen = set(selected.get(key, ()))
        entries = [
            FacetValue(value=value, label=labels[key].get(value, str(value)), count=count, selected=value in chosen)
            for value, count in counts.items()
        ]
        if key == "phase":  # phases in their order (per crisis), not by count
            order = _phase_order([entry.value for entry in entries])
            result[key] = sorted(entries, key=lambda entry: order.get(entry.value, ((1, ""), 0, entry.label)))
        else:
            result[key] = sorted(entries, key=lambda entry: (-entry.count, entry.label.casefold()))
    return result


def _phase_order(ids) -> dict[object, tuple]:
    """Sort keys of phases: crisis (by title), then the phase number."""
    return {phase.id: ((0, phase.crisis.title.casefold()), phase.number, "")
            for phase in Phase.objects.filter(id__in=[i for i in ids if isinstance(i, int)]).select_related("crisis")}


def search(user, text: str = "", filters=None, page: int = 1, per_page: int = 20) -> SearchPage:
    """Search everything ``user`` may read. Empty ``text`` lists all visible items, newest first.

    ``filters`` maps filter keys (see ``engine.FILTER_KEYS``) to lists of values, e.g.
    ``{"kind": ["observation"], "theme": ["12"]}``; invalid values are ignored. ``page``
    starts at 1 and is clamped to the existing pages.
    """
    return search_in_scope(visibility_scope(user), text=text, filters=filters, page=page, per_page=per_page)


def search_in_scope(scope: VisibilityScope, text: str = "", filters=None, page: int = 1, per_page: int = 20) -> SearchPage:
    """:func:`search` for an explicit scope (console commands, benchmarks)."""
    text = (text or "").strip()
    per_page = min(MAX_PER_PAGE, max(1, int(per_page or 20)))
    # Bounded first so the offset fits a database integer; beyond the last page it is clamped below.
    page = min(MAX_PAGE, max(1, int(page or 1)))
    selected = normalise_filters(filters)
    engine = get_engine()

    def run(page_number: int):
        return engine.search(SearchQuery(
            text=text, filters=selected, scope=scope, limit=per_page, offset=(page_number - 1) * per_page,
        ))

    result = run(page)
    num_pages = max(1, math.ceil(result.total / per_page))
    if page > num_pages:
        page = num_pages
        result = run(page)

    municipality_names = dict(
        Municipality.objects.filter(id__in={hit.municipality_id for hit in result.hits}).values_list("id", "name")
    )
    hits = [
        SearchHit(
            kind=hit.kind,
            kind_label=kind_label(hit.kind),
            object_id=hit.object_id,
            title=hit.title,
            # The engine escapes the snippet text itself and only adds <mark> tags.
            snippet=mark_safe(hit.snippet),  # noqa: S308
            url=_item_url(hit.kind, hit.object_id),
            municipality_name=municipality_names.get(hit.municipality_id, ""),
            visibility=hit.visibility,
            visibility_label=_choice_label(Visibility, hit.visibility),
            created_at=hit.created_at,
            item_kind=hit.item_kind,
            item_kind_label=_choice_label(ObservationKind, hit.item_kind) if hit.item_kind else "",
        )
        for hit in result.hits
    ]
    return SearchPage(
        text=text, total=result.total, hits=hits, facets=_build_facets(result.facets, selected),
        page=page, num_pages=num_pages, per_page=per_page, filters=selected,
    )

