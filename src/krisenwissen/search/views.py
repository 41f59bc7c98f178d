"""The knowledge base page with facets ("Wissen") and the search results page."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from krisenwissen.core.exports import csv_response
from krisenwissen.core.params import id_param, int_param
from krisenwissen.core.policy import permission_required

from .engine import ID_FILTER_KEYS
from .selectors import DISPLAY_FACET_KEYS, FacetValue, similar_items, spelling_suggestion
from .selectors import search as run_search

# Fields of the create forms whose text is compared with existing items ("Gibt es schon").
SIMILAR_TEXT_FIELDS = ("title", "text", "finding", "cause", "problem", "solution")
SIMILAR_MAX_CHARS = 2_000
# A search with at most this many hits may offer a spelling correction.
SUGGEST_BELOW = 3
SEARCH_FILTER_KEYS = ("kind", "observation_kind", "theme", "phase", "crisis", "municipality", "department_function")
EXPORT_LIMIT = 10_000
# Long facet lists (the ~400 municipalities) show their most frequent values; "mehr" (the
# parameter ``alle=<facet>``) shows the whole list, without JavaScript.
FACET_TOP = 10


@dataclass(frozen=True)
class FacetGroup:
    key: str
    values: list[FacetValue]
    hidden: int
    expanded: bool


def _facet_groups(results, expanded: set[str]) -> list[FacetGroup]:
    """The facet lists as shown: the selector keeps at most FACET_TOP values (plus any
    selected ones) of each facet that is not expanded."""
    return [
        FacetGroup(key, values, results.facets_hidden.get(key, 0), key in expanded and len(values) > FACET_TOP)
        for key, values in results.facets.items() if values
    ]


def _valid_filter_value(key: str, value: str) -> bool:
    """Ids must be plausible database keys; anything else is ignored rather than an error."""
    if not value:
        return False
    if key in ID_FILTER_KEYS:
        return id_param({key: value}, key) is not None
    return len(value) <= 50


def _search_filters(request) -> dict[str, list[str]]:
    filters = {}
    for key in SEARCH_FILTER_KEYS:
        values = [v for v in request.GET.getlist(key) if _valid_filter_value(key, v)]
        if values:
            filters[key] = values
    return filters


def _querystring_without(request, *keys) -> str:
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()


def _querystring_with_text(request, text: str) -> str:
    params = request.GET.copy()
    for key in ("seite", "format"):
        params.pop(key, None)
    params["q"] = text
    return params.urlencode()


def browse(request, *, search_mode: bool = False):
    """The knowledge base with facets; with a query it is the search results page."""
    text = request.GET.get("q", "").strip()[:500]
    filters = _search_filters(request)
    if request.GET.get("format") == "csv":
        # No facets and no snippets: the CSV has neither.
        results = run_search(request.user, text=text, filters=filters, page=1, per_page=EXPORT_LIMIT,
                             facet_top=0, snippets=False)
        # Item URLs are absolute paths: the scheme and host are joined once, not per row.
        origin = request.build_absolute_uri("/")[:-1]
        return csv_response(
            "krisenwissen-suche" if text else "krisenwissen-wissen",
            ["Art", "Titel", "Kommune", "Sichtbarkeit", "Erstellt", "Adresse"],
            ([hit.kind_label, hit.title, hit.municipality_name, hit.visibility_label, hit.created_at.date().isoformat() if hit.created_at else "",
              origin + hit.url if hit.url.startswith("/") else request.build_absolute_uri(hit.url)] for hit in results.hits),
        )
    page = int_param(request.GET, "seite", default=1, minimum=1)
    expanded = {key for key in request.GET.getlist("alle") if key in DISPLAY_FACET_KEYS}
    results = run_search(request.user, text=text, filters=filters, page=page, per_page=20,
                         facet_top=FACET_TOP, expanded_facets=frozenset(expanded))
    suggestion = None
    if text and results.total < SUGGEST_BELOW and results.page == 1:
        suggestion = spelling_suggestion(user=request.user, text=text, total=results.total, filters=filters)
    return render(request, "search/browse.html", {
        "suggestion": suggestion,
        "suggestion_querystring": _querystring_with_text(request, suggestion) if suggestion else "",
        "q": text,
        "results": results,
        "facet_groups": _facet_groups(results, expanded),
        "expanded_facets": sorted(expanded),
        "facet_querystring": _querystring_without(request, "seite", "format", "alle"),
        "search_mode": search_mode or bool(text),
        "querystring": _querystring_without(request, "seite", "format"),
        "active_filters": filters,
    })


def search(request):
    return browse(request, search_mode=True)


@permission_required("knowledge.add_item")
@require_http_methods(["GET", "POST"])
def similar(request):
    """Existing items the user may read that resemble a draft ("Gibt es schon").

    htmx requests (GET, while the draft is typed) get the list alone; without JavaScript the
    create form posts the draft here into a new tab and gets a full page.
    """
    data = request.POST if request.method == "POST" else request.GET
    text = " ".join(data.get(key, "")[:SIMILAR_MAX_CHARS] for key in SIMILAR_TEXT_FIELDS).strip()[:SIMILAR_MAX_CHARS]
    items = similar_items(user=request.user, text=text, limit=5) if text else []
    context = {"similar": items, "checked": bool(text)}
    if request.htmx:
        return render(request, "search/partials/similar.html", context)
    return render(request, "search/similar.html", context)
