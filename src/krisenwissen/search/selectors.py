"""Search for views, the API and the console: permission-aware pages of labelled hits and facets."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

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
from .spelling import WORD_RE as SPELLING_WORD_RE

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
    # Found by its meaning (dense retrieval), not by the words of the query.
    matched_by_meaning: bool = False


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
    # Per facet: how many counted values were left out of ``facets`` (see ``facet_top``).
    facets_hidden: dict[str, int] = field(default_factory=dict)

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


# A primary key no real item has; its URL shows where an item's key goes in its kind's URL.
_URL_SENTINEL = "987654321987"


@lru_cache(maxsize=256)
def _url_pattern(kind: str, script_prefix: str, urlconf) -> tuple[str, str] | None:
    """``(before, after)`` the key in the URL of an item of ``kind``; None if the URL is not
    the key in one place (then each item's own ``get_absolute_url()`` is asked)."""
    model = model_for_kind(kind)
    if model is None:
        return ("", "")
    try:
        url = model(pk=int(_URL_SENTINEL)).get_absolute_url()
    except NoReverseMatch:
        # The owning app's URLs are not installed (e.g. in a stripped-down deployment).
        return ("", "")
    except Exception:  # an item URL that needs more than the key
        return None
    parts = url.split(_URL_SENTINEL)
    return (parts[0], parts[1]) if len(parts) == 2 else None


def _item_url(kind: str, object_id: int) -> str:
    """The page of an item. Exports list 10,000 hits: the URL is built from the kind's
    pattern (one ``reverse()`` per kind, URL configuration and script prefix) instead of a
    model instance and a ``reverse()`` per hit."""
    pattern = _url_pattern(kind, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    if pattern is not None:
        before, after = pattern
        return f"{before}{int(object_id)}{after}" if before or after else ""
    model = model_for_kind(kind)
    try:
        return model(pk=object_id).get_absolute_url()
    except NoReverseMatch:
        return ""


def _choice_label(choices, value: str) -> str:
    """The label of ``value`` in ``choices`` in the active language (``value`` if unknown)."""
    return _choice_labels(choices, get_language()).get(value, value)


@lru_cache(maxsize=64)
def _choice_labels(choices, language: str | None) -> dict[str, str]:
    return {choice.value: str(choice.label) for choice in choices}


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


def _shown_values(counts: dict[object, int], chosen: set, top: int) -> set:
    """The values that can be among the ``top`` of a list sorted by count: every value
    counted at least as often as the ``top``-th (ties are decided by label later), and the
    selected ones."""
    if top <= 0:
        return set(chosen)
    if len(counts) <= top:
        return set(counts) | chosen
    threshold = sorted(counts.values(), reverse=True)[top - 1]
    return {value for value, count in counts.items() if count >= threshold} | chosen


def _build_facets(
    facets: dict[str, dict[object, int]], selected: dict[str, tuple], *,
    top: int | None = None, expanded: frozenset[str] = frozenset(),
) -> tuple[dict[str, list[FacetValue]], dict[str, int]]:
    """The facet lists, sorted (phases in their order, the others by count, then label),
    and per facet the number of values left out.

    With ``top``, a facet that is not ``expanded`` keeps only its first ``top`` values
    (and the selected ones, which stay visible with 0 so they can be deselected); only the
    kept values are labelled, so a list of 400 municipalities costs no 400 look-ups.
    """
    result: dict[str, list[FacetValue]] = {}
    hidden: dict[str, int] = {}
    candidates: dict[str, dict[object, int]] = {}
    for key in DISPLAY_FACET_KEYS:
        counts = dict(facets.get(key, {}))
        chosen = set(selected.get(key, ()))
        for value in chosen:
            counts.setdefault(value, 0)
        if top is not None and key != "phase" and key not in expanded:
            shown = _shown_values(counts, chosen, top)
            counts = {value: count for value, count in counts.items() if value in shown}
        candidates[key] = counts
    labels = _facet_labels(candidates, selected)
    for key in DISPLAY_FACET_KEYS:
        chosen = set(selected.get(key, ()))
        entries = [
            FacetValue(value=value, label=labels[key].get(value, str(value)), count=count, selected=value in chosen)
            for value, count in candidates[key].items()
        ]
        if key == "phase":  # phases in their order (per crisis), not by count
            order = _phase_order([entry.value for entry in entries])
            entries.sort(key=lambda entry: order.get(entry.value, ((1, ""), 0, entry.label)))
        else:
            entries.sort(key=lambda entry: (-entry.count, entry.label.casefold()))
        total = len(set(facets.get(key, {})) | chosen)
        if top is not None and key not in expanded and len(entries) > top:
            entries = entries[:top] + [entry for entry in entries[top:] if entry.selected]
        result[key] = entries
        hidden[key] = total - len(entries)
    return result, hidden


def _phase_order(ids) -> dict[object, tuple]:
    """Sort keys of phases: crisis (by title), then the phase number."""
    return {phase.id: ((0, phase.crisis.title.casefold()), phase.number, "")
            for phase in Phase.objects.filter(id__in=[i for i in ids if isinstance(i, int)]).select_related("crisis")}


def _labelled_hits(hits) -> list[SearchHit]:
    """Engine hits with labels, municipality names and URLs (one query for the names; the
    labels looked up once per language, since an export has 10,000 hits)."""
    names = dict(Municipality.objects.filter(id__in={hit.municipality_id for hit in hits}).values_list("id", "name"))
    language = get_language()
    visibility_labels = _choice_labels(Visibility, language)
    item_kind_labels = _choice_labels(ObservationKind, language)
    kind_labels: dict[str, str] = {}
    result = []
    for hit in hits:
        label = kind_labels.get(hit.kind)
        if label is None:
            label = kind_labels[hit.kind] = kind_label(hit.kind)
        result.append(SearchHit(
            kind=hit.kind, kind_label=label, object_id=hit.object_id, title=hit.title,
            # The engine escapes the snippet text itself and only adds <mark> tags.
            snippet=mark_safe(hit.snippet),  # noqa: S308
            url=_item_url(hit.kind, hit.object_id), municipality_name=names.get(hit.municipality_id, ""),
            visibility=hit.visibility, visibility_label=visibility_labels.get(hit.visibility, hit.visibility),
            created_at=hit.created_at, item_kind=hit.item_kind,
            item_kind_label=item_kind_labels.get(hit.item_kind, hit.item_kind) if hit.item_kind else "",
            matched_by_meaning=hit.matched_by_meaning,
        ))
    return result


def search(
    user, text: str = "", filters=None, page: int = 1, per_page: int = 20, *,
    facet_top: int | None = None, expanded_facets: frozenset[str] = frozenset(), snippets: bool = True,
) -> SearchPage:
    """Search everything ``user`` may read. Empty ``text`` lists all visible items, newest first.

    ``filters`` maps filter keys (see ``engine.FILTER_KEYS``) to lists of values, e.g.
    ``{"kind": ["observation"], "theme": ["12"]}``; invalid values are ignored. ``page``
    starts at 1 and is clamped to the existing pages. With ``facet_top``, each facet list
    except those in ``expanded_facets`` holds its ``facet_top`` most frequent values (plus
    the selected ones); ``facets_hidden`` says how many were left out. ``snippets=False``
    leaves the hits without snippets (exports).
    """
    return search_in_scope(visibility_scope(user), text=text, filters=filters, page=page, per_page=per_page,
                           facet_top=facet_top, expanded_facets=expanded_facets, snippets=snippets)


def search_in_scope(
    scope: VisibilityScope, text: str = "", filters=None, page: int = 1, per_page: int = 20, *,
    facet_top: int | None = None, expanded_facets: frozenset[str] = frozenset(), snippets: bool = True,
) -> SearchPage:
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
            snippets=snippets,
        ))

    result = run(page)
    num_pages = max(1, math.ceil(result.total / per_page))
    if page > num_pages:
        page = num_pages
        result = run(page)

    hits = _labelled_hits(result.hits)
    facets, hidden = _build_facets(result.facets, selected, top=facet_top, expanded=frozenset(expanded_facets))
    return SearchPage(
        text=text, total=result.total, hits=hits, facets=facets,
        page=page, num_pages=num_pages, per_page=per_page, filters=selected, facets_hidden=hidden,
    )



