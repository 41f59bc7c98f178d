"""The extraction core of documents: a file's bytes → pages of blocks → one text with passages.

No Django imports (import-linter "pure-cores"). Every refusal is an :class:`ExtractError` with a
German message. Bounds: upload size, zip members (``core.safezip``), XML entities and DTDs
(defusedxml), image pixels, pages, OCR time per page, e-mail attachment depth and count.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field

from .base import Block, ExtractError, Extraction, Limits, Page
from .markup import extract_html, extract_markdown, extract_text
from .office import extract_docx, extract_odt
from .repair import Correction, fix_ocr_confusions, is_quotation

__all__ = ["Block", "Correction", "Extraction", "ExtractError", "Limits", "Page", "PassageSpec", "TextResult",
           "build_text", "detect_format", "extract", "precheck", "strip_image_metadata"]

_TEXT_EXT = {".txt": "text", ".text": "text", ".csv": "text", ".md": "markdown", ".markdown": "markdown",
             ".html": "html", ".htm": "html", ".xhtml": "html", ".eml": "mail"}
_BINARY_EXT = {".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".png": "image", ".jpg": "image", ".jpeg": "image",
               ".tif": "image", ".tiff": "image", ".gif": "image", ".bmp": "image", ".webp": "image"}
_LABELS = {"pdf": "PDF-Datei", "docx": "Word-Dokument (DOCX)", "odt": "OpenDocument-Text (ODT)", "image": "Bilddatei"}
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a", b"BM")


def detect_format(data: bytes, filename: str) -> str:
    """The format from the content (magic bytes), checked against the file name's extension."""
    ext = os.path.splitext(filename.lower())[1]
    head = data[:16]
    sniffed = None
    if head.lstrip()[:5] == b"%PDF-" or data[:1024].find(b"%PDF-") >= 0:
        sniffed = "pdf"
    elif head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        sniffed = _zip_kind(data)
    elif head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        sniffed = "image"
    expected = _BINARY_EXT.get(ext)
    if expected and sniffed != expected:
        label = _LABELS[expected]
        raise ExtractError(f"Die Datei „{filename[:120]}“ trägt die Endung {ext}, ist aber keine {label}. "
                           "Bitte die Datei im richtigen Format hochladen oder die Endung berichtigen.")
    if sniffed == "zip":
        raise ExtractError("Das Archiv ist kein unterstütztes Dokument (DOCX oder ODT).")
    if sniffed:
        if ext in _TEXT_EXT:
            raise ExtractError(f"Die Datei „{filename[:120]}“ trägt die Endung {ext}, ist aber eine {_LABELS[sniffed]}. "
                               "Bitte die Endung berichtigen.")
        return sniffed
    if ext in _TEXT_EXT:
        return _TEXT_EXT[ext]
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError(f"Das Dateiformat von „{filename[:120]}“ wird nicht unterstützt. Unterstützt werden PDF, "
                           "Bilder (Texterkennung), DOCX, ODT, HTML, Markdown, Text und E-Mail (.eml).")
    start = data[:512].lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def _zip_kind(data: bytes) -> str:
    """docx, odt or zip from the archive's member names (central directory only, nothing unpacked)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist()[:5000])
    except Exception:  # a broken archive: the office readers refuse it with their message
        return "docx" if b"word/" in data[:4096] else "zip"
    if "word/document.xml" in names:
        return "docx"
    if "content.xml" in names and "mimetype" in names:
        return "odt"
    return "zip"


def extract(data: bytes, filename: str, limits: Limits | None = None, *, progress=None, depth: int = 0,
            inner: bool = False) -> Extraction:
    """Read a file. Raises :class:`ExtractError` (German message) for anything refused."""
    limits = limits or Limits()
    if not data:
        raise ExtractError(f"Die Datei „{filename[:120]}“ ist leer.")
    if len(data) > limits.max_bytes:
        raise ExtractError(f"Die Datei „{filename[:120]}“ ist {len(data) / 1024 / 1024:.1f} MB groß; erlaubt sind "
                           f"höchstens {limits.max_bytes / 1024 / 1024:.0f} MB.")
    kind = detect_format(data, filename)
    if kind == "pdf":
        from .pdf import extract_pdf

        return extract_pdf(data, limits, progress)
    if kind == "image":
        return extract_image(data, limits)
    if kind == "docx":
        return extract_docx(data, limits)
    if kind == "odt":
        return extract_odt(data, limits)
    if kind == "html":
        return extract_html(data, limits)
    if kind == "markdown":
        return extract_markdown(data, limits)
    if kind == "mail":
        from .mail import extract_mail

        return extract_mail(data, limits, extract, depth=depth)
    return extract_text(data, limits)


_MEDIA_TYPES = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "odt": "application/vnd.oasis.opendocument.text", "html": "text/html", "markdown": "text/markdown",
                "mail": "message/rfc822", "text": "text/plain"}


def precheck(data: bytes, filename: str, limits: Limits | None = None) -> str:
    """Cheap checks before a file is stored (size, format, PDF pages and encryption, image
    pixels, zip and XML bombs, text encoding); returns the media type or raises ExtractError."""
    limits = limits or Limits()
    if not data:
        raise ExtractError(f"Die Datei „{filename[:120]}“ ist leer.")
    if len(data) > limits.max_bytes:
        raise ExtractError(f"Die Datei „{filename[:120]}“ ist {len(data) / 1024 / 1024:.1f} MB groß; erlaubt sind "
                           f"höchstens {limits.max_bytes / 1024 / 1024:.0f} MB.")
    kind = detect_format(data, filename)
    if kind == "pdf":
        from .pdf import check_pdf

        check_pdf(data, limits)
    elif kind == "image":
        image = _open_image(data, limits)
        try:
            media_type = Image_MIME(image)
            image.verify()
        except (OSError, ValueError, SyntaxError):
            raise ExtractError("Die Bilddatei ist beschädigt oder kein unterstütztes Bildformat.") from None
        finally:
            image.close()
        return media_type
    elif kind == "docx":
        extract_docx(data, limits)
    elif kind == "odt":
        extract_odt(data, limits)
    elif kind in ("text", "markdown", "html"):
        from .markup import decode_text

        decode_text(data)
    return _MEDIA_TYPES.get(kind, "application/octet-stream")


def Image_MIME(image) -> str:  # noqa: N802
    from PIL import Image

    return Image.MIME.get(image.format or "", "image/*")


def _open_image(data: bytes, limits: Limits):
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))  # reads the header only
    except Image.DecompressionBombError:  # Pillow's own guard, from the header
        raise ExtractError(f"Das Bild hat zu viele Bildpunkte; verarbeitet werden höchstens "
                           f"{limits.max_pixels / 1_000_000:.0f} Millionen Bildpunkte. Bitte mit geringerer "
                           "Auflösung scannen.") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ExtractError("Die Bilddatei ist beschädigt oder kein unterstütztes Bildformat.") from None
    if image.width * image.height > limits.max_pixels:
        image.close()
        raise ExtractError(f"Das Bild hat {image.width} × {image.height} Bildpunkte; verarbeitet werden höchstens "
                           f"{limits.max_pixels / 1_000_000:.0f} Millionen Bildpunkte. Bitte mit geringerer Auflösung scannen.")
    return image


def extract_image(data: bytes, limits: Limits) -> Extraction:
    """A scanned page (or a multi-page TIFF) read by OCR."""
    from PIL import Image, ImageOps

    from .ocr import ocr_image

    image = _open_image(data, limits)
    result = Extraction(media_type=Image.MIME.get(image.format or "", "image/*"))
    try:
        frames = getattr(image, "n_frames", 1)
        if frames > limits.max_pages:
            raise ExtractError(f"Die Bilddatei hat {frames} Seiten; verarbeitet werden höchstens {limits.max_pages}.")
        for index in range(frames):
            image.seek(index)
            try:
                frame = ImageOps.exif_transpose(image.convert("L"))
            except (OSError, ValueError, Image.DecompressionBombError):
                raise ExtractError("Die Bilddatei ist beschädigt und kann nicht gelesen werden.") from None
            blocks, status = ocr_image(frame, limits)
            if status == "missing":
                result.ocr_missing = True
            elif status == "timeout":
                result.notes.append("Die Texterkennung hat zu lange gedauert und wurde abgebrochen.")
            result.ocr_used |= status != "missing"
            result.pages.append(Page(index + 1, blocks))
    finally:
        image.close()
    result.page_count = len(result.pages)
    return result


def strip_image_metadata(data: bytes, limits: Limits | None = None) -> bytes:
    """The image re-encoded without EXIF/GPS/device metadata (same pixels, same format, no resizing:
    OCR needs the full resolution). Non-images are returned unchanged."""
    from PIL import Image, ImageOps

    if not data.startswith(_IMAGE_MAGIC) and not (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return data
    image = _open_image(data, limits or Limits())
    try:
        fmt = image.format or "PNG"
        if getattr(image, "n_frames", 1) > 1:
            return _multi_frame_without_exif(image, limits or Limits()) if _has_metadata(image) else data
        clean = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        params = {"quality": 95} if fmt == "JPEG" else {}
        if fmt not in ("JPEG", "PNG", "TIFF", "GIF", "BMP", "WEBP"):
            fmt = "PNG"
        if fmt == "JPEG" and clean.mode not in ("RGB", "L", "CMYK"):
            clean = clean.convert("RGB")
        clean.save(out, fmt, **params)  # no exif= argument: metadata is dropped
        return out.getvalue()
    except ExtractError:
        raise
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ExtractError("Die Bilddatei ist beschädigt und kann nicht gelesen werden.") from None
    finally:
        image.close()


# Tags that say who, where, when or with what: description, camera make and model, software,
# date, artist, host computer, copyright, XMP, IPTC, Photoshop data, the EXIF and GPS sub-IFDs.
_PERSONAL_TAGS = frozenset({0x010E, 0x010F, 0x0110, 0x0131, 0x0132, 0x013B, 0x013C, 0x8298, 700, 33723, 34377,
                            0x8769, 0x8825})


def _has_metadata(image) -> bool:
    """Whether a multi-frame image carries EXIF or TIFF tags that may identify a person, device or place."""
    if image.info.get("exif") or image.info.get("xmp"):
        return True
    try:
        return bool(_PERSONAL_TAGS.intersection(image.getexif()))
    except Exception:  # unreadable tags: re-encode to be safe
        return True


def _multi_frame_without_exif(image, limits: Limits) -> bytes:
    """All frames re-encoded as TIFF without metadata. Pillow keeps every frame in memory to
    write them, so the frames together may hold at most twice the pixels of one page."""
    frames_count = image.n_frames
    if frames_count > limits.max_pages or frames_count * image.width * image.height > 2 * limits.max_pixels:
        raise ExtractError(f"Die mehrseitige Bilddatei mit Metadaten ist zu groß ({frames_count} Seiten zu "
                           f"{image.width} × {image.height} Bildpunkten). Bitte die Seiten als PDF hochladen.")
    out = io.BytesIO()
    frames = []
    for index in range(frames_count):
        image.seek(index)
        frames.append(image.copy())
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    return out.getvalue()


# --- one text with passages -----------------------------------------------------------------

PASSAGE_MAX = 1200
PASSAGE_MIN = 80
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÄÖÜ„\"(])")


@dataclass
class PassageSpec:
    key: str
    order: int
    page: int | None
    heading: str
    start: int
    end: int
    text: str
    quote: bool = False


@dataclass
class TextResult:
    text: str
    passages: list[PassageSpec] = field(default_factory=list)
    corrections: list[dict] = field(default_factory=list)


def _split_long(text: str) -> list[str]:
    if len(text) <= PASSAGE_MAX:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        if current and len(current) + 1 + len(sentence) > PASSAGE_MAX:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        pieces.append(current)
    out: list[str] = []
    for piece in pieces:  # a "sentence" longer than the maximum is cut at spaces
        while len(piece) > PASSAGE_MAX:
            cut = piece.rfind(" ", 0, PASSAGE_MAX)
            cut = cut if cut > PASSAGE_MAX // 2 else PASSAGE_MAX
            out.append(piece[:cut].rstrip())
            piece = piece[cut:].lstrip()
        if piece:
            out.append(piece)
    return out


def build_text(extraction: Extraction, max_chars: int | None = None) -> TextResult:
    """The version's text (blocks separated by blank lines) and its passages with page, heading and
    offsets such that ``text[p.start:p.end] == p.text``. Keys ``p<page>-<n>`` are stable for the same
    content (page 0 for formats without pages). OCR'd blocks get the safe confusion fixes; the words
    as read are kept in ``corrections``."""
    parts: list[str] = []
    length = 0
    result = TextResult(text="")
    heading = ""
    counters: dict[int, int] = {}
    order = 0
    pending: list[tuple[int, int | None]] = []  # short paragraphs waiting to be merged: (start, page)

    def add(chunk: str) -> int:
        nonlocal length
        if parts:
            parts.append("\n\n")
            length += 2
        start = length
        parts.append(chunk)
        length += len(chunk)
        return start

    def emit(start: int, end: int, page: int | None) -> None:
        nonlocal order
        number = page or 0
        counters[number] = counters.get(number, 0) + 1
        order += 1
        # the text is filled in once the whole text is joined
        result.passages.append(PassageSpec(f"p{number}-{counters[number]}", order, page, heading[:300], start, end, ""))

    for page in extraction.pages:
        for block in page.blocks:
            text = block.text
            if block.ocr:
                text, fixes = fix_ocr_confusions(text)
                result.corrections.extend({"page": page.number, "original": c.original, "corrected": c.corrected}
                                          for c in fixes)
            if block.heading:
                if pending:
                    emit(pending[0][0], length, pending[0][1])
                    pending.clear()
                heading = text
                add(text)
                continue
            for piece in _split_long(text):
                start = add(piece)
                pending.append((start, page.number, length))
                if length - pending[0][0] >= PASSAGE_MIN:
                    emit(pending[0][0], length, pending[0][1])
                    pending.clear()
            if max_chars and length > max_chars:
                raise ExtractError(f"Der Text des Dokuments ist länger als {max_chars:,} Zeichen und wird nicht verarbeitet."
                                   .replace(",", "."))
        if pending:
            emit(pending[0][0], pending[-1][2], pending[0][1])
            pending.clear()
    result.text = "".join(parts)
    for passage in result.passages:
        passage.text = result.text[passage.start:passage.end]
        passage.quote = is_quotation(passage.text)
    return result
