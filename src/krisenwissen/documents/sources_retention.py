"""Retention of the research sources (``DocumentsConfig.retention``, see ``core.retention``).

An interview's transcript document (versions, passages, codings, memos; the stored files) is
deleted the day after the retention date recorded with the interview's consent. Observations
that cite it keep their text; their citation goes with the document.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .models import Document, DocumentVersion
from .sources_models import Interview


def apply(*, now: dt.datetime, periods: dict[str, int]) -> dict[str, int]:
    today = now.date()
    document_ids = list(Interview.objects.filter(retention_until__lt=today).values_list("document_id", flat=True))
    if not document_ids:
        return {"interviews": 0}
    files = [name for name in DocumentVersion.objects.filter(document_id__in=document_ids).values_list("file", flat=True) if name]
    from .models import Passage

    passage_ids = list(Passage.objects.filter(document_id__in=document_ids).values_list("pk", flat=True))
    Document.objects.filter(pk__in=document_ids).delete()

    def cleanup():
        from django.core.files.storage import default_storage

        for name in files:
            try:
                default_storage.delete(name)
            except OSError:
                pass
        if passage_ids:
            try:
                from krisenwissen.search.engine import get_engine

                get_engine().remove([("passage", pk) for pk in passage_ids])
            except Exception:  # the search index is rebuilt nightly; never fail the retention run
                pass

    transaction.on_commit(cleanup)
    return {"interviews": len(document_ids)}
