""""Meinten Sie …?": spelling suggestions from the words of items the user may read.

Permissions: the vocabulary is kept per *readability bucket* — public items, the
non-public items of each municipality at visibility ``intern`` and those at ``netzwerk`` —
because readability depends only on an item's municipality and visibility. A user's
vocabulary is the union of the buckets their scope may read (anonymous visitors: public items
only), so a suggestion can never be a word that occurs only in items the user may not read.
The buckets are rebuilt when the index changes; in addition every suggestion is checked
against the live index within the user's scope and only offered if it finds something, so
even a vocabulary that is a moment old cannot suggest what the user cannot find.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

from django.db import connection
from django.db.models import Count, Max

from krisenwissen.accounts.selectors import VisibilityScope

from .engine import SearchQuery, get_engine, normalise_filters
from .models import SearchDocument
from .spelling import MAX_WORD_LENGTH, MIN_WORD_LENGTH, WORD_RE, Vocabulary, suggest

PUBLIC_BUCKET = ("public", 0)
MAX_CACHED_SCOPES = 64
# Rebuilding reads every indexed text. Small indexes are rebuilt on every change; large ones
# at most this often (a stale vocabulary cannot leak: every suggestion is checked live).
CHEAP_REBUILD_DOCUMENTS = 5_000
MAX_STALE_SECONDS = 300

_lock = threading.Lock()
# (database, index generation) → {"buckets": {bucket: Counter}, "scopes": {scope key: Vocabulary}}
_memo: dict = {"key": None, "built": 0.0, "buckets": {}, "scopes": {}}


def _bucket(municipality_id: int, visibility: str) -> tuple[str, int]:
    if visibility == "oeffentlich":
        return PUBLIC_BUCKET
    if visibility == "netzwerk":
        return ("netzwerk", municipality_id)
    return ("intern", municipality_id)


def _index_key() -> tuple:
    stats = SearchDocument.objects.order_by().aggregate(count=Count("id"), newest=Max("indexed_at"))
    return (connection.vendor, connection.settings_dict["NAME"], stats["count"] or 0, str(stats["newest"]))


def _must_rebuild(key: tuple) -> bool:
    old = _memo["key"]
    if old == key:
        return False
    if old is None or old[:2] != key[:2] or key[2] <= CHEAP_REBUILD_DOCUMENTS:
        return True
    return time.monotonic() - _memo["built"] > MAX_STALE_SECONDS


def _build_buckets() -> dict[tuple[str, int], Counter]:
    """Document frequency of every word (4–40 letters) per readability bucket."""
    buckets: dict[tuple[str, int], Counter] = {}
    rows = SearchDocument.objects.order_by().values_list("municipality_id", "visibility", "title", "text__body")
    for municipality_id, visibility, title, body in rows.iterator(chunk_size=2000):
        words = {
            word for word in WORD_RE.findall(f"{title or ''} {body or ''}")
            if MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH and word.isalpha()
        }
        buckets.setdefault(_bucket(municipality_id, visibility), Counter()).update(words)
    return buckets


def _readable_buckets(scope: VisibilityScope, buckets) -> list[tuple[str, int]]:
    if scope.everything:
        return list(buckets)
    readable = [PUBLIC_BUCKET]
    readable += [(kind, m) for m in scope.own for kind in ("intern", "netzwerk")]
    readable += [("netzwerk", m) for m in scope.network]
    return [bucket for bucket in readable if bucket in buckets]


def vocabulary_for(scope: VisibilityScope) -> Vocabulary:
    """The words of the items ``scope`` may read (with document frequencies)."""
    key = _index_key()
    with _lock:
        if _must_rebuild(key):
            _memo.update(key=key, buckets=_build_buckets(), scopes={}, built=time.monotonic())
        scope_key = (scope.everything, scope.own, scope.network)
        vocabulary = _memo["scopes"].get(scope_key)
        if vocabulary is None:
            counts: Counter = Counter()
            for bucket in _readable_buckets(scope, _memo["buckets"]):
                counts.update(_memo["buckets"][bucket])
            vocabulary = Vocabulary.from_counts(counts)
            if len(_memo["scopes"]) >= MAX_CACHED_SCOPES:
                _memo["scopes"].clear()
            _memo["scopes"][scope_key] = vocabulary
    return vocabulary


def did_you_mean(*, scope: VisibilityScope, text: str, total: int, filters=None) -> str | None:
    """A corrected query for ``text`` (which found ``total`` items), or None.

    Only offered when the corrected query finds more items than ``text`` within ``scope``
    (and the same ``filters``).
    """
    suggestion = suggest(text, vocabulary_for(scope))
    if suggestion is None:
        return None
    found = get_engine().search(SearchQuery(text=suggestion, filters=normalise_filters(filters), scope=scope, limit=0))
    return suggestion if found.total > total else None
