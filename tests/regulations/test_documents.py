"""Synopse documents (PDF/UA and DOCX) never lose text.

Checked with tools a user has: ``pdftotext`` (poppler-utils) reads the PDF as a reader would
copy it, python-docx reads the DOCX. The largest IfSG pair (2022-03-22 → 2022-09-28: 32 changed
units, about 53,000 characters of changed text, § 28b rewritten) must keep every word of every
changed unit, and a synthetic § whose list spans many pages must keep every row, in reading
order, with nothing printed over the footer.
"""

from __future__ import annotations

import collections
import io
import re
from pathlib import Path

import pytest

from krisenwissen.regulations.compare import UNCHANGED, compare, segments
from krisenwissen.regulations.export import build_document
from krisenwissen.regulations.legaltext import parse
from krisenwissen.reports.render import render_docx, render_pdf
from tests import pdftools

LARGEST_IFSG_PAIR = ("2022-03-22.md", "2022-09-28.md")
BOTTOM_MARGIN_PT = 2.4 / 2.54 * 72  # report.typ: margin bottom 2.4cm, the footer lives there
WORD = re.compile(r"\w+")


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """Text of the PDF in content order (``pdftotext -raw``)."""
    return pdftools.text(data)


def pdf_words(data: bytes, tmp_path: Path) -> list[dict]:
    """Word boxes per page (``pdftotext -bbox``)."""
    return pdftools.pages(data)


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def words(text: str) -> collections.Counter:
    return collections.Counter(WORD.findall(text))


def missing_words(expected: collections.Counter, actual_text: str) -> dict[str, int]:
    """Words the document has fewer times than the expected texts (old and new column together)."""
    actual = words(actual_text)
    return {w: n - actual[w] for w, n in expected.items() if actual[w] < n}


def changed_text(comparison, *, full: bool) -> collections.Counter:
    """Every word of every changed unit as the Synopse must show it, old and new side.

    ``full``: the whole old and new text of each changed unit (heading and every passage);
    otherwise the changed passages (old and new text of each changed segment) and the heading.
    Built from the parsed units, not from the export code under test.
    """
    expected: collections.Counter = collections.Counter()
    for change in comparison.changes:
        one_sided = change.old is None or change.new is None  # inserted or repealed
        for unit in (change.old, change.new):
            if unit is not None and (full or one_sided):
                expected += words(unit.display)
                expected += words(" ".join(seg.text for seg in segments(unit.blocks)))
        if full or one_sided:
            continue
        if change.title_changed:
            expected += words(change.old.title) + words(change.new.title)
        for seg in change.segments:
            if seg.status != UNCHANGED:
                expected += words(seg.old_text) + words(seg.new_text)
        if not change.segments and not change.title_changed:
            expected += words(change.old.body_text) + words(change.new.body_text)
    return expected


def _ifsg_pair(folder: Path, old_name: str, new_name: str):
    old, new = (parse((folder / name).read_text(encoding="utf-8"), name=name) for name in (old_name, new_name))
    return compare(old, new)


@pytest.fixture(scope="module")
def largest_pair(shared_data):
    return _ifsg_pair(shared_data / "laws" / "IfSG", *LARGEST_IFSG_PAIR)


def test_largest_ifsg_pair_is_the_one_with_most_changed_text(shared_data, largest_pair):
    folder = shared_data / "laws" / "IfSG"
    names = sorted(path.name for path in folder.glob("*.md"))
    pairs = list(zip(names, names[1:], strict=False))
    sizes = {pair: sum(changed_text(_ifsg_pair(folder, *pair), full=False).values()) for pair in pairs}
    assert max(sizes, key=sizes.get) == LARGEST_IFSG_PAIR
    assert len(largest_pair.changes) >= 30 and sizes[LARGEST_IFSG_PAIR] > 5_000


@pytest.mark.parametrize("full", [False, True], ids=["changes", "full"])
def test_pdf_and_docx_of_the_largest_ifsg_pair_keep_every_word(largest_pair, tmp_path, full):
    document = build_document(largest_pair, title="Synopse IfSG", old_name="Fassung ab 22.03.2022",
                              new_name="Fassung ab 28.09.2022", full=full)
    expected = changed_text(largest_pair, full=full)
    pdf = render_pdf(document)
    lost = missing_words(expected, pdf_text(pdf, tmp_path))
    assert not lost, f"PDF verliert {sum(lost.values())} Wörter, z. B. {sorted(lost.items())[:20]}"
    lost = missing_words(expected, docx_text(render_docx(document)))
    assert not lost, f"DOCX verliert {sum(lost.values())} Wörter, z. B. {sorted(lost.items())[:20]}"
    assert_nothing_over_the_footer(pdf, tmp_path, title="Synopse IfSG")


