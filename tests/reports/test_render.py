"""Reports: tagged PDF/UA-1 and DOCX from the neutral document model."""

from __future__ import annotations

import datetime
import io
import zipfile

import pikepdf
import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from krisenwissen.reports.charts import chart_svg
from krisenwissen.reports.document import (
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
)
from krisenwissen.reports.render import render_docx, render_pdf
from tests import pdftools

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"Tag": "2021-04-20", "Inzidenz": 150.2}, {"Tag": "2021-04-21", "Inzidenz": 170.1}]},
    "mark": "line",
    "encoding": {"x": {"field": "Tag", "type": "temporal"}, "y": {"field": "Inzidenz", "type": "quantitative"}},
}


def png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 40), (10, 80, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def sample() -> Document:
    return Document(
        title="Ergebnisprotokoll Reflexionsraum",
        subtitle="Essen, März 2023",
        date=datetime.date(2023, 3, 15),
        keywords=["Reflexionsraum"],
        blocks=[
            Heading("Deskriptive Phase"),
            Paragraph([Run("Die Lage war "), Run("unübersichtlich", strike=True), Run("dynamisch", underline=True)]),
            BulletList(["Krisenstab tagte täglich", Paragraph("Bürgertelefon überlastet")], ordered=True),
            Table(["Stadt", "Karten"], [["Essen", "12"], ["Köln", Paragraph([Run("9", bold=True)])]], caption="Karten je Stadt"),
            Image(png(), alt="Foto der Pinnwand", caption="Pinnwand"),
            Chart(SPEC, alt="Verlauf der Inzidenz", caption="Inzidenz"),
            Quote("Wir waren froh über jede Routine.", "anonym"),
            Callout("Personalreserve früh planen.", title="Erkenntnis"),
            PageBreak(),
            Heading("Anhang", level=2),
        ],
    )


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_pdf_is_tagged_pdf_ua_with_title_and_language():
    data = render_pdf(sample())
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "de"
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "Ergebnisprotokoll Reflexionsraum"
        assert meta["pdfuaid:part"] == "1"
        # The document title is shown instead of the file name (PDF/UA 7.1).
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True


def test_pdf_contains_all_text_and_page_numbers():
    text = pdf_text(render_pdf(sample()))
    for expected in ("Deskriptive Phase", "unübersichtlich", "dynamisch", "Bürgertelefon überlastet",
                     "Karten je Stadt", "Köln", "Pinnwand", "Wir waren froh über jede Routine.",
                     "Personalreserve früh planen.", "Anhang", "Seite 1 von 2"):
        assert expected in text


def test_user_text_is_never_interpreted_as_typst_markup():
    hostile = '#panic("x") *fett* $x$ <label> @ref = Kopf [a] \\ "quote" // Kommentar'
    document = Document(title=hostile, blocks=[Paragraph(hostile), Table([hostile], [[hostile]]), Quote(hostile, hostile)])
    text = pdf_text(render_pdf(document))
    assert "#panic(\"x\")" in text and "*fett*" in text and "// Kommentar" in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=80).filter(lambda s: s.strip()))
def test_any_text_renders(text):
    render_pdf(Document(title=text, blocks=[Heading(text), Paragraph(text), BulletList([text])]))


def test_docx_has_headings_header_rows_alt_texts_and_language():
    import docx

    data = render_docx(sample())
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.title == "Ergebnisprotokoll Reflexionsraum"
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Deskriptive Phase") in styles and ("Heading 2", "Anhang") in styles
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Stadt", "Karten"]
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "w:tblHeader" in xml
    assert 'descr="Foto der Pinnwand"' in xml and 'descr="Verlauf der Inzidenz"' in xml
    assert "<w:strike/>" in xml and 'w:u w:val="single"' in xml
    styles_xml = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert 'w:val="de-DE"' in styles_xml


def test_bad_blocks_are_refused_with_german_messages():
    with pytest.raises(ValueError, match="Alternativtext"):
        Image(png(), alt=" ")
    with pytest.raises(ValueError, match="PNG- und JPEG"):
        Image(b"GIF89a....", alt="x")
    with pytest.raises(ValueError, match="Tabellenzeile 1 hat 1 statt 2 Zellen"):
        Table(["a", "b"], [["nur eine"]])
    with pytest.raises(ValueError, match="Titel"):
        Document(title="")


def test_chart_svg_is_one_labelled_image():
    svg = chart_svg(SPEC, title="Inzidenz <Essen>", description="Von 150 auf 170")
    opening = svg[: svg.index(">") + 1]
    assert 'role="img"' in opening and "aria-labelledby" in opening
    assert "<title" in svg and "Inzidenz &lt;Essen&gt;" in svg and "Von 150 auf 170" in svg
    assert svg.count('role="') == 1  # inner Vega roles removed
    assert "<script" not in svg and "style=" not in svg


def test_long_captioned_table_breaks_across_pages_and_keeps_every_row():
    rows = [[f"R{n:03d}", Paragraph(f"Zeilentext{n:03d} " + "Wort " * 30)] for n in range(1, 151)]
    data = render_pdf(Document(title="Lange Tabelle", blocks=[Table(["Nr.", "Text"], rows, caption="Alle Zeilen",
                                                                    widths=[1, 4])]))
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 4
    text = pdf_text(data)
    positions = [text.find(f"Zeilentext{n:03d}") for n in range(1, 151)]
    assert -1 not in positions and positions == sorted(positions)
    # The header row repeats on every page the table continues on.
    assert all("Nr." in page.extract_text() for page in reader.pages)


def test_table_widths_must_fit_the_columns():
    with pytest.raises(ValueError, match="2 positive Spaltenbreiten"):
        Table(["a", "b"], [["x", "y"]], widths=[1])
    with pytest.raises(ValueError, match="positive"):
        Table(["a", "b"], [["x", "y"]], widths=[1, 0])
    data = render_docx(Document(title="T", blocks=[Table(["a", "b"], [["x", "y"]], widths=[1, 3])]))
    assert b"w:tcW" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def test_overlong_word_in_a_table_cell_stays_inside_its_cell():
    word = "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnungsänderungsgesetzesbegründung"
    data = render_pdf(Document(title="T", blocks=[Table(["A", "B", "C"], [["x", word, "Nachbarzelle"]], widths=[1, 3, 3]),
                                                  Paragraph(word * 2)]))
    page = pdftools.pages(data)[0]
    boxes = page["words"]
    neighbour = next(w for w in boxes if w[0] == "Nachbarzelle")
    pieces = [w for w in boxes if w[0] and w[0].strip("\u200b") and w[0].strip("\u200b") in word]
    assert pieces and all(w[3] < page["width"] for w in boxes)
    assert all(w[3] <= neighbour[1] for w in pieces if abs(w[2] - neighbour[2]) < 1), "Wort läuft in die Nachbarzelle"
    text = pdftools.text(data).replace("\u200b\n", "").replace("\u200b", "")
    assert word in text and "Nachbarzelle" in text
