"""HTML, Markdown and plain text in any common encoding (no Django imports)."""

from __future__ import annotations

import re

from .base import Block, ExtractError, Extraction, Limits, Page
from .repair import join_lines

_BLOCK_TAGS = {"p", "div", "li", "td", "th", "pre", "blockquote", "section", "article", "dd", "dt", "figcaption",
               "caption", "address", "tr"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head")


def decode_text(data: bytes) -> str:
    """Bytes as text: UTF-8 (with or without BOM) first, else the encoding charset-normalizer finds."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is None or best.encoding is None:
        raise ExtractError("Die Zeichenkodierung der Textdatei wurde nicht erkannt. Bitte als UTF-8 speichern.")
    return data.decode(best.encoding, errors="replace")


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")) if p.strip()]


def extract_text(data: bytes, limits: Limits) -> Extraction:
    text = decode_text(data)
    if "\x00" in text:
        raise ExtractError("Die Datei enthält Binärdaten und ist keine Textdatei.")
    pages = text.split("\f")  # form feeds separate pages (e.g. pdftotext output)
    result = Extraction(media_type="text/plain")
    for number, chunk in enumerate(pages, start=1):
        blocks = [Block(join_lines(p)) for p in _paragraphs(chunk)]
        result.pages.append(Page(number if len(pages) > 1 else None, [b for b in blocks if b.text]))
    if len(pages) > 1:
        result.page_count = len(pages)
    return result


# Every pattern here runs over text of any shape a user uploads, so none may backtrack more than
# linearly: no lazy or nested quantifier followed by one that can match the same characters
# (tests/documents_ingest/test_markup_linear.py times them on hostile input).
_MD_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(\S.*)$")
_TABLE_RULE_CHARS = frozenset("|:- \t")


def _heading_text(line: str) -> str | None:
    """The text of an ATX heading line ("## Titel ##" → "Titel"), None for other lines."""
    match = _MD_HEADING.match(line)
    if not match:
        return None
    text = " ".join(match.group(2).split())
    closed = text.rstrip("#")
    if closed != text and (not closed or closed[-1] in " \t"):
        text = closed.rstrip()
    return text or None


def _is_table_rule(line: str) -> bool:
    """A Markdown table's delimiter row ("| --- | :---: |")."""
    stripped = line.strip()
    return bool(stripped) and "---" in stripped and set(stripped) <= _TABLE_RULE_CHARS


def _without_toc(text: str) -> str:
    """The text without kramdown tables of contents (``<details> … {:toc} … </details>``)."""
    if "{:toc}" not in text:
        return text
    pieces: list[str] = []
    position = 0
    while True:
        start = text.find("<details", position)
        if start < 0:
            break
        end = text.find("</details>", start)
        if end < 0:
            break
        end += len("</details>")
        pieces.append(text[position:start])
        if "{:toc}" not in text[start:end]:
            pieces.append(text[start:end])
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def _md_inline(text: str) -> str:
    # The character classes exclude the opening character too, so a run of "<", "[" or "{:"
    # without its closing partner costs linear time, not quadratic.
    text = re.sub(r"<[^<>\n]{1,200}>", "", text)  # inline HTML
    text = re.sub(r"!?\[([^\[\]]*)\]\([^()]*\)", r"\1", text)  # links and images keep their text
    text = re.sub(r"\{:[^{}]*\}", "", text)  # kramdown attributes
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = text.replace("&#58;", ":").replace("&nbsp;", " ").replace("&#9658;", "►")
    return text


def extract_markdown(data: bytes, limits: Limits) -> Extraction:
    text = decode_text(data).replace("\r\n", "\n")
    result = Extraction(media_type="text/markdown")
    match = _FRONT_MATTER.match(text)
    if match:
        title = re.search(r"^title:\s*(.+)$", match.group(1), re.MULTILINE)
        if title:
            result.title = _md_inline(title.group(1).strip().strip("\"'"))
        text = text[match.end():]
    # a kramdown table of contents ("<details> … 1. TOC {:toc} … </details>") is navigation, not text
    text = _without_toc(text)
    page = Page(None)
    result.pages.append(page)
    for paragraph in _paragraphs(text):
        lines = paragraph.split("\n")
        rest: list[str] = []
        for line in lines:
            heading = _heading_text(line)
            if heading is not None:
                if rest:
                    page.blocks.append(Block(join_lines(_md_inline("\n".join(rest)))))
                    rest = []
                page.blocks.append(Block(_md_inline(heading).strip(), heading=True))
            elif _is_table_rule(line) or line.strip() in ("1. TOC", "{:toc}"):
                continue
            else:
                rest.append(line)
        if rest:
            body = join_lines(_md_inline("\n".join(rest)))
            if body and not re.fullmatch(r"[\s|*#:_=-]*", body):
                page.blocks.append(Block(body))
    page.blocks = [b for b in page.blocks if b.text]
    return result


def extract_html(data: bytes, limits: Limits) -> Extraction:
    import lxml.html
    from lxml import etree

    # control characters are not allowed in XML/HTML trees (lxml refuses them)
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", " ", decode_text(data))
    result = Extraction(media_type="text/html")
    page = Page(None)
    result.pages.append(page)
    if not text.strip():
        return result
    try:
        parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return result
    title = root.find(".//title")
    if title is not None and title.text_content():
        result.title = " ".join(title.text_content().split())[:300]
    parts: list[str] = []

    def flush(heading: bool = False) -> None:
        block = join_lines("".join(parts))
        parts.clear()
        if block:
            page.blocks.append(Block(block, heading=heading))

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _DROP:
            return
        if tag in _HEADINGS:
            flush()
            parts.append(node.text_content())
            flush(heading=True)
            return
        if tag in _BLOCK_TAGS:
            flush()
        if tag == "br":
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCK_TAGS:
            flush()

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return result
