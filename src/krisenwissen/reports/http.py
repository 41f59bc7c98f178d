"""HTTP responses for generated reports."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.text import slugify

from .document import Document
from .render import render_docx, render_pdf

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render(document: Document, fmt: str) -> bytes:
    """Bytes of the document in ``fmt`` (``pdf`` or ``docx``)."""
    if fmt == "pdf":
        return render_pdf(document)
    if fmt == "docx":
        return render_docx(document)
    raise ValueError(f"Unbekanntes Berichtsformat: {fmt}")


def document_response(document: Document, fmt: str, basename: str) -> HttpResponse:
    """A download of the document as PDF/UA or DOCX, named ``<basename>.<fmt>``."""
    response = HttpResponse(render(document, fmt), content_type=CONTENT_TYPES[fmt])
    filename = f"{slugify(basename) or 'bericht'}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
