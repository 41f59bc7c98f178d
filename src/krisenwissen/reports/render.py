"""Render a :class:`~krisenwissen.reports.document.Document` as PDF/UA-1 or DOCX.

PDF: Typst (the ``typst`` wheel ships the compiler and its fonts, so nothing is fetched at run
time). The document travels as JSON into one fixed template (``typst/report.typ``) that inserts
every text as a string; user text is therefore never interpreted as Typst markup. Typst
checks the PDF/UA-1 rules itself (title, language, tagged structure, alt texts) and refuses
to produce a file that breaks them.

DOCX: python-docx with Word's built-in heading styles (navigation pane, screen readers), a
repeated header row in tables, alt texts on pictures and the document language set.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import tempfile
import unicodedata
from pathlib import Path

from .document import (
    Beside,
    BulletList,
    Callout,
    Chart,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Quote,
    Run,
    Table,
    as_runs,
    image_format,
)

TEMPLATE = Path(__file__).with_name("typst") / "report.typ"


class ReportError(Exception):
    """A report could not be produced (message in German, for the user)."""


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


def render_pdf(document: Document) -> bytes:
    """Tagged PDF/UA-1 bytes for the document."""
    import typst

    with tempfile.TemporaryDirectory(prefix="krisenwissen-report-") as tmp:
        root = Path(tmp)
        payload = _typst_payload(document, root)
        payload = _map_strings(payload, _printable)
        _add_break_opportunities(payload)  # after _printable, which drops format characters like ZWSP
        _fill_empty_titles(payload)
        main = root / "report.typ"
        main.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        # PDF/UA forbids text without a glyph. Characters none of the built-in fonts has
        # (emoji, some scripts) are replaced one by one, as Typst names them.
        for _attempt in range(MAX_GLYPH_RETRIES):
            (root / "doc.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
            try:
                return typst.compile(str(main), root=str(root), pdf_standards=["ua-1"])
            except Exception as exc:  # typst raises its own error types with the diagnostics
                missing = _missing_glyph_text(str(exc))
                if not missing:
                    raise ReportError(f"Der PDF-Bericht konnte nicht erzeugt werden: {exc}") from exc
                payload = _map_strings(payload, lambda s, m=missing: s.replace(m, REPLACEMENT * len(m)))
        raise ReportError("Der PDF-Bericht enthält zu viele nicht darstellbare Zeichen.")


MAX_GLYPH_RETRIES = 25
REPLACEMENT = "?"
_MISSING_GLYPH = re.compile(r'the text `"(.*?)"` could not be displayed')
_TYPST_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]+)\}")


def _missing_glyph_text(message: str) -> str:
    match = _MISSING_GLYPH.search(message)
    if not match:
        return ""
    return _TYPST_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), match.group(1)).replace('\\"', '"')


def _fill_empty_titles(payload: dict) -> None:
    """PDF/UA needs a non-empty document title and non-empty headings."""
    if not payload["title"].strip():
        payload["title"] = "Bericht"
    for block in payload["blocks"]:
        if block["type"] == "heading" and not block["text"].strip():
            block["text"] = "–"


def _printable(text: str) -> str:
    """Text without control and private-use characters (newlines and tabs become spaces)."""
    return "".join(
        " " if ch in "\n\r\t" else ch
        for ch in text
        if ch in "\n\r\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs", "Cn")
    )


def _map_strings(value, function):
    """Apply ``function`` to every string inside a JSON-like value, except file names."""
    if isinstance(value, str):
        return function(value)
    if isinstance(value, list):
        return [_map_strings(v, function) for v in value]
    if isinstance(value, dict):
        return {k: (v if k in ("type", "path") else _map_strings(v, function)) for k, v in value.items()}
    return value


ZWSP = "\u200b"
LONG_WORD = re.compile(r"\w{40,}")
WORD_CHUNK = 24


def break_long_words(text: str) -> str:
    """Give words of 40 letters or more a break opportunity (zero-width space every 24 letters).

    Typst never breaks inside a word when hyphenation is off, so a long token (a compound with
    no hyphen, a reference without separators) in a narrow table cell would run over the
    neighbouring cell and off the page. Real legal words stay below that length (the longest in
    the shared federal texts: "Nukleinsäureamplifikationstechnik", 33 letters).
    """
    if len(text) < 40:
        return text
    return LONG_WORD.sub(lambda m: ZWSP.join(m.group(0)[i:i + WORD_CHUNK]
                                             for i in range(0, len(m.group(0)), WORD_CHUNK)), text)


def _runs_json(content) -> list[dict]:
    return [dataclasses.asdict(run) for run in as_runs(content)]


def _add_break_opportunities(payload: dict) -> None:
    """Long words in runs (paragraphs, lists, table cells) and table headers get break points."""
    def runs(items):
        for run in items:
            run["text"] = break_long_words(run["text"])

    for block in payload["blocks"]:
        if block["type"] in ("paragraph", "beside"):
            runs(block["runs"])
        elif block["type"] == "list":
            for item in block["items"]:
                runs(item)
        elif block["type"] == "table":
            block["header"] = [break_long_words(h) for h in block["header"]]
            for row in block["rows"]:
                for cell in row:
                    runs(cell)


def _typst_payload(document: Document, root: Path) -> dict:
    blocks = []
    for number, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            blocks.append({"type": "heading", "level": block.level, "text": block.text})
        elif isinstance(block, Paragraph):
            blocks.append({"type": "paragraph", "runs": _runs_json(block)})
        elif isinstance(block, BulletList):
            blocks.append({"type": "list", "ordered": block.ordered, "items": [_runs_json(i) for i in block.items]})
        elif isinstance(block, Table):
            blocks.append({
                "type": "table", "caption": block.caption, "header": list(block.header),
                "widths": [float(w) for w in block.widths] if block.widths else None,
                "rows": [[_runs_json(cell) for cell in row] for row in block.rows],
            })
        elif isinstance(block, Image):
            name = f"image-{number}.{image_format(block.data)}"
            (root / name).write_bytes(block.data)
            blocks.append({"type": "image", "path": name, "alt": block.alt, "caption": block.caption, "width_mm": block.width_mm})
        elif isinstance(block, Chart):
            from .charts import spec_to_svg

            name = f"chart-{number}.svg"
            (root / name).write_text(spec_to_svg(block.spec), encoding="utf-8")
            blocks.append({"type": "image", "path": name, "alt": block.alt, "caption": block.caption, "width_mm": block.width_mm})
        elif isinstance(block, Quote):
            blocks.append({"type": "quote", "text": block.text, "attribution": block.attribution})
        elif isinstance(block, Callout):
            blocks.append({"type": "callout", "text": block.text, "title": block.title, "items": list(block.items)})
        elif isinstance(block, Beside):
            blocks.append({"type": "beside", "runs": _runs_json(block.paragraph),
                           "quotes": [{"text": q.text, "attribution": q.attribution} for q in block.quotes]})
        elif isinstance(block, PageBreak):
            blocks.append({"type": "pagebreak"})
        else:  # pragma: no cover - a programming error, not user input
            raise TypeError(f"Unknown report block: {block!r}")
    english = document.lang.startswith("en")
    return {
        "title": document.title,
        "subtitle": document.subtitle,
        "author": document.author,
        "lang": document.lang,
        "keywords": list(document.keywords),
        "date": [document.date.year, document.date.month, document.date.day] if document.date else None,
        "footer": document.title,
        "print_title": document.print_title,
        "page_label": "Page" if english else "Seite",
        "of_label": "of" if english else "von",
        "blocks": blocks,
    }


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------


def render_docx(document: Document) -> bytes:
    """DOCX bytes for the document (editable in Word/LibreOffice)."""
    import docx
    from docx.shared import Mm, Pt

    out = docx.Document()
    _set_language(out, "de-DE" if document.lang == "de" else document.lang)
    props = out.core_properties
    props.title = document.title
    props.author = document.author
    props.subject = document.subtitle
    props.keywords = ", ".join(document.keywords)
    props.language = document.lang
    out.styles["Normal"].font.size = Pt(10.5)

    if document.print_title:
        out.add_heading(document.title, level=0)
    if document.subtitle and document.print_title:
        out.add_paragraph(document.subtitle, style="Subtitle")
    for block in document.blocks:
        if isinstance(block, Heading):
            out.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            _add_runs(out.add_paragraph(), block.runs)
        elif isinstance(block, BulletList):
            style = "List Number" if block.ordered else "List Bullet"
            for item in block.items:
                _add_runs(out.add_paragraph(style=style), as_runs(item))
        elif isinstance(block, Table):
            if block.caption:
                out.add_paragraph(block.caption, style="Caption")
            table = out.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(text).bold = True
            _mark_header_row(table.rows[0])
            if block.widths:
                _set_column_widths(table, block.widths)
            for row in block.rows:
                cells = table.add_row().cells
                for cell, content in zip(cells, row, strict=True):
                    _add_runs(cell.paragraphs[0], as_runs(content))
        elif isinstance(block, Image | Chart):
            data = block.data if isinstance(block, Image) else _chart_png(block.spec)
            width = Mm(block.width_mm) if block.width_mm else Mm(160)
            out.add_picture(io.BytesIO(data), width=width)
            _set_alt_text(out.inline_shapes[-1], block.alt)
            if isinstance(block, Chart):
                _add_svg_blip(out, out.inline_shapes[-1], block.spec)
            if block.caption:
                out.add_paragraph(block.caption, style="Caption")
        elif isinstance(block, Quote):
            paragraph = out.add_paragraph(style="Quote")
            paragraph.add_run(block.text)
            if block.attribution:
                paragraph.add_run(f" — {block.attribution}")
        elif isinstance(block, Callout):
            paragraph = out.add_paragraph(style="Intense Quote")
            if block.title:
                paragraph.add_run(block.title + (": " if block.text else "")).bold = True
            paragraph.add_run(block.text)
            for item in block.items:
                _add_runs(out.add_paragraph(style="List Bullet"), [Run(item)])
        elif isinstance(block, Beside):
            # A Word frame is anchored to the paragraph that follows it: the quotes come first
            # in the file and float to the right of their paragraph.
            for quote in block.quotes:
                _add_framed_quote(out, quote)
            _add_runs(out.add_paragraph(), block.paragraph.runs)
        elif isinstance(block, PageBreak):
            out.add_page_break()
        else:  # pragma: no cover
            raise TypeError(f"Unknown report block: {block!r}")
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _add_runs(paragraph, runs: list[Run]) -> None:
    for run in runs:
        r = paragraph.add_run(run.text)
        r.bold = run.bold or None
        r.italic = run.italic or None
        if run.strike:
            r.font.strike = True
        if run.underline:
            r.underline = True


def _mark_header_row(row) -> None:
    """Repeat the header row on every page and mark it as header for assistive technology."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _set_column_widths(table, widths: list[float], total_mm: float = 160) -> None:
    """Relative column widths (Word reads the cell widths, LibreOffice the grid)."""
    from docx.shared import Mm

    table.autofit = False
    scale = total_mm / sum(widths)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width * scale)
        for cell in column.cells:
            cell.width = Mm(width * scale)


