""""Meinten Sie …?": spelling suggestions from the words of items the user may read.

Permissions: the vocabulary is kept per *readability bucket* — public items, the
non-public items of each municipality at visibility ``intern`` and those at ``netzwerk`` —
because readability depends only on an item's municipality and visibility. A user's
vocabulary is the union of the buckets their scope may read (anonymous visitors: public items
only), so a suggestion can never be a word that occurs only in items the user may not read.
The buckets are rebuilt when the index changes; in addition every suggestion is checked
against the live index within the user's scope and only offered if it finds something, so
even a vocabulary that is a moment old cannot suggest what the user cannot find.

Building reads every indexed text (about 2 s of CPU at 100,000 items). A small index is
rebuilt inside the request; a large one in a background thread of the process, while
requests go on with the previous vocabulary (or, before the first build has finished, with
none: the search answers at once, only without "Meinten Sie …?"). The production server
starts that first build when a worker starts (``warm_up``), so no visitor waits for it.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable

from django.db import connection, connections

from krisenwissen.accounts.selectors import VisibilityScope

from .backends.base import index_state
from .engine import SearchQuery, get_engine, normalise_filters
from .models import SearchDocument
from .spelling import MAX_WORD_LENGTH, MIN_WORD_LENGTH, Vocabulary, suggest

logger = logging.getLogger(__name__)

PUBLIC_BUCKET = ("public", 0)
MAX_CACHED_SCOPES = 64
# Rebuilding reads every indexed text. Small indexes are rebuilt on every change; large ones
# at most this often (a stale vocabulary cannot leak: every suggestion is checked live).
CHEAP_REBUILD_DOCUMENTS = 5_000
MAX_STALE_SECONDS = 300

_lock = threading.Lock()
# (database, index generation) → {"buckets": {bucket: Counter}, "scopes": {scope key: Vocabulary}}
_memo: dict = {"key": None, "built": 0.0, "buckets": {}, "scopes": {}, "building": False}
EMPTY_VOCABULARY = Vocabulary({})

# The words of spelling.WORD_RE that are all letters and 4-40 long (the ones a vocabulary
# keeps), found by the regular expression alone: a maximal run of word characters without
# digits or underscores. Non-letter numerals ("²") pass it and are dropped afterwards.
_VOCABULARY_WORD_RE = re.compile(
    rf"(?<![^\W_])[^\W\d_]{{{MIN_WORD_LENGTH},{MAX_WORD_LENGTH}}}(?![^\W_])"
)


def _bucket(municipality_id: int, visibility: str) -> tuple[str, int]:
    if visibility == "oeffentlich":
        return PUBLIC_BUCKET
    if visibility == "netzwerk":
        return ("netzwerk", municipality_id)
    return ("intern", municipality_id)


def _index_key() -> tuple:
    return (connection.vendor, connection.settings_dict["NAME"], *index_state())


def _must_rebuild(key: tuple) -> bool:
    old = _memo["key"]
    if old == key:
        return False
    if old is None or old[:2] != key[:2] or key[2] <= CHEAP_REBUILD_DOCUMENTS:
        return True
    return time.monotonic() - _memo["built"] > MAX_STALE_SECONDS


def document_words(text: str) -> set[str]:
    """The distinct words of ``text`` a vocabulary keeps: all letters, 4–40 long."""
    return {word for word in set(_VOCABULARY_WORD_RE.findall(text)) if word.isalpha()}


def _build_buckets() -> dict[tuple[str, int], Counter]:
    """Document frequency of every word (4–40 letters) per readability bucket."""
    words_by_bucket: dict[tuple[str, int], list[str]] = {}
    rows = SearchDocument.objects.order_by().values_list("municipality_id", "visibility", "title", "text__body")
    for municipality_id, visibility, title, body in rows.iterator(chunk_size=2000):
        words_by_bucket.setdefault(_bucket(municipality_id, visibility), []).extend(
            document_words(f"{title or ''} {body or ''}")
        )
    # One Counter per bucket over all its documents' words: counting in C, once.
    return {bucket: Counter(words) for bucket, words in words_by_bucket.items()}


def _run_in_background(function: Callable[[], None]) -> None:
    def run() -> None:
        try:
            function()
        finally:
            connections.close_all()  # this thread's connections only

    threading.Thread(target=run, name="krisenwissen-vocabulary", daemon=True).start()


def _build(key: tuple) -> None:
    """Build the buckets for index generation ``key``; the caller has set ``building``."""
    try:
        buckets = _build_buckets()
        with _lock:
            _memo.update(key=key, buckets=buckets, scopes={}, built=time.monotonic())
    finally:
        with _lock:
            _memo["building"] = False


def _build_in_background(key: tuple) -> None:
    """Start building the buckets for index generation ``key`` (caller holds ``_lock``)."""
    _memo["building"] = True

    def build() -> None:
        try:
            _build(key)
        except Exception:
            logger.exception("Wortschatz für „Meinten Sie …?“ konnte nicht aufgebaut werden")

    _run_in_background(build)


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
            if key[2] <= CHEAP_REBUILD_DOCUMENTS:
                _memo.update(key=key, buckets=_build_buckets(), scopes={}, built=time.monotonic())
            elif not _memo["building"]:
                _build_in_background(key)
        if _memo["key"] is None or _memo["key"][:2] != key[:2]:
            return EMPTY_VOCABULARY  # the first build for this database is still running
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


def warm_up() -> None:
    """Build the vocabulary now unless it is current or already being built (blocking; for
    the server's warm-up thread, see ``warmup.py``)."""
    key = _index_key()
    with _lock:
        if not _must_rebuild(key) or _memo["building"]:
            return
        _memo["building"] = True
    _build(key)


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
