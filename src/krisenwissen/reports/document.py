"""A small, format-neutral document model for reports (pure: no Django imports).

Apps build a :class:`Document` from their data; :mod:`krisenwissen.reports.render` turns it
into a tagged PDF/UA-1 (Typst) or a DOCX (python-docx). Keeping the model neutral means a
protocol, a Lagebericht and a Synopse share one accessible layout, and a test can check the
content of a report without parsing a PDF.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """A piece of inline text with its emphasis. Strike/underline carry meaning in redlines."""

    text: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    underline: bool = False


Inline = str | list[Run]


def as_runs(content: Inline | Paragraph) -> list[Run]:
    """Normalise inline content (plain text, runs or a paragraph) to a list of runs."""
    if isinstance(content, Paragraph):
        return list(content.runs)
    if isinstance(content, str):
        return [Run(content)]
    return list(content)


@dataclass
class Heading:
    text: str
    level: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.level <= 4:
            raise ValueError("Überschriftenebene muss zwischen 1 und 4 liegen.")


@dataclass
class Paragraph:
    runs: list[Run]

    def __init__(self, content: Inline) -> None:
        self.runs = as_runs(content)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class BulletList:
    items: list[Inline | Paragraph]
    ordered: bool = False


@dataclass
class Table:
    """A table with one header row; cells are plain text or paragraphs (with runs).

    ``widths`` (optional) gives the relative width of each column, e.g. ``[1, 3, 3]`` for a
    narrow label column beside two text columns; without it the renderer sizes the columns.
    Rendered tables break across pages and repeat the header row on each page.
    """

    header: list[str]
    rows: list[list[Inline | Paragraph]]
    caption: str = ""
    widths: list[float] | None = None

    def __post_init__(self) -> None:
        width = len(self.header)
        if width == 0:
            raise ValueError("Eine Tabelle braucht mindestens eine Spalte.")
        if self.widths is not None and (len(self.widths) != width or any(w <= 0 for w in self.widths)):
            raise ValueError(f"Eine Tabelle mit {width} Spalten braucht {width} positive Spaltenbreiten.")
        for number, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(f"Tabellenzeile {number} hat {len(row)} statt {width} Zellen.")


@dataclass
class Image:
    """A raster image (PNG or JPEG bytes). ``alt`` is required: it is the text alternative."""

    data: bytes
    alt: str
    caption: str = ""
    width_mm: float | None = None

    def __post_init__(self) -> None:
        if not self.alt.strip():
            raise ValueError("Ein Bild braucht einen Alternativtext.")
        if image_format(self.data) is None:
            raise ValueError("Nur PNG- und JPEG-Bilder können in Berichte übernommen werden.")


@dataclass
class Chart:
    """A Vega-Lite chart specification; rendered as vector graphic (PDF) or PNG (DOCX)."""

    spec: dict
    alt: str
    caption: str = ""
    width_mm: float | None = None

    def __post_init__(self) -> None:
        if not self.alt.strip():
            raise ValueError("Ein Diagramm braucht einen Alternativtext.")


@dataclass
class Quote:
    text: str
    attribution: str = ""


@dataclass
class Callout:
    """A highlighted box (a finding, a notice, an anonymous quote set apart); ``items`` are
    listed inside the box (e.g. the guiding questions of a workshop)."""

    text: str
    title: str = ""
    items: list[str] = field(default_factory=list)


@dataclass
class Beside:
    """A paragraph with call-outs (quotes) set beside it: a narrow column on the right in the
    PDF (reading order: paragraph, then quotes), a Word frame floating right in DOCX (anchored
    to the paragraph that follows it, so it comes first in the file)."""

    paragraph: Paragraph
    quotes: list[Quote]


@dataclass
class PageBreak:
    pass


Block = Heading | Paragraph | BulletList | Table | Image | Chart | Quote | Callout | Beside | PageBreak


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    subtitle: str = ""
    author: str = "krisenwissen"
    lang: str = "de"
    date: datetime.date | None = None
    keywords: list[str] = field(default_factory=list)
    # False when the blocks carry their own level-1 heading as the visible title (the title
    # stays the document's metadata title).
    print_title: bool = True

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValueError("Ein Bericht braucht einen Titel.")

    def plain_text(self) -> str:
        """All text of the document, one block per line (for tests and search)."""
        lines = [self.title, self.subtitle]
        for block in self.blocks:
            lines.extend(_block_text(block))
        return "\n".join(line for line in lines if line)


def _block_text(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [block.text]
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, BulletList):
        return ["".join(r.text for r in as_runs(item)) for item in block.items]
    if isinstance(block, Table):
        cells = [" | ".join(block.header)]
        cells += [" | ".join("".join(r.text for r in as_runs(c)) for c in row) for row in block.rows]
        return [block.caption, *cells]
    if isinstance(block, Image | Chart):
        return [block.caption or block.alt]
    if isinstance(block, Quote):
        return [block.text, block.attribution]
    if isinstance(block, Callout):
        return [block.title, block.text, *block.items]
    if isinstance(block, Beside):
        return [block.paragraph.text, *(line for q in block.quotes for line in (q.text, q.attribution))]
    return []


def image_format(data: bytes) -> str | None:
    """``"png"`` or ``"jpg"`` from the file signature, else ``None``."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    return None
