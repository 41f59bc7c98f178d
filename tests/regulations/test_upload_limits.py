"""Upload limits of legal texts: zip bombs in DOCX, oversized texts, PDF page limits (issue 11, defect 5)."""

from __future__ import annotations

import datetime
import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from krisenwissen.core.policy import SYSTEM
from krisenwissen.regulations import actions
from krisenwissen.regulations.extract import extract_text
from krisenwissen.regulations.legaltext import LegalTextError

PARAGRAPH = (b"<w:p><w:r><w:t>(1) Versammlungen unter freiem Himmel sind der zust\xc3\xa4ndigen Beh\xc3\xb6rde "
             b"sp\xc3\xa4testens 48 Stunden vor ihrer Bekanntgabe anzuzeigen.</w:t></w:r></w:p>")


def small_docx() -> bytes:
    from docx import Document

    word = Document()
    word.add_heading("§ 1 – Zweck", level=2)
    word.add_paragraph("(1) Diese Verordnung regelt den Schutz vor Infektionen im Land.")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def docx_bomb(xml_bytes: int) -> bytes:
    """A real DOCX whose document.xml is replaced by ``xml_bytes`` of valid paragraphs (streamed, little memory)."""
    source = zipfile.ZipFile(io.BytesIO(small_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info))
                continue
            original = source.read(info)
            head, _sep, _tail = original.partition(b"<w:body>")
            with target.open("word/document.xml", "w", force_zip64=True) as handle:
                handle.write(head + b"<w:body>")
                block = PARAGRAPH * 4096
                written = 0
                while written < xml_bytes:
                    handle.write(block)
                    written += len(block)
                handle.write(b"</w:body></w:document>")
    return out.getvalue()


@pytest.fixture
def law(db):
    legal_text = actions.do_create_legal_text(title="Testverordnung", abbreviation="TestV", acting_user=SYSTEM)
    return legal_text


def test_docx_zip_bomb_is_refused_quickly_and_nothing_is_stored(client, law, editor_b):
    bomb = docx_bomb(48 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024  # a small file ...
    client.force_login(editor_b)
    upload = io.BytesIO(bomb)
    upload.name = "fassung.docx"
    started = time.monotonic()
    response = client.post(reverse("regulations:version_add", kwargs={"slug": law.slug}),
                           {"file": upload, "in_force_from": "2021-03-01"})
    elapsed = time.monotonic() - started
    body = response.content.decode()
    assert response.status_code == 200, body[:500]
    assert "entpackt" in body
    assert law.versions.count() == 0
    assert elapsed < 3, elapsed


def test_docx_with_lying_sizes_is_refused_while_reading():
    """The central directory claims a small document.xml; the data expands to much more."""
    good = zipfile.ZipFile(io.BytesIO(small_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in good.infolist():
            data = good.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + PARAGRAPH * 200_000)
            target.writestr(info.filename, data)
    raw = bytearray(out.getvalue())
    # patch the declared uncompressed size of document.xml (local header and central directory) to 1 KB
    archive = zipfile.ZipFile(io.BytesIO(bytes(raw)))
    info = archive.getinfo("word/document.xml")
    real = info.file_size
    assert real > 20 * 1024 * 1024
    needle = real.to_bytes(4, "little")
    count = bytes(raw).count(needle)
    assert count >= 2
    raw = bytes(raw).replace(needle, (1024).to_bytes(4, "little"))
    with pytest.raises(LegalTextError) as caught:
        extract_text(raw, "fassung.docx")
    assert "DOCX" in str(caught.value) or "Archiv" in str(caught.value)


def test_many_members_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for n in range(20_000):
            archive.writestr(f"word/x{n}.xml", b"")
    with pytest.raises(LegalTextError, match="Dateien"):
        extract_text(out.getvalue(), "fassung.docx")


def test_normal_docx_still_works():
    assert "Infektionen" in extract_text(small_docx(), "v.docx")


def test_overlong_text_is_refused_pasted_and_uploaded(law):
    text = "# § 1 Zweck\n\n" + ("Die Behörde kann Auflagen erteilen. " * 150_000)
    assert len(text) > 5_000_000
    with pytest.raises(ValidationError, match="zu lang"):
        actions.do_add_version(law, text=text, in_force_from=datetime.date(2021, 1, 1), acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="zu lang"):
        actions.text_from_upload(text.encode(), "fassung.txt")
    assert law.versions.count() == 0


def test_pdf_with_too_many_pages_is_refused():
    import pikepdf

    pdf = pikepdf.new()
    for _ in range(3001):
        pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    with pytest.raises(LegalTextError, match="Seiten"):
        extract_text(out.getvalue(), "dick.pdf")
