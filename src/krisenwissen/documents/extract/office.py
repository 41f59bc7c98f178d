"""DOCX and ODT through the bounded zip reader and defusedxml (no entity expansion, no DTDs)."""

from __future__ import annotations

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from krisenwissen.core.safezip import ArchiveError, ArchiveLimits, read_members

from .base import Block, ExtractError, Extraction, Limits, Page
from .repair import join_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"


def _members(data: bytes, limits: Limits) -> dict[str, bytes]:
    try:
        return read_members(data, ArchiveLimits(max_total_bytes=min(96 * 1024 * 1024, limits.max_bytes * 4)))
    except ArchiveError as exc:
        raise ExtractError(str(exc)) from None


def _parse(xml: bytes, what: str):
    try:
        return SafeET.fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ExtractError(f"{what} enthält XML-Entitäten oder eine Dokumenttypdefinition (DTD); solche Dateien "
                           "werden aus Sicherheitsgründen nicht gelesen.") from None
    except SafeET.ParseError:
        raise ExtractError(f"{what} ist beschädigt (ungültiges XML).") from None


def extract_docx(data: bytes, limits: Limits) -> Extraction:
    """Paragraphs with heading styles; page breaks (explicit or as last rendered by Word) give pages."""
    members = _members(data, limits)
    if "word/document.xml" not in members:
        raise ExtractError("Die Datei ist kein Word-Dokument (DOCX): der Textteil fehlt.")
    for name, content in members.items():
        if name.endswith(".xml") and b"<!DOCTYPE" in content[:4096].upper():
            _parse(content, "Das Word-Dokument")  # raises for DTDs
    root = _parse(members["word/document.xml"], "Das Word-Dokument")
    result = Extraction(media_type=DOCX_TYPE)
    page = Page(1)
    result.pages.append(page)
    rendered_breaks = any(True for _ in root.iter(f"{W}lastRenderedPageBreak"))
    for paragraph in root.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        style_name = (style.get(f"{W}val") or "") if style is not None else ""
        parts: list[str] = []
        for node in paragraph.iter():
            tag = node.tag
            if tag == f"{W}t" and node.text:
                parts.append(node.text)
            elif tag == f"{W}tab":
                parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr") and node.get(f"{W}type") != "page":
                parts.append("\n")
            if (tag == f"{W}br" and node.get(f"{W}type") == "page") or (
                    tag == f"{W}lastRenderedPageBreak" and rendered_breaks):
                text = join_lines("".join(parts))
                if text:
                    page.blocks.append(Block(text, heading=_is_heading_style(style_name)))
                parts = []
                page = Page(page.number + 1)
                result.pages.append(page)
                if len(result.pages) > limits.max_pages:
                    raise ExtractError(f"Das Dokument hat mehr als {limits.max_pages} Seiten.")
        text = join_lines("".join(parts))
        if text:
            page.blocks.append(Block(text, heading=_is_heading_style(style_name)))
    result.pages = [p for p in result.pages if p.blocks] or [Page(1)]
    result.page_count = len(result.pages) if len(result.pages) > 1 else None
    if result.page_count is None:
        result.pages[0].number = None
    title = members.get("docProps/core.xml")
    if title:
        core = _parse(title, "Das Word-Dokument")
        node = core.find("{http://purl.org/dc/elements/1.1/}title")
        result.title = (node.text or "").strip() if node is not None else ""
    return result


def _is_heading_style(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith(("heading", "berschrift", "überschrift", "title", "titel"))


def extract_odt(data: bytes, limits: Limits) -> Extraction:
    members = _members(data, limits)
    if members.get("mimetype", b"").strip() != ODT_TYPE.encode() or "content.xml" not in members:
        raise ExtractError("Die Datei ist kein OpenDocument-Text (ODT).")
    for name, content in members.items():
        if name.endswith(".xml"):
            _parse(content, "Das ODT-Dokument")
    root = _parse(members["content.xml"], "Das ODT-Dokument")
    result = Extraction(media_type=ODT_TYPE)
    page = Page(None)
    result.pages.append(page)
    for node in root.iter():
        if node.tag in (f"{TEXT}h", f"{TEXT}p"):
            # nested paragraphs (in frames, notes) are read with their parent only once
            text = join_lines(_odt_text(node))
            if text:
                page.blocks.append(Block(text, heading=node.tag == f"{TEXT}h"))
    return result


def _odt_text(node) -> str:
    parts = [node.text or ""]
    for child in node:
        if child.tag == f"{TEXT}s":
            parts.append(" " * int(child.get(f"{TEXT}c", "1") or 1))
        elif child.tag == f"{TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{TEXT}line-break":
            parts.append("\n")
        elif child.tag not in (f"{TEXT}p", f"{TEXT}h", f"{TEXT}note"):
            parts.append(_odt_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