# --- "Meinten Sie …?" and "Gibt es schon" (issue 19) ---

SIMILAR_MAX_WORDS = 8
SIMILAR_MAX_TEXT = 2_000


def spelling_suggestion(*, user, text: str, total: int, filters=None) -> str | None:
    """A corrected query for ``text`` built only from words of items ``user`` may read (see suggest.py).

    Offered only if the corrected query finds more than ``total`` readable items (with ``filters``).
    """
    from .suggest import did_you_mean

    text = (text or "").strip()[:500]
    if not text:
        return None
    return did_you_mean(scope=visibility_scope(user), text=text, total=total, filters=filters)


def similar_items(*, user, text: str, limit: int = 5, exclude: tuple[str, int] | None = None) -> list[SearchHit]:
    """Existing items ``user`` may read that resemble ``text`` (e.g. a draft observation).

    The lexical engine requires every query word to match, which a whole draft never does,
    so the draft's most distinctive words (rarest in the user's readable vocabulary) are
    searched one by one within the user's scope and the rankings fused. One function, so
    that a hybrid (dense) lookup can replace it later.
    """
    from .fusion import reciprocal_rank_fusion
    from .spelling import fold_word
    from .suggest import vocabulary_for
    from .text import is_stopword

    scope = visibility_scope(user)
    limit = max(1, min(int(limit or 5), 20))
    words = [word for word in dict.fromkeys(SPELLING_WORD_RE.findall((text or "")[:SIMILAR_MAX_TEXT]))
             if len(word) >= 4 and not is_stopword(word.casefold())]
    if not words:
        return []
    known = vocabulary_for(scope).words
    frequencies = {word: known[fold_word(word)][1] for word in words if fold_word(word) in known}
    chosen = sorted(frequencies, key=lambda word: (frequencies[word], -len(word), word))[:SIMILAR_MAX_WORDS]
    # Rare words weigh more, but a common topic word (say "Krisenstab") still counts: an item
    # that shares several of the draft's words rises above one that shares a single rare word.
    commonest = max((frequencies[word] for word in chosen), default=1)
    weights = [math.log(2 + commonest / frequencies[word]) for word in chosen]
    engine = get_engine()
    rankings, found = [], {}
    for word in chosen:
        result = engine.search(SearchQuery(text=word, scope=scope, limit=limit * 3))
        ranking = []
        for hit in result.hits:
            if (hit.kind, hit.object_id) == exclude or not scope.allows(hit.municipality_id, hit.visibility):
                continue
            found.setdefault((hit.kind, hit.object_id), hit)
            ranking.append((hit.kind, hit.object_id))
        rankings.append(ranking)
    best = [key for key, _score in reciprocal_rank_fusion(rankings, weights=weights)[:limit]]
    return _labelled_hits([found[key] for key in best])