def _set_alt_text(shape, alt: str) -> None:
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt)
    doc_pr.set("title", alt[:250])


def _set_language(out, lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = out.styles.element.find(qn("w:docDefaults"))
    rpr = rpr.find(qn("w:rPrDefault")).find(qn("w:rPr")) if rpr is not None else None
    if rpr is None:
        return
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), lang)


def _chart_png(spec: dict) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(spec, scale=3, format_locale="de-DE", time_format_locale="de-DE")


# Office 2016+ reads the SVG picture; older readers and LibreOffice show the PNG beside it.
SVG_BLIP_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def _add_svg_blip(out, shape, spec: dict) -> None:
    """Embed the chart's SVG (vector) next to its PNG fallback (``asvg:svgBlip``)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from .charts import spec_to_svg

    part = out.part
    existing = {str(p.partname) for p in part.package.iter_parts()}
    number = 1
    while f"/word/media/chart{number}.svg" in existing:
        number += 1
    svg_part = Part(PackURI(f"/word/media/chart{number}.svg"), "image/svg+xml",
                    spec_to_svg(spec).encode("utf-8"), part.package)
    rel_id = part.relate_to(svg_part, RT.IMAGE)
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
    ext_list = OxmlElement("a:extLst")
    ext = OxmlElement("a:ext")
    ext.set("uri", SVG_BLIP_EXT)
    svg_blip = ext.makeelement(f"{{{SVG_NS}}}svgBlip", nsmap={"asvg": SVG_NS})
    svg_blip.set(qn("r:embed"), rel_id)
    ext.append(svg_blip)
    ext_list.append(ext)
    blip.append(ext_list)


def _add_framed_quote(out, quote: Quote) -> None:
    """A quote as a call-out floating on the right beside the paragraph after it (a Word
    frame, anchored to the next paragraph, which wraps around it), shaded, with a left rule."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = out.add_paragraph(style="Quote")
    p_pr = paragraph._p.get_or_add_pPr()
    frame = OxmlElement("w:framePr")
    for key, value in (("w", "3000"), ("hSpace", "240"), ("vSpace", "120"), ("wrap", "around"), ("vAnchor", "text"),
                       ("hAnchor", "margin"), ("xAlign", "right"), ("y", "1")):
        frame.set(qn(f"w:{key}"), value)
    p_pr.insert(0, frame)
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "6"), ("color", "0B5394")):
        left.set(qn(f"w:{key}"), value)
    borders.append(left)
    p_pr.append(borders)
    shading = OxmlElement("w:shd")
    for key, value in (("val", "clear"), ("color", "auto"), ("fill", "F2F2F2")):
        shading.set(qn(f"w:{key}"), value)
    p_pr.append(shading)
    run = paragraph.add_run(f"„{quote.text}“")
    run.font.size = Pt(9.5)
    if quote.attribution:
        paragraph.add_run(f" — {quote.attribution}").font.size = Pt(8.5)
