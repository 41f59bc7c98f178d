"""The bad-file corpus: each file refused (or handled) with a clear German message, nothing stored half,
the upload page keeps answering."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from krisenwissen.documents.ingest_actions import do_upload_document
from krisenwissen.documents.models import Document, DocumentVersion, Passage, VersionStatus

from . import badfiles

HERE = Path(__file__).parent / "badfiles"

REFUSED = [
    ("verschluesselt.pdf", badfiles.encrypted_pdf, "verschlüsselt"),
    ("abgeschnitten.pdf", badfiles.truncated_pdf, "beschädigt oder unvollständig"),
    ("million.pdf", badfiles.million_pages_pdf, "1000000 Seiten; verarbeitet werden höchstens"),
    ("bombe.docx", badfiles.docx_zip_bomb, "entpackt"),
    ("lachen.docx", badfiles.docx_billion_laughs, "XML-Entitäten"),
    ("lachen.odt", badfiles.odt_billion_laughs, "XML-Entitäten"),
    ("riesig.png", badfiles.huge_image, "zu viele Bildpunkte"),
    ("falsche-endung.pdf", lambda: (HERE / "falsche-endung.pdf").read_bytes(), "ist aber keine PDF-Datei"),
    ("leer.txt", lambda: (HERE / "leer.txt").read_bytes(), "ist leer"),
]


def _nothing_stored(media):
    assert not Document.objects.exists() and not DocumentVersion.objects.exists() and not Passage.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.parametrize(("name", "make", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_file_refused_with_german_message(name, make, message, contributor_a, city_a, media):
    with pytest.raises(ValidationError) as refused:
        do_upload_document(municipality=city_a, data=make(), filename=name, acting_user=contributor_a)
    assert message in " ".join(refused.value.messages)
    _nothing_stored(media)


def test_upload_over_size_limit_refused(settings, contributor_a, city_a, media):
    settings.KRISENWISSEN_DOCUMENTS_MAX_BYTES = 100_000
    with pytest.raises(ValidationError, match="erlaubt sind höchstens 0 MB|erlaubt sind höchstens"):
        do_upload_document(municipality=city_a, data=badfiles.oversized_text(100_000), filename="gross.txt",
                           acting_user=contributor_a)
    _nothing_stored(media)


def test_non_utf8_text_is_read_in_its_encoding(upload, contributor_a, city_a):
    result = upload(municipality=city_a, data=(HERE / "nicht-utf8.txt").read_bytes(), filename="nicht-utf8.txt",
                    acting_user=contributor_a)
    assert result.version.status == VersionStatus.FERTIG
    assert "Maßnahmen für Bürgerinnen" in result.version.text and "Ärzte" in result.version.text


def test_upload_page_stays_up_and_reports_every_bad_file(client, contributor_a, city_a, media):
    client.force_login(contributor_a)
    files = [SimpleUploadedFile(name, make()) for name, make, _message in REFUSED]
    response = client.post(reverse("documents:upload"), {"municipality": city_a.pk, "files": files},
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["ok"] for r in results] == [False] * len(REFUSED)
    for row, (_name, _make, message) in zip(results, REFUSED, strict=True):
        assert message in row["message"]
    _nothing_stored(media)
    assert client.get(reverse("documents:list")).status_code == 200
