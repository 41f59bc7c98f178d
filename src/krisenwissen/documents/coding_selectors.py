"""Reads of the coding part (keyword-only, permission-aware: only documents the user may read)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from krisenwissen.knowledge.models import Code

from . import agreement
from .models import Coding, Document, DocumentVersion, Memo, VersionStatus

MAX_COOCCURRENCE_CODINGS = 50_000


def readable_documents(*, user) -> QuerySet[Document]:
    """Documents ``user`` may read (one rule: ``ingest_selectors.readable_documents``)."""
    from .ingest_selectors import readable_documents as readable

    return readable(user=user).select_related("municipality")


def get_readable_document(*, pk, user) -> Document:
    try:
        return readable_documents(user=user).get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def current_version(document: Document) -> DocumentVersion | None:
    """The newest processed version (the one that is coded and exported)."""
    return document.versions.filter(status=VersionStatus.FERTIG).order_by("-number").first()


def get_readable_version(*, pk, user) -> DocumentVersion:
    try:
        return (DocumentVersion.objects.select_related("document", "document__municipality")
                .get(pk=pk, document__in=readable_documents(user=user), status=VersionStatus.FERTIG))
    except (DocumentVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def readable_codings(*, user) -> QuerySet[Coding]:
    return Coding.objects.filter(document__in=readable_documents(user=user)).select_related(
        "code", "code__scheme", "document", "document__municipality", "version")


def version_codings(version: DocumentVersion) -> QuerySet[Coding]:
    return version.codings.select_related("code", "coder").prefetch_related("memos")


def subtree_ids(code: Code) -> set[int]:
    ids, frontier = {code.pk}, [code.pk]
    while frontier:
        frontier = list(Code.objects.filter(parent_id__in=frontier).exclude(pk__in=ids).values_list("pk", flat=True))
        ids.update(frontier)
    return ids


def code_segments(*, code: Code, user, municipality_id=None, subcodes: bool = False, phase_id=None,
                  department_function: str = "") -> QuerySet[Coding]:
    """Every segment coded with ``code`` (and its subcodes) in documents the user may read.

    City filters on the document's municipality. Phase and department filter on the
    document's ``phase`` and ``department_function`` where documents carry them (fields the
    ingest part adds from its suggestions); without them these filters do not narrow.
    """
    qs = readable_codings(user=user).filter(code_id__in=subtree_ids(code) if subcodes else [code.pk])
    if municipality_id:
        qs = qs.filter(document__municipality_id=municipality_id)
    fields = {f.name for f in Document._meta.get_fields()}
    if phase_id and "phase" in fields:
        qs = qs.filter(document__phase_id=phase_id)
    if department_function and "department_function" in fields:
        qs = qs.filter(document__department_function=department_function)
    return qs.order_by("document__title", "document_id", "start", "end")


def code_memos(code: Code) -> QuerySet[Memo]:
    return code.memos.all()


@dataclass
class Cooccurrence:
    codes: list[Code]
    counts: dict[tuple[int, int], int]

    def rows(self):
        for row in self.codes:
            yield row, [(col, self.counts.get((row.pk, col.pk), 0) if row.pk != col.pk else None) for col in self.codes]


def cooccurrence(*, user, municipality_id=None) -> Cooccurrence:
    """How often segments of two codes overlap (same text version, intersecting ranges)."""
    qs = readable_codings(user=user)
    if municipality_id:
        qs = qs.filter(document__municipality_id=municipality_id)
    rows = list(qs.values_list("version_id", "code_id", "start", "end")[:MAX_COOCCURRENCE_CODINGS])
    by_version = defaultdict(list)
    for version_id, code_id, start, end in rows:
        by_version[version_id].append((start, end, code_id))
    counts: Counter = Counter()
    for items in by_version.values():
        items.sort()
        for i, (start, end, code_id) in enumerate(items):
            for other_start, other_end, other_code in items[i + 1:]:
                if other_start >= end:
                    break
                if other_code != code_id and min(end, other_end) > max(start, other_start):
                    counts[(code_id, other_code)] += 1
                    counts[(other_code, code_id)] += 1
    used = {code_id for _v, code_id, _s, _e in rows}
    codes = list(Code.objects.filter(pk__in=used).select_related("scheme"))
    return Cooccurrence(codes=codes, counts=dict(counts))


def coders_of(version: DocumentVersion) -> list[str]:
    return sorted(set(version.codings.values_list("coder_name", flat=True)))


def intercoder_agreement(version: DocumentVersion, coder_a: str, coder_b: str) -> list[tuple[Code, agreement.CodeAgreement]]:
    """Per code: agreement of two coders (by name) on this version's text, character by character."""
    ranges: dict[str, dict[int, list]] = {coder_a: defaultdict(list), coder_b: defaultdict(list)}
    for coder, code_id, start, end in version.codings.filter(coder_name__in=[coder_a, coder_b]).values_list(
            "coder_name", "code_id", "start", "end"):
        ranges[coder][code_id].append((start, end))
    results = agreement.code_agreement(len(version.text), ranges[coder_a], ranges[coder_b])
    codes = Code.objects.in_bulk([r.code for r in results])
    return [(codes[r.code], r) for r in results]
