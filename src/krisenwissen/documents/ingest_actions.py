"""State changes of the ingest part: upload (with duplicates and versions) and extraction.

``do_upload_document`` checks the file before anything is stored (size, format against its
extension, PDF pages and encryption, image pixels, zip and XML bombs) and refuses with a German
message; an accepted file is stored (images without EXIF/GPS metadata) and extracted in a
background job (``ingest_tasks.extract_document_version``) that writes the text and all passages
in one transaction: a failing extraction leaves the version with status "Fehler" and no passage.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from krisenwissen.core.audit import record
from krisenwissen.core.policy import require_perm

from .extract import ExtractError, build_text, extract, precheck, strip_image_metadata
from .ingest_events import IngestEvent
from .ingest_limits import limits
from .models import Document, DocumentKind, DocumentVersion, Passage, VersionStatus

logger = logging.getLogger(__name__)

NOT_HERE = _("Sie dürfen in dieser Kommune keine Dokumente hochladen.")


@dataclass
class UploadResult:
    document: Document
    version: DocumentVersion
    duplicate: bool = False
    new_version: bool = False

    @property
    def message(self) -> str:
        if self.duplicate:
            return _("„%(name)s“ ist bereits vorhanden (als „%(title)s“, Fassung %(number)s).") % {
                "name": self.version.original_name, "title": self.document.title, "number": self.version.number}
        if self.new_version:
            return _("„%(name)s“ wurde als Fassung %(number)s von „%(title)s“ gespeichert.") % {
                "name": self.version.original_name, "number": self.version.number, "title": self.document.title}
        return _("„%(name)s“ wurde hochgeladen und wird verarbeitet.") % {"name": self.version.original_name}


def _title_from(filename: str) -> str:
    stem = os.path.splitext(os.path.basename(filename))[0]
    return " ".join(stem.replace("_", " ").split())[:300] or _("Dokument")


def do_upload_document(*, municipality, data: bytes, filename: str, acting_user, title: str = "",
                       visibility: str = "intern", kind: str = DocumentKind.DOKUMENT, description: str = "",
                       document: Document | None = None, enqueue: bool = True, phase=None,
                       department_function: str = "") -> UploadResult:
    """Store an upload as a new document, a new version of ``document``, or recognise a duplicate.

    Raises ``ValidationError`` (German message) for a refused file; nothing is stored then.
    ``enqueue=False``: the caller runs :func:`run_extraction` itself (the console command)."""
    filename = os.path.basename(filename or "")[:255] or "datei"
    if document is not None:
        require_perm(acting_user, "documents.add_document_version", document, message=NOT_HERE)
        municipality = document.municipality
    else:
        require_perm(acting_user, "documents.upload_to_municipality", municipality, message=NOT_HERE)
    if visibility not in {v for v, _label in Document._meta.get_field("visibility").choices}:
        raise ValidationError(_("Unbekannte Sichtbarkeit „%(v)s“.") % {"v": visibility})
    try:
        media_type = precheck(data, filename, limits())
        stored = strip_image_metadata(data, limits())
    except ExtractError as exc:
        raise ValidationError(str(exc)) from None
    content_hash = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        existing = (DocumentVersion.objects.select_related("document")
                    .filter(content_hash=content_hash, document__municipality=municipality)
                    .order_by("pk").first())
        if existing is not None:
            record(IngestEvent.DUPLICATE_UPLOAD, acting_user=acting_user, obj=existing.document,
                   datei=filename, fassung=existing.number)
            return UploadResult(existing.document, existing, duplicate=True)
        new_version = document is not None
        if document is None:
            document = Document(municipality=municipality, title=(title or _title_from(filename))[:300], kind=kind,
                                visibility=visibility, description=description, created_by=_person(acting_user),
                                phase=phase, department_function=department_function or "")
            document.full_clean()
            document.save()
            number = 1
        else:
            document = Document.objects.select_for_update().get(pk=document.pk)
            number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = DocumentVersion(document=document, number=number, content_hash=content_hash, original_name=filename,
                                  media_type=media_type, size=len(data), created_by=_person(acting_user))
        version.file.save(f"{content_hash[:16]}{os.path.splitext(filename)[1].lower()[:10]}", ContentFile(stored),
                          save=False)
        version.save()
        record(IngestEvent.VERSION_ADDED if new_version else IngestEvent.DOCUMENT_UPLOADED, acting_user=acting_user,
               obj=document, datei=filename, fassung=number, groesse=len(data))
        version_id = version.pk

        def start():
            from .ingest_tasks import extract_document_version

            extract_document_version.enqueue(version_id)

        if enqueue:
            transaction.on_commit(start)
    return UploadResult(document, version, new_version=new_version)


def _person(user):
    return user if getattr(user, "is_authenticated", False) and getattr(user, "pk", None) else None


def run_extraction(version_id: int, on_progress=None) -> DocumentVersion:
    """Extract one version (the background job's body). Progress is written as it goes; the text
    and all passages are written in one transaction at the end."""
    version = DocumentVersion.objects.select_related("document").get(pk=version_id)
    DocumentVersion.objects.filter(pk=version_id).update(status=VersionStatus.IN_ARBEIT, progress=1, error="")
    last = [0]

    def progress(done: int, total: int) -> None:
        if on_progress:
            on_progress(done, total)
        percent = min(95, max(1, int(done * 95 / max(total, 1))))
        if percent - last[0] >= 5:
            last[0] = percent
            DocumentVersion.objects.filter(pk=version_id).update(progress=percent)

    try:
        with version.file.open("rb") as handle:
            data = handle.read(limits().max_bytes + 1)
        extraction = extract(data, version.original_name, limits(), progress=progress)
        result = build_text(extraction, max_chars=limits().max_text_chars)
    except ExtractError as exc:
        return _fail(version, str(exc))
    except Exception:  # a reader's bug must not leave the version "in Arbeit" forever
        logger.exception("Extraktion von Dokumentversion %s fehlgeschlagen", version_id)
        return _fail(version, _("Die Datei konnte nicht verarbeitet werden (unerwarteter Fehler beim Lesen)."))
    from .suggestions import suggest_for_passages

    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().get(pk=version_id)
        version.passages.all().delete()
        passages = [Passage(version=version, document_id=version.document_id, key=p.key, order=p.order, page=p.page,
                            heading=p.heading, start=p.start, end=p.end, text=p.text, quote=p.quote)
                    for p in result.passages]
        suggest_for_passages(version.document, passages)
        Passage.objects.bulk_create(passages, batch_size=500)
        version.text = result.text
        version.corrections = result.corrections
        version.notes = extraction.notes
        version.page_count = extraction.page_count
        version.ocr_used = extraction.ocr_used
        if not version.media_type:
            version.media_type = extraction.media_type
        if extraction.ocr_missing:
            version.status = VersionStatus.OCR_FEHLT
            version.error = _("Für diese Datei ist Texterkennung (OCR) nötig, aber Tesseract mit deutscher Sprache "
                              "(Debian-Paket tesseract-ocr-deu) ist auf dem Server nicht installiert. Die Datei ist "
                              "gespeichert und kann später verarbeitet werden.")
        else:
            version.status = VersionStatus.FERTIG
            version.error = ""
        version.progress = 100
        version.save()
        document = version.document
        if document.title == _title_from(version.original_name) and extraction.title and version.number == 1:
            document.title = extraction.title[:300]
            document.save(update_fields=["title", "updated_at"])
        record(IngestEvent.VERSION_EXTRACTED, acting_user=None, obj=document, fassung=version.number,
               textstellen=len(passages), seiten=version.page_count or 0)
        transaction.on_commit(lambda: _reindex(version.document_id))
    return version


def _fail(version: DocumentVersion, message: str) -> DocumentVersion:
    with transaction.atomic():
        DocumentVersion.objects.filter(pk=version.pk).update(status=VersionStatus.FEHLER, error=message, progress=0)
        record(IngestEvent.VERSION_FAILED, acting_user=None, obj=version.document, fassung=version.number, fehler=message)
    version.refresh_from_db()
    return version


def _reindex(document_id: int) -> None:
    """Put the current version's passages into the search index and take older ones out."""
    from .search_index import reindex_document

    try:
        reindex_document(document_id)
    except Exception:
        logger.exception("Suchindex für Dokument %s konnte nicht aktualisiert werden", document_id)


def do_update_document(document: Document, *, acting_user, title: str | None = None, visibility: str | None = None,
                       kind: str | None = None, description: str | None = None, phase=None,
                       department_function: str | None = None, clear_phase: bool = False) -> Document:
    """Change a document's title, visibility, kind, description, phase or department and re-index its
    passages (the search index carries the visibility, so a narrowed document leaves others' results
    at once). Permission ``documents.edit_document``; audited with the changed fields."""
    require_perm(acting_user, "documents.edit_document", document)
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        before = {f: getattr(document, f) for f in ("title", "visibility", "kind", "description", "phase_id",
                                                    "department_function")}
        if title is not None:
            document.title = " ".join(title.split())[:300]
        if visibility is not None:
            document.visibility = visibility
        if kind is not None:
            document.kind = kind
        if description is not None:
            document.description = description
        if phase is not None or clear_phase:
            document.phase = phase
        if department_function is not None:
            document.department_function = department_function
        document.full_clean()
        changed = {f: getattr(document, f) for f in before if getattr(document, f) != before[f]}
        if not changed:
            return document
        document.save()
        record(IngestEvent.DOCUMENT_UPDATED, acting_user=acting_user, obj=document,
               felder=sorted(changed), **({"sichtbarkeit": document.visibility} if "visibility" in changed else {}))
        document_id = document.pk
        transaction.on_commit(lambda: _reindex(document_id))
    return document
