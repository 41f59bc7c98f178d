"""The pure extraction core: formats, repairs, passages with page and offsets."""

import io
import os
import zipfile

import pytest

from krisenwissen.documents.extract import ExtractError, Limits, build_text, extract
from krisenwissen.documents.extract.base import Block, Extraction, Page
from krisenwissen.documents.extract.pdf import reading_order
from krisenwissen.documents.extract.repair import dehyphenate, fix_ocr_confusions, is_quotation

from .pdfmaker import make_pdf


def test_pdf_keeps_pages_headings_and_offsets():
    data = make_pdf([["Lagebericht", "Das Einsatztagebuch wird im Krisenstab geführt und täglich geprüft."],
                     ["Ergebnisse", "Die Kommunikation mit der Bevölkerung gelang über die Hotline."]])
    result = build_text(extract(data, "bericht.pdf"))
    assert [p.page for p in result.passages] == [1, 2]
    assert result.passages[0].key == "p1-1" and result.passages[1].key == "p2-1"
    assert result.passages[0].heading == "Lagebericht"
    assert "Einsatztagebuch" in result.passages[0].text
    for passage in result.passages:
        assert result.text[passage.start:passage.end] == passage.text


def test_two_column_reading_order_left_column_first():
    left = [(50, 700 - 20 * i, 280, 712 - 20 * i, f"links {i}") for i in range(8)]
    right = [(320, 700 - 20 * i, 550, 712 - 20 * i, f"rechts {i}") for i in range(8)]
    interleaved = [s for pair in zip(left, right, strict=True) for s in pair]  # line by line across columns
    regions = reading_order(interleaved, 600)
    flat = [line[4] for region in regions for line in region]
    assert flat == [f"links {i}" for i in range(8)] + [f"rechts {i}" for i in range(8)]


def test_hyphenation_repaired_but_compound_hyphen_kept():
    assert dehyphenate("Ein-\nsatzleitung") == "Einsatzleitung"
    assert dehyphenate("Corona-\nVerordnung") == "Corona-Verordnung"


def test_ocr_confusions_fixed_only_to_known_words_and_original_kept():
    text, fixes = fix_ocr_confusions("Masken fiir die Bevolkerung, Fiir Fiktion xyzfiir")
    assert text == "Masken für die Bevölkerung, Für Fiktion xyzfiir"
    assert {(c.original, c.corrected) for c in fixes} == {("fiir", "für"), ("Bevolkerung", "Bevölkerung"), ("Fiir", "Für")}
    assert build_text(Extraction("image/png", [Page(1, [Block("Hilfe fiir alle", ocr=True)])])).corrections == [
        {"page": 1, "original": "fiir", "corrected": "für"}]


def test_quotations_detected():
    assert is_quotation("„Wir hatten keine Masken.“")
    assert is_quotation("B2: Wir hatten keine Masken.")
    assert not is_quotation("Der Krisenstab tagte täglich.")


def test_docx_headings_and_page_breaks():
    body = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Auswertung</w:t></w:r></w:p>'
            '<w:p><w:r><w:t>Der Krisenstab tagte täglich.</w:t></w:r></w:p>'
            '<w:p><w:r><w:br w:type="page"/><w:t>Zweite Seite mit Text.</w:t></w:r></w:p>'
            '</w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", body)
    result = build_text(extract(out.getvalue(), "a.docx"))
    assert [(p.page, p.heading, p.text) for p in result.passages] == [
        (1, "Auswertung", "Der Krisenstab tagte täglich."), (2, "Auswertung", "Zweite Seite mit Text.")]


def test_html_strips_scripts_and_keeps_headings():
    html = b"<html><head><title>T</title><script>alert(1)</script></head><body><h2>Lage</h2><p>Text <b>fett</b></p>" \
           b"<script>evil()</script></body></html>"
    extraction = extract(html, "x.html")
    result = build_text(extraction)
    assert "alert" not in result.text and "evil" not in result.text
    assert result.passages[0].heading == "Lage" and result.passages[0].text == "Text fett"


def test_latin1_text_and_markdown_front_matter():
    result = build_text(extract("Maßnahmen für Bürger".encode("latin-1"), "alt.txt"))
    assert result.text == "Maßnahmen für Bürger"
    md = extract(b"---\ntitle: Kapitel&#58; Lage\n---\n# Kopf\n\nAbsatz **eins**.\n", "k.md")
    assert md.title == "Kapitel: Lage"
    assert build_text(md).passages[0].text == "Absatz eins."


def test_eml_with_attachment():
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "Lagebericht"
    message["From"] = "stab@example.org"
    message.set_content("Bitte beachten Sie den Anhang.")
    message.add_attachment(b"Anhangtext zum Einsatztagebuch.", maintype="text", subtype="plain", filename="anhang.txt")
    extraction = extract(message.as_bytes(), "mail.eml")
    text = build_text(extraction).text
    assert extraction.title == "Lagebericht"
    assert "Bitte beachten" in text and "Anhang: anhang.txt" in text and "Einsatztagebuch" in text