# ---------------------------------------------------------------------------- a § longer than a page

ROWS = 180


def _long_version(extra: str) -> str:
    items = "\n\n".join(f"{n}. Zeile{n:03d} regelt den Fall Nummer{n:03d} {extra}." for n in range(1, ROWS + 1))
    long_absatz = " ".join(f"Satz{n:03d} dieses sehr langen Absatzes ist ein Satz." for n in range(1, 400))
    return f"""% Testverordnung  (Testverordnung - TestV)

# § 1 – Anwendungsbereich

Diese Verordnung gilt für Testfälle.

# § 2 – Liste der Fälle

(1) Es gelten folgende Fälle:

{items}

(2) {long_absatz} {extra}
"""


def _assert_in_reading_order(text: str, markers: list[str]) -> None:
    positions = []
    for marker in markers:
        found = [m.start() for m in re.finditer(rf"\b{marker}\b", text)]
        assert found, f"{marker} fehlt im PDF-Text"
        positions.append(found)
    # Each marker occurs in the old and the new column; the first occurrences must be in order.
    firsts = [p[0] for p in positions]
    assert firsts == sorted(firsts), "Zeilen stehen im PDF-Text nicht in Lesereihenfolge"


def assert_nothing_over_the_footer(pdf: bytes, tmp_path: Path, *, title: str) -> None:
    pages = pdf_words(pdf, tmp_path)
    total = len(pages)
    for page in pages:
        limit = page["height"] - BOTTOM_MARGIN_PT
        footer = [w for w in page["words"] if w[2] >= limit]
        body = [w for w in page["words"] if w[2] < limit]
        expected_footer = f"{title} Seite {page['page']} von {total}".split()
        assert [w[0] for w in footer] == expected_footer, (
            f"Seite {page['page']}: Text im Fußbereich: {[w[0] for w in footer][:30]}")
        top_of_footer = min(w[2] for w in footer)
        crossing = [w for w in body if w[4] > top_of_footer or w[4] > page["height"]]
        assert not crossing, f"Seite {page['page']}: Text ragt in die Fußzeile: {crossing[:10]}"


def test_a_paragraph_longer_than_several_pages_keeps_every_row_in_order(tmp_path):
    comparison = compare(parse(_long_version("alt")), parse(_long_version("neu")))
    document = build_document(comparison, title="Synopse TestV", old_name="alt", new_name="neu")
    pdf = render_pdf(document)
    text = pdf_text(pdf, tmp_path)
    lost = missing_words(changed_text(comparison, full=False), text)
    assert not lost, f"PDF verliert {sum(lost.values())} Wörter, z. B. {sorted(lost.items())[:20]}"
    _assert_in_reading_order(text, [f"Zeile{n:03d}" for n in range(1, ROWS + 1)])
    _assert_in_reading_order(text, [f"Satz{n:03d}" for n in range(1, 400)])
    pages = pdf_words(pdf, tmp_path)
    assert len(pages) >= 5
    # The header row of the Synopse table is repeated on the pages the table continues on.
    repeated = sum(1 for p in pages if "Bisherige" in [w[0] for w in p["words"]])
    assert repeated >= len(pages) - 1
    assert_nothing_over_the_footer(pdf, tmp_path, title="Synopse TestV")
    lost = missing_words(changed_text(comparison, full=False), docx_text(render_docx(document)))
    assert not lost


def test_legal_text_in_table_cells_is_left_aligned(tmp_path):
    old = "% Kurzverordnung  (Kurzverordnung - KurzV)\n\n# § 1 – Fälle\n\n(1) Es gelten:\n\n" + "\n\n".join(
        f"{n}. {'kurz ' * n}Fall{n} alt." for n in range(1, 7))
    comparison = compare(parse(old), parse(old.replace(" alt.", " neu.")))
    pdf = render_pdf(build_document(comparison, title="Synopse KurzV", old_name="alt", new_name="neu"))
    boxes = [w for page in pdf_words(pdf, tmp_path) for w in page["words"]]
    # Item markers ("3.") start their cells: left-aligned, they share one x per column.
    starts = collections.Counter(round(w[1]) for w in boxes if re.fullmatch(r"[1-6]\.", w[0]))
    assert sum(starts.values()) == 12 and len(starts) == 2, f"Zeilenanfänge nicht bündig: {starts}"


def test_paragraph_sign_and_number_keep_their_space(tmp_path):
    comparison = compare(parse(_long_version("alt")), parse(_long_version("neu")))
    text = pdf_text(render_pdf(build_document(comparison, title="Synopse TestV", old_name="alt", new_name="neu")),
                    tmp_path)
    assert "§ 2 – Liste der Fälle" in text
    assert "§2" not in text
