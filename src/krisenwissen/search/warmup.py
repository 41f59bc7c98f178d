"""Prepare a server worker for its first searches, in the background.

Each production worker process loads the sentence-embedding model, reads the stored vectors
and builds the spelling vocabulary once. Done lazily, the first search after a (re)start
would wait for all three (seconds at 100,000 items); the WSGI module calls :func:`warm_up`
when a worker starts, and requests are served meanwhile (a search that comes first waits
for the model, never for the vocabulary: see ``suggest.py``).
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import connections

logger = logging.getLogger(__name__)


def warm_up_now() -> None:
    """Load the embedder and the vectors and build the vocabulary (blocking); logs
    "Suche vorbereitet" when done."""
    from . import dense, suggest

    began = time.monotonic()
    try:
        dense.preload_vectors()  # loads the embedder first
        suggest.warm_up()
        logger.info("Suche vorbereitet in %.1f s", time.monotonic() - began)
    except Exception:
        logger.exception("Vorbereitung der Suche beim Start fehlgeschlagen")


def warm_up() -> threading.Thread:
    """Run :func:`warm_up_now` in a daemon thread and return it."""

    def run() -> None:
        try:
            warm_up_now()
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=run, name="krisenwissen-search-warm-up", daemon=True)
    thread.start()
    return thread
