"""What documents put into the platform search (declared as ``DocumentsConfig.search_index``).

The passages of each document's current version (the newest version that was extracted) are
indexed, with the document's municipality and visibility: a passage is found exactly by those
who may read its document. Older versions' passages stay in the version history only.
This module does not import the search app (``reindex_document`` imports it lazily).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.db.models import Max

from .models import DocumentVersion, Passage, VersionStatus

models = [Passage]
DONE = (VersionStatus.FERTIG, VersionStatus.OCR_FEHLT)


def kind(model) -> str:
    return "passage"


def related(model) -> list:
    return []


def _title(passage: Passage) -> str:
    page = f" · S. {passage.page}" if passage.page else ""
    return f"{passage.document.title}{page}"[:300]


def document(obj: Passage) -> dict:
    return {
        "kind": "passage",
        "object_id": obj.pk,
        "municipality_id": obj.document.municipality_id,
        "visibility": obj.document.visibility,
        "title": _title(obj),
        "body": " ".join(filter(None, [obj.heading, obj.text])),
        "created_at": obj.version.created_at,
    }


def current_version_ids(document_ids) -> set[int]:
    rows = (DocumentVersion.objects.filter(document_id__in=set(document_ids), status__in=DONE)
            .values("document_id").annotate(n=Max("number")))
    wanted = {(r["document_id"], r["n"]) for r in rows}
    return {pk for pk, doc, number in DocumentVersion.objects.filter(document_id__in={d for d, _ in wanted})
            .values_list("pk", "document_id", "number") if (doc, number) in wanted}


def documents(model, objects: Sequence[Passage], context: dict) -> Iterator[dict]:
    passages = list(Passage.objects.filter(pk__in=[p.pk for p in objects]).select_related("document", "version")
                    .order_by("pk"))
    current = current_version_ids({p.document_id for p in passages})
    for passage in passages:
        if passage.version_id in current:
            yield document(passage)


def reindex_document(document_id: int) -> None:
    """Index the current version's passages and remove every other version's from the index."""
    from krisenwissen.search.engine import IndexDocument, get_engine

    current = current_version_ids([document_id])
    all_passages = list(Passage.objects.filter(document_id=document_id).select_related("document", "version"))
    engine = get_engine()
    stale = [("passage", p.pk) for p in all_passages if p.version_id not in current]
    if stale:
        engine.remove(stale)
    fresh = [IndexDocument(**document(p)) for p in all_passages if p.version_id in current]
    for start in range(0, len(fresh), 500):
        engine.index(fresh[start:start + 500])


def hit_details(ids) -> dict[int, dict]:
    """Extra keys of passage hits in ``krisenwissen search --json``: document, page, heading and full text
    (the index also matches the passage's heading, so a hit's term may be in ``heading`` only)."""
    return {p.pk: {"document": p.document.title, "document_id": p.document_id, "page": p.page, "passage": p.key,
                   "heading": p.heading, "text": p.text}
            for p in Passage.objects.filter(pk__in=list(ids)).select_related("document")}
