"""Read-only, permission-aware JSON API. Every list goes through knowledge.selectors."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET
from rules.contrib.views import permission_required as rules_permission_required

from krisenwissen.accounts.selectors import participating_municipalities
from krisenwissen.core.params import MAX_DIGITS, id_param, int_param
from krisenwissen.knowledge import selectors
from krisenwissen.knowledge.models import (
    Code,
    Crisis,
    GoodPractice,
    Lesson,
    Observation,
    Recommendation,
)
from krisenwissen.regulations import selectors as regulation_selectors
from krisenwissen.regulations.export import synopse_contract
from krisenwissen.search.selectors import search as run_search

from . import serializers
from .openapi import build_spec

RESOURCES = {
    "beobachtungen": Observation,
    "erkenntnisse": Lesson,
    "empfehlungen": Recommendation,
    "gute-praxis": GoodPractice,
}
MAX_LIMIT = 200
PAST_THE_END = 10**MAX_DIGITS


def _too_long_number(raw: str) -> bool:
    """A whole number with more digits than ``core.params`` reads (never a valid row offset)."""
    text = raw.strip()
    return len(text) > MAX_DIGITS and text.isascii() and text.isdigit()


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _paging(request) -> tuple[int, int] | JsonResponse:
    limit = int_param(request.GET, "limit", default=50 if "limit" not in request.GET else None)
    offset = int_param(request.GET, "offset", default=0 if "offset" not in request.GET else None)
    if offset is None and _too_long_number(request.GET["offset"]):
        offset = PAST_THE_END  # more digits than any row number: past the end, an empty page
    if limit is None or offset is None:
        return _error(400, "limit und offset müssen ganze Zahlen sein.")
    if not (1 <= limit <= MAX_LIMIT) or offset < 0:
        return _error(400, f"limit muss zwischen 1 und {MAX_LIMIT} liegen, offset darf nicht negativ sein.")
    return limit, offset


def _visible_ids(user) -> dict[str, set[int]]:
    return {
        "observation": set(selectors.visible(Observation, user=user).values_list("pk", flat=True)),
        "lesson": set(selectors.visible(Lesson, user=user).values_list("pk", flat=True)),
    }


@require_GET
def item_list(request, resource):
    model = RESOURCES.get(resource)
    if model is None:
        raise Http404
    paging = _paging(request)
    if isinstance(paging, JsonResponse):
        return paging
    limit, offset = paging
    cursor = None
    if "cursor" in request.GET:
        cursor = int_param(request.GET, "cursor", default=None)
        if cursor is None and _too_long_number(request.GET["cursor"]):
            cursor = PAST_THE_END
        if cursor is None or cursor < 0 or "offset" in request.GET:
            return _error(400, "cursor muss der Wert aus next sein (ohne offset).")

    def filtered(qs):
        qs = selectors.filter_items(qs, params=request.GET)
        ags = request.GET.get("kommune")
        if ags:
            qs = qs.filter(municipality__ags=ags)
        return qs.prefetch_related("codes__scheme")

    # The visible items as disjoint parts: each is counted and paged by key from an index,
    # where one OR over all of them makes the database collect and sort every visible row.
    parts = [filtered(part) for part in selectors.visible_parts(model, user=request.user)]
    serialize = serializers.SERIALIZERS[model.kind_key]
    visible_ids = _visible_ids(request.user) if model in (Lesson, Recommendation) else None

    def after(last_pk: int) -> list:
        # Keyset pagination: the rows after the last one seen, by primary key. Stable when items
        # are added or removed meanwhile, and as fast at the end as at the start. The keys of
        # each part are read first (from an index); only the page's rows are then loaded.
        keys = sorted(pk for part in parts
                      for pk in part.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:limit + 1])
        page_keys = keys[:limit + 1]
        if not page_keys:
            return []
        joined, prefetched = serializers.RELATED[model.kind_key]
        return list(model.objects.filter(pk__in=page_keys)
                    .select_related("municipality", "crisis", "phase", *joined)
                    .prefetch_related("codes__scheme", *prefetched).order_by("pk"))

    total = sum(part.order_by().count() for part in parts)
    if cursor is not None:
        rows = after(cursor) if cursor < PAST_THE_END else []
    else:
        if offset == 0:
            rows = after(0)
        elif offset < total:
            qs = filtered(selectors.visible(model, user=request.user)).order_by("pk")
            rows = list(qs[offset:offset + limit + 1])
        else:
            # An offset past the end is an empty page (and never reaches the database, where a huge one overflows).
            rows = []
    more = len(rows) > limit
    rows = rows[:limit]
    next_url = None
    if more:
        params = request.GET.copy()
        params.pop("offset", None)
        params["cursor"] = str(rows[-1].pk)
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    results = [serialize(item, request, visible_ids) for item in rows]
    return JsonResponse({"count": total, "limit": limit, "offset": offset if cursor is None else None,
                         "next": next_url, "results": results})


@require_GET
def item_detail(request, resource, uuid):
    model = RESOURCES.get(resource)
    if model is None:
        raise Http404
    item = selectors.visible(model, user=request.user).filter(uuid=uuid).first()
    if item is None:
        return _error(404, "Nicht gefunden.")
    visible_ids = _visible_ids(request.user) if model in (Lesson, Recommendation) else None
    return JsonResponse(serializers.SERIALIZERS[model.kind_key](item, request, visible_ids))


@require_GET
@rules_permission_required("regulations.view_legaltext", raise_exception=True)  # public, as the Synopse page
def synopse(request, slug):
    """The Synopse of two versions of a legal text as the documented JSON contract
    (``regulations/synopse.schema.json``): ``?alt=&neu=`` version ids, default the two newest
    different versions."""
    legal_text = regulation_selectors.legal_text(slug, user=request.user)
    old_pk, new_pk = id_param(request.GET, "alt"), id_param(request.GET, "neu")
    if ("alt" in request.GET and old_pk is None) or ("neu" in request.GET and new_pk is None):
        return _error(400, "alt und neu müssen Kennungen von Fassungen sein.")
    pair = regulation_selectors.synopse_pair(legal_text, old_pk=old_pk, new_pk=new_pk)
    if pair is None:
        return _error(404, "Dieser Rechtstext hat weniger als zwei Fassungen.")
    old, new = pair
    comparison = regulation_selectors.compare_versions(old, new=new)
    data = synopse_contract(comparison, old=regulation_selectors.version_meta(old),
                            new=regulation_selectors.version_meta(new))
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
def search(request):
    text = request.GET.get("q", "").strip()[:500]
    paging = _paging(request)
    if isinstance(paging, JsonResponse):
        return paging
    limit, offset = paging
    # The search service pages; the window [offset, offset + limit) may span two of its pages.
    page, skip = divmod(offset, limit)
    results = run_search(request.user, text=text, filters={}, page=page + 1, per_page=limit)
    if results.page != page + 1:  # the service clamped a page past the end: nothing there
        hits = []
    else:
        hits = results.hits[skip:]
        if skip and results.page < results.num_pages:
            hits += run_search(request.user, text=text, filters={}, page=page + 2, per_page=limit).hits[:skip]
    return JsonResponse({
        "count": results.total,
        "results": [
            {"kind": h.kind, "title": h.title, "snippet": str(h.snippet), "url": request.build_absolute_uri(h.url),
             "municipality": h.municipality_name, "visibility": h.visibility}
            for h in hits
        ],
    })


@require_GET
def crises(request):
    return JsonResponse({"results": [
        {"id": str(c.uuid), "title": c.title, "hazard_type": c.hazard_type,
         "start": c.start.isoformat() if c.start else None, "end": c.end.isoformat() if c.end else None,
         "phases": [{"number": p.number, "name": p.name, "start": p.start.isoformat() if p.start else None,
                     "end": p.end.isoformat() if p.end else None} for p in c.phases.all()]}
        for c in Crisis.objects.prefetch_related("phases")
    ]})


@require_GET
def staffs(request):
    """The crisis staffs the person may read (members, the municipality's Administration)."""
    from krisenwissen.stab.selectors import staff_as_dict, staffs_for

    qs = staffs_for(user=request.user).prefetch_related("functions__assignments")
    if request.GET.get("uebung") in ("0", "1"):
        qs = qs.filter(exercise=request.GET["uebung"] == "1")
    return JsonResponse({"results": [staff_as_dict(s) for s in qs[:MAX_LIMIT]]})


@require_GET
def staff_detail(request, uuid):
    from krisenwissen.stab.selectors import staff_as_dict, staffs_for

    staff = staffs_for(user=request.user).prefetch_related("functions__assignments").filter(uuid=uuid).first()
    if staff is None:
        return _error(404, "Nicht gefunden.")
    return JsonResponse(staff_as_dict(staff))


@require_GET
def codebook(request):
    return JsonResponse({"results": [
        {"scheme": c.scheme.key, "key": c.key, "name": c.name, "parent": c.parent.key if c.parent else None}
        for c in Code.objects.select_related("scheme", "parent")
    ]})


@require_GET
def municipalities(request):
    return JsonResponse({"results": [
        {"name": m.name, "ags": m.ags, "state": m.state, "kind": m.kind} for m in participating_municipalities()
    ]})


@require_GET
def openapi(request):
    return JsonResponse(build_spec(request.build_absolute_uri("/api/v1")), json_dumps_params={"ensure_ascii": False})
