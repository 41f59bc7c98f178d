"""The knowledge base page with facets ("Wissen") and the search results page."""

from __future__ import annotations

from django.shortcuts import render

from krisenwissen.core.exports import csv_response
from krisenwissen.core.params import id_param, int_param

from .engine import ID_FILTER_KEYS
from .selectors import search as run_search

SEARCH_FILTER_KEYS = ("kind", "observation_kind", "theme", "phase", "crisis", "municipality", "department_function")
EXPORT_LIMIT = 10_000


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


def browse(request, *, search_mode: bool = False):
    """The knowledge base with facets; with a query it is the search results page."""
    text = request.GET.get("q", "").strip()[:500]
    filters = _search_filters(request)
    if request.GET.get("format") == "csv":
        results = run_search(request.user, text=text, filters=filters, page=1, per_page=EXPORT_LIMIT)
        return csv_response(
            "krisenwissen-suche" if text else "krisenwissen-wissen",
            ["Art", "Titel", "Kommune", "Sichtbarkeit", "Erstellt", "Adresse"],
            ([hit.kind_label, hit.title, hit.municipality_name, hit.visibility_label, hit.created_at.date().isoformat() if hit.created_at else "",
              request.build_absolute_uri(hit.url)] for hit in results.hits),
        )
    page = int_param(request.GET, "seite", default=1, minimum=1)
    results = run_search(request.user, text=text, filters=filters, page=page, per_page=20)
    return render(request, "search/browse.html", {
        "q": text,
        "results": results,
        "search_mode": search_mode or bool(text),
        "querystring": _querystring_without(request, "seite", "format"),
        "active_filters": filters,
    })


def search(request):
    return browse(request, search_mode=True)
