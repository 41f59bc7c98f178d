"""PDF text with pages, headings and the reading order of two-column layouts (pypdfium2).

pypdfium2 (Google's PDFium) was chosen because it reads text layers faster than pdfminer and
pypdf and in the same range as poppler's ``pdftotext`` (see ``make bench-ingest``), in-process
and without a subprocess per file. Pages without a text layer are rendered and read by OCR.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

from .base import Block, ExtractError, Extraction, Limits, Page
from .ocr import ocr_image
from .repair import join_lines

Progress = Callable[[int, int], None] | None


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == 4:  # FPDF_ERR_PASSWORD
            raise ExtractError("Die PDF-Datei ist verschlüsselt (mit Kennwort geschützt) und kann nicht gelesen "
                               "werden. Bitte eine ungeschützte Fassung hochladen.") from None
        raise ExtractError("Die PDF-Datei ist beschädigt oder unvollständig und kann nicht gelesen werden.") from None


def _segments(textpage) -> list[tuple[float, float, float, float, str]]:
    """The page's lines in PDFium's text order with their boxes (from the first and last
    character: two lookups per line, so reading the text layer stays fast)."""
    text = textpage.get_text_range().replace("\ufffe", "\u00ad")
    count = textpage.count_chars()
    out = []
    pos = 0
    for raw in text.split("\r\n"):
        start, pos = pos, pos + len(raw) + 2
        stripped = raw.strip()
        if not stripped:
            continue
        first = start + (len(raw) - len(raw.lstrip()))
        last = start + len(raw.rstrip()) - 1
        try:
            if last >= count:
                raise IndexError
            a = textpage.get_charbox(first, loose=True)
            b = textpage.get_charbox(last, loose=True)
            box = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
        except Exception:  # index drift (surrogates): keep the text, position unknown
            box = (0.0, 0.0, 0.0, 0.0)
        out.append((*box, stripped))
    return out


def _lines(segments) -> list[tuple]:
    return sorted(segments, key=lambda s: (-s[3], s[0]))


def reading_order(segments, width: float) -> list[list[tuple]]:
    """Text regions in reading order: a two-column page (many segments entirely in the left and
    entirely in the right half, few across the middle) is read left column first, then right;
    full-width lines above the columns come first, those below them last."""
    if not segments:
        return []
    middle = width / 2
    left = [s for s in segments if s[2] <= middle + width * 0.02]
    right = [s for s in segments if s[0] >= middle - width * 0.02]
    across = [s for s in segments if s not in left and s not in right]
    two_columns = (len(left) >= 6 and len(right) >= 6 and len(across) <= 0.25 * len(segments)
                   and min(len(left), len(right)) >= 0.2 * len(segments))
    if not two_columns:
        return [list(segments)]  # PDFium's order
    column_top = max(s[3] for s in left + right)
    column_bottom = min(s[1] for s in left + right)
    above = [s for s in across if s[1] >= column_top - 1]
    below = [s for s in across if s not in above]
    regions = [_lines(above), _lines(left), _lines(right)]
    if below:
        regions.append(_lines(below))
    del column_bottom
    return [r for r in regions if r]


def _blocks(regions) -> list[Block]:
    heights = [line[3] - line[1] for region in regions for line in region]
    if not heights:
        return []
    body = statistics.median_low(heights)
    blocks: list[Block] = []
    for region in regions:
        paragraph: list[str] = []
        previous = None

        def flush(paragraph=paragraph):
            if paragraph:
                text = join_lines("\n".join(paragraph))
                if text:
                    blocks.append(Block(text))
                paragraph.clear()

        for line in region:
            height = line[3] - line[1]
            text = line[4].strip()
            is_heading = height > body * 1.3 and len(text) <= 160 and not text.endswith((".", ","))
            if is_heading:
                flush()
                if blocks and blocks[-1].heading and previous is not None and previous[1] - line[3] < height:
                    blocks[-1].text += " " + text  # a heading over two lines
                else:
                    blocks.append(Block(text, heading=True))
                previous = line
                continue
            if previous is not None and (previous[1] - line[3]) > max(body * 0.9, 2):
                flush()
            paragraph.append(text)
            previous = line
        flush()
    return blocks


def check_pdf(data: bytes, limits: Limits) -> int:
    """Open the PDF and check its page count (and that it is not encrypted); the page count."""
    pdf = _open(data)
    try:
        count = len(pdf)
        if count > limits.max_pages:
            raise ExtractError(f"Die PDF-Datei hat {count} Seiten; verarbeitet werden höchstens {limits.max_pages} Seiten.")
        if count == 0:
            raise ExtractError("Die PDF-Datei enthält keine Seiten (beschädigt oder unvollständig).")
        try:
            pdf[0].close()
        except Exception:
            raise ExtractError("Die PDF-Datei ist beschädigt oder unvollständig und kann nicht gelesen werden.") from None
        return count
    finally:
        pdf.close()


def extract_pdf(data: bytes, limits: Limits, progress: Progress = None) -> Extraction:
    pdf = _open(data)
    try:
        try:
            count = len(pdf)
        except Exception:
            raise ExtractError("Die PDF-Datei ist beschädigt (Seitenzahl nicht lesbar).") from None
        if count > limits.max_pages:
            raise ExtractError(f"Die PDF-Datei hat {count} Seiten; verarbeitet werden höchstens {limits.max_pages} Seiten.")
        if count == 0:
            raise ExtractError("Die PDF-Datei enthält keine Seiten.")
        result = Extraction(media_type="application/pdf", page_count=count)
        try:
            result.title = (pdf.get_metadata_dict().get("Title") or "").strip()
        except Exception:
            result.title = ""
        for index in range(count):
            try:
                page = pdf[index]
            except Exception:
                raise ExtractError(f"Seite {index + 1} der PDF-Datei ist beschädigt.") from None
            try:
                width = page.get_width()
                textpage = page.get_textpage()
                try:
                    blocks = _blocks(reading_order(_segments(textpage), width))
                finally:
                    textpage.close()
                if not blocks and _has_images(page):
                    blocks = _ocr_page(page, limits, result)
            finally:
                page.close()
            result.pages.append(Page(index + 1, blocks))
            if progress:
                progress(index + 1, count)
        return result
    finally:
        pdf.close()


def _has_images(page) -> bool:
    import pypdfium2.raw as pdfium_c

    try:
        return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    except Exception:
        return True


def _ocr_page(page, limits: Limits, result: Extraction) -> list[Block]:
    """A page without a text layer: rendered at 300 dpi (bounded in pixels) and read by OCR."""
    scale = 300 / 72
    width, height = page.get_size()
    if width * height * scale * scale > limits.max_pixels:
        scale = (limits.max_pixels / max(width * height, 1)) ** 0.5
    if scale < 0.5:
        result.notes.append("Eine Seite ist zu groß für die Texterkennung und wurde übersprungen.")
        return []
    image = page.render(scale=scale, grayscale=True).to_pil()
    text, status = ocr_image(image, limits)
    if status == "missing":
        result.ocr_missing = True
        return []
    result.ocr_used = True
    if status == "timeout":
        result.notes.append("Die Texterkennung einer Seite hat zu lange gedauert und wurde abgebrochen.")
        return []
    return text