def test_limits_refuse_with_german_message():
    with pytest.raises(ExtractError, match="höchstens"):
        extract(b"x" * 2000, "a.txt", Limits(max_bytes=1000))
    with pytest.raises(ExtractError, match="leer"):
        extract(b"", "a.txt")


def _scanned_pdf(tmp_path) -> bytes:
    """A PDF without a text layer: a page rendered to pixels and wrapped as an image PDF (a "scan")."""
    import pypdfium2
    from PIL import Image

    source = make_pdf([["Protokoll", "Das Einsatztagebuch wurde im Krisenstab geführt."]])
    image = pypdfium2.PdfDocument(source)[0].render(scale=200 / 72, grayscale=True).to_pil()
    out = io.BytesIO()
    Image.Image.save(image.convert("L"), out, "PDF", resolution=200)
    return out.getvalue()


def test_scanned_pdf_is_read_by_ocr(tmp_path):
    from krisenwissen.documents.extract.ocr import ocr_available

    if not ocr_available("deu"):
        # Justified skip on a workstation without tesseract-ocr-deu; under CI=true it fails.
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true: tesseract-ocr-deu muss installiert sein")
        pytest.skip("tesseract-ocr-deu fehlt")
    extraction = extract(_scanned_pdf(tmp_path), "scan.pdf")
    assert extraction.ocr_used and not extraction.ocr_missing
    result = build_text(extraction)
    assert "Einsatztagebuch" in result.text and result.passages[0].page == 1


def test_scanned_pdf_without_tesseract_says_so(tmp_path, monkeypatch):
    from krisenwissen.documents.extract import ocr

    monkeypatch.setattr(ocr, "tesseract_languages", lambda: frozenset())
    extraction = extract(_scanned_pdf(tmp_path), "scan.pdf")
    assert extraction.ocr_missing and not build_text(extraction).passages


def test_two_column_pdf_drawn_right_column_first_is_read_left_first():
    from .pdfmaker import make_positioned_pdf

    left = [(60, 700 - 14 * i, 10, f"Links Zeile {i} der ersten Spalte") for i in range(10)]
    right = [(330, 700 - 14 * i, 10, f"Rechts Zeile {i} der zweiten Spalte") for i in range(10)]
    title = [(60, 750, 18, "Zweispaltiger Bericht")]
    text = build_text(extract(make_positioned_pdf(title + right + left), "spalten.pdf")).text
    assert text.index("Zweispaltiger Bericht") < text.index("Links Zeile 0") < text.index("Links Zeile 9") \
        < text.index("Rechts Zeile 0") < text.index("Rechts Zeile 9")


def test_eml_attachments_are_bounded_in_number_and_depth():
    from email.message import EmailMessage

    def mail(subject, attachments=0, inner=None):
        message = EmailMessage()
        message["Subject"] = subject
        message.set_content(f"Text von {subject}.")
        for number in range(attachments):
            message.add_attachment(f"Anhang {number}".encode(), maintype="text", subtype="plain",
                                   filename=f"a{number}.txt")
        if inner is not None:
            message.add_attachment(inner, maintype="application", subtype="octet-stream", filename="weiter.eml")
        return message.as_bytes()

    many = extract(mail("Viele", attachments=25), "viele.eml", Limits(max_attachments=20))
    assert any("Weitere Anhänge" in note for note in many.notes)
    assert "Anhang 19" in build_text(many).text and "Anhang 20" not in build_text(many).text
    deep = mail("Ebene0", inner=mail("Ebene1", inner=mail("Ebene2", inner=mail("Ebene3"))))
    text = build_text(extract(deep, "tief.eml", Limits(max_attachment_depth=2))).text
    assert "Text von Ebene2" in text and "Text von Ebene3" not in text


def _tiff(frames, size, tags=None, **save):
    import io

    from PIL import Image

    images = [Image.new("L", size) for _ in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "TIFF", save_all=True, append_images=images[1:], **({"tiffinfo": tags} if tags else {}), **save)
    return out.getvalue()


def test_multi_page_tiff_loses_camera_tags_and_keeps_its_pages():
    import io

    from PIL import Image

    from krisenwissen.documents.extract import strip_image_metadata

    tags = Image.Exif()
    tags[0x010F], tags[0x0110] = "Kamerahersteller", "Modell X"
    cleaned = Image.open(io.BytesIO(strip_image_metadata(_tiff(3, (60, 40), tags))))
    assert cleaned.n_frames == 3 and cleaned.size == (60, 40)
    assert 0x0110 not in cleaned.getexif() and 0x010F not in cleaned.getexif()
    plain = _tiff(3, (60, 40))
    assert strip_image_metadata(plain) == plain  # nothing to remove: stored as uploaded


def test_a_huge_multi_page_tiff_with_tags_is_refused_before_it_is_decoded():
    from PIL import Image

    from krisenwissen.documents.extract import ExtractError, Limits, strip_image_metadata

    tags = Image.Exif()
    tags[0x0110] = "Modell X"
    data = _tiff(10, (400, 400), tags, compression="tiff_deflate")
    with pytest.raises(ExtractError, match="10 Seiten zu 400 × 400 Bildpunkten"):
        strip_image_metadata(data, Limits(max_pixels=500_000))
