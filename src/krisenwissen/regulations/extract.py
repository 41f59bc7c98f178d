"""Text of an uploaded legal text: Markdown, plain text, HTML, DOCX, PDF (no Django imports).

Errors are :class:`legaltext.LegalTextError` with a German message for the user.

Bounded: a DOCX is read through :mod:`krisenwissen.core.safezip` (expanded size, ratio and
member limits, checked from the central directory and while reading), a PDF may have at most
``MAX_PDF_PAGES`` pages and ``MAX_PDF_OBJECTS`` objects, and no text longer than
``MAX_TEXT_CHARS`` characters is returned (the longest German codes, BGB or SGB V, have about
two million characters; a 400-million-character "version" made every Synopse view take 55 s).
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from krisenwissen.core.safezip import ArchiveError, ArchiveLimits, read_members, rebuild

from .legaltext import LegalTextError, decode_bytes

MAX_BYTES = 50 * 1024 * 1024
MAX_TEXT_CHARS = 5_000_000
MAX_PDF_PAGES = 3000
MAX_PDF_OBJECTS = 500_000
# A DOCX of a long code: document.xml of 10–25 MB; images are stored as they are (ratio ~1).
DOCX_LIMITS = ArchiveLimits(max_members=2000, max_member_bytes=32 * 1024 * 1024, max_total_bytes=96 * 1024 * 1024,
                            max_ratio=100, ratio_floor=1024 * 1024)
TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def extract_text(data: bytes, filename: str) -> str:
    """Text of the upload, chosen by file name suffix (and content sniffing for PDF/DOCX)."""
    if len(data) > MAX_BYTES:
        raise LegalTextError(f"Die Datei ist mit {len(data) / 1e6:.1f} MB zu groß (höchstens 50 MB).")
    if not data.strip():
        raise LegalTextError("Die Datei ist leer.")
    name = filename.lower()
    if name.endswith(".pdf") or data[:5] == b"%PDF-":
        return check_length(pdf_text(data))
    if name.endswith(".docx") or (data[:2] == b"PK" and not name.endswith(TEXT_SUFFIXES)):
        return check_length(docx_text(data))
    text = decode_bytes(data)
    if "\x00" in text:
        raise LegalTextError("Die Datei ist keine Textdatei (Binärdaten). Erlaubt: Markdown, Text, HTML, DOCX, PDF.")
    check_length(text)
    if name.endswith(HTML_SUFFIXES) or re.match(r"\s*(<!doctype html|<html)", text[:200], re.IGNORECASE):
        return check_length(html_text(text))
    return text


def check_length(text: str) -> str:
    """Refuse a text longer than ``MAX_TEXT_CHARS``; returns it otherwise."""
    if len(text) > MAX_TEXT_CHARS:
        raise LegalTextError(
            f"Der Text ist zu lang ({len(text):,} Zeichen; höchstens {MAX_TEXT_CHARS:,}). "
            "Bitte den Rechtstext in einzelnen Teilen erfassen.".replace(",", "."))
    return text


def pdf_text(data: bytes) -> str:
    try:
        from pypdf import PdfReader  # imported on use: plain-text comparisons start faster

        reader = PdfReader(io.BytesIO(data))
        objects = int(reader.trailer.get("/Size", 0) or 0)
        if objects > MAX_PDF_OBJECTS:
            raise LegalTextError(f"Die PDF-Datei hat zu viele Objekte ({objects}; höchstens {MAX_PDF_OBJECTS}).")
        count = len(reader.pages)
        if count > MAX_PDF_PAGES:
            raise LegalTextError(f"Die PDF-Datei hat zu viele Seiten ({count}; höchstens {MAX_PDF_PAGES}).")
        pages, length = [], 0
        for page in reader.pages:
            page_text = page.extract_text() or ""
            length += len(page_text)
            if length > MAX_TEXT_CHARS:
                raise LegalTextError(f"Der Text der PDF-Datei ist zu lang (mehr als {MAX_TEXT_CHARS:,} Zeichen)."
                                     .replace(",", "."))
            pages.append(page_text)
    except LegalTextError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors for broken files
        raise LegalTextError(f"Die PDF-Datei kann nicht gelesen werden ({type(exc).__name__}).") from exc
    text = "\n".join(pages).replace("\x00", "")  # NUL from broken text layers (PostgreSQL refuses it)
    if len(re.sub(r"\s", "", text)) < 20:
        raise LegalTextError(
            "Die PDF-Datei hat keine Textebene (vermutlich ein Scan). Bitte zuerst eine Texterkennung (OCR) "
            "durchführen, z. B. mit ocrmypdf, oder die Fassung als Text, HTML oder DOCX hochladen."
        )
    return dehyphenate(text)


_LINE_END_HYPHEN = re.compile(r"(\w)-\n(\w+)")
_CONJUNCTIONS = frozenset({"und", "oder", "sowie", "bis", "bzw", "beziehungsweise"})


def dehyphenate(text: str) -> str:
    """Join words hyphenated at line ends ("Ver-\\nordnung" → "Verordnung"), but keep a real
    hyphen before a capital or after a digit ("COVID-19-\\nImpfzertifikat", "Robert-\\nKoch") and
    the hyphen of a shortened compound before a conjunction ("Erst-\\nund" → "Erst- und")."""
    def join(m: re.Match) -> str:
        before, word = m.group(1), m.group(2)
        if word.lower() in _CONJUNCTIONS:
            return f"{before}- {word}"
        if word[0].isupper() or word[0].isdigit() or before.isdigit():
            return f"{before}-{word}"
        return before + word
    return _LINE_END_HYPHEN.sub(join, text)


def docx_text(data: bytes) -> str:
    try:
        # the members are expanded once, within the limits; python-docx reads a stored copy
        checked = rebuild(read_members(data, DOCX_LIMITS))
    except ArchiveError as exc:
        raise LegalTextError(f"Die DOCX-Datei wird nicht gelesen: {exc}") from exc
    try:
        import docx  # imported on use

        document = docx.Document(io.BytesIO(checked))
    except Exception as exc:
        raise LegalTextError(f"Die DOCX-Datei kann nicht gelesen werden ({type(exc).__name__}).") from exc
    lines = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            lines.append("")
            continue
        style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
        if style.startswith(("heading", "überschrift", "title", "titel")):
            lines.append("# " + text)
        else:
            lines.append(text)
        lines.append("")
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
        lines.append("")
    return "\n".join(lines)


class _HTMLText(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "section", "article", "dd", "dt", "table", "blockquote", "pre"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
    SKIP = {"script", "style", "head", "nav", "footer", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.HEADINGS:
            self.parts.append("\n\n# ")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.HEADINGS or tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(" ".join(data.split(" ")).replace("\n", " "))


def html_text(text: str) -> str:
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    out = "".join(parser.parts)
    out = re.sub(r"[ \t]+", " ", out)
    out = re.sub(r" *\n *", "\n", out)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip() + "\n"
