"""Reads of the ingest part (keyword-only, permission-aware)."""

from __future__ import annotations

from krisenwissen.accounts.selectors import visibility_scope

from .models import Document, DocumentVersion, VersionStatus


def readable_documents(*, user):
    """Documents ``user`` may read (municipality + visibility, as for knowledge items)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Document.objects.none()
    return Document.objects.filter(visibility_scope(user).q())


def current_version(*, document: Document) -> DocumentVersion | None:
    """The newest extracted version, else the newest one (still waiting or failed)."""
    done = document.versions.filter(status__in=(VersionStatus.FERTIG, VersionStatus.OCR_FEHLT)).order_by("-number").first()
    return done or document.versions.order_by("-number").first()
