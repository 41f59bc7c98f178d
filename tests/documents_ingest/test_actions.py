"""Upload, duplicates, versions, the extraction job and its atomicity."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krisenwissen.documents.models import Document, DocumentVersion, Passage, VersionStatus

from .pdfmaker import make_pdf

PDF = make_pdf([["Lagebericht", "Das Einsatztagebuch wird im Krisenstab geführt."],
                ["Ergebnisse", "Die Hotline für Bürgerinnen und Bürger hat sich bewährt."]])


def test_upload_extracts_passages_with_pages(upload, contributor_a, city_a):
    result = upload(municipality=city_a, data=PDF, filename="lage.pdf", acting_user=contributor_a)
    version = result.version
    assert version.status == VersionStatus.FERTIG and version.progress == 100 and version.page_count == 2
    passages = list(version.passages.order_by("order"))
    assert [(p.key, p.page) for p in passages] == [("p1-1", 1), ("p2-1", 2)]
    assert all(version.text[p.start:p.end] == p.text for p in passages)
    assert passages[1].suggestions["kind"] == "gelingensfaktor"
    assert {d["key"] for d in passages[0].suggestions["departments"]} == {"krisenstab"}


def test_same_content_is_recognised_as_duplicate(upload, contributor_a, city_a):
    first = upload(municipality=city_a, data=PDF, filename="lage.pdf", acting_user=contributor_a)
    again = upload(municipality=city_a, data=PDF, filename="kopie.pdf", acting_user=contributor_a)
    assert again.duplicate and again.document == first.document
    assert "bereits vorhanden" in again.message
    assert DocumentVersion.objects.count() == 1


def test_changed_reupload_becomes_new_version(upload, contributor_a, city_a):
    first = upload(municipality=city_a, data=PDF, filename="lage.pdf", acting_user=contributor_a)
    changed = make_pdf([["Lagebericht", "Neue Fassung des Einsatztagebuchs."]])
    second = upload(municipality=city_a, data=changed, filename="lage-v2.pdf", acting_user=contributor_a,
                    document=first.document)
    assert second.new_version and second.version.number == 2 and second.document == first.document
    assert Document.objects.count() == 1


def test_reader_may_not_upload(upload, reader_a, city_a):
    with pytest.raises(PermissionDenied):
        upload(municipality=city_a, data=PDF, filename="lage.pdf", acting_user=reader_a)


def test_refused_file_stores_nothing(upload, contributor_a, city_a, media):
    with pytest.raises(ValidationError, match="keine PDF-Datei"):
        upload(municipality=city_a, data=b"hello", filename="lage.pdf", acting_user=contributor_a)
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_failing_extraction_leaves_no_passages(upload, contributor_a, city_a, monkeypatch):
    from krisenwissen.documents import ingest_actions

    def broken(*args, **kwargs):
        raise RuntimeError("reader bug")

    monkeypatch.setattr(ingest_actions, "build_text", broken)
    result = upload(municipality=city_a, data=PDF, filename="lage.pdf", acting_user=contributor_a)
    assert result.version.status == VersionStatus.FEHLER and "nicht verarbeitet" in result.version.error
    assert not Passage.objects.exists()


def test_missing_ocr_keeps_the_file(upload, contributor_a, city_a, monkeypatch):
    from PIL import Image

    from krisenwissen.documents.extract import ocr

    monkeypatch.setattr(ocr, "tesseract_languages", lambda: frozenset())
    import io

    buffer = io.BytesIO()
    Image.new("L", (200, 100), 255).save(buffer, "PNG")
    result = upload(municipality=city_a, data=buffer.getvalue(), filename="scan.png", acting_user=contributor_a)
    assert result.version.status == VersionStatus.OCR_FEHLT
    assert "tesseract-ocr-deu" in result.version.error
    assert result.version.file.size > 0


def test_image_exif_is_stripped(upload, contributor_a, city_a):
    import io

    from PIL import Image

    image = Image.new("RGB", (120, 80), "white")
    exif = Image.Exif()
    exif[0x010F] = "GeheimKamera"  # Make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    assert b"GeheimKamera" in buffer.getvalue()
    result = upload(municipality=city_a, data=buffer.getvalue(), filename="foto.jpg", acting_user=contributor_a)
    with result.version.file.open("rb") as handle:
        assert b"GeheimKamera" not in handle.read()
