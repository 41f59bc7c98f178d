"""Shared types of the extraction core (no Django imports)."""

from __future__ import annotations

from dataclasses import dataclass, field

MB = 1024 * 1024


class ExtractError(ValueError):
    """A file we refuse to read; the message is German and meant for the person who uploaded it."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * MB
    max_pages: int = 2000
    max_pixels: int = 60_000_000  # one page scanned at 600 dpi A3 is ~70 MP; A4 at 300 dpi ~9 MP
    ocr_timeout: int = 60  # seconds per page
    ocr_language: str = "deu"
    max_attachment_depth: int = 2
    max_attachments: int = 20
    max_text_chars: int = 20_000_000


@dataclass
class Block:
    """A paragraph (or heading) of a page as read from the file."""

    text: str
    heading: bool = False
    ocr: bool = False  # read by OCR: safe confusion fixes apply


@dataclass
class Page:
    number: int | None  # None for formats without pages (DOCX, HTML, text)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Extraction:
    media_type: str
    pages: list[Page] = field(default_factory=list)
    title: str = ""
    page_count: int | None = None
    ocr_used: bool = False
    # OCR was needed but Tesseract (or its German data) is not installed: the file is kept for later.
    ocr_missing: bool = False
    notes: list[str] = field(default_factory=list)

    def extend(self, other: Extraction, label: str) -> None:
        """Append an attachment's pages after a heading naming it."""
        self.pages.append(Page(None, [Block(label, heading=True)]))
        self.pages.extend(other.pages)
        self.ocr_used |= other.ocr_used
        self.ocr_missing |= other.ocr_missing
        self.notes.extend(other.notes)
