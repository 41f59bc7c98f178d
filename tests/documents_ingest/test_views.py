"""Pages: upload (plain multi-file form and JSON for the progress bars), list, viewer, original, accept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from krisenwissen.documents.models import Document, DocumentCitation, VersionStatus
from krisenwissen.knowledge.models import Observation

from .pdfmaker import make_pdf

PDF = make_pdf([["Lagebericht", "Das Einsatztagebuch wird im Krisenstab geführt."],
                ["Ergebnisse", "Die Hotline für Bürgerinnen und Bürger hat sich bewährt."]])


@pytest.fixture
def uploaded(client, contributor_a, city_a, django_capture_on_commit_callbacks):
    client.force_login(contributor_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:upload"), {
            "municipality": city_a.pk, "visibility": "intern", "kind": "dokument",
            "files": [SimpleUploadedFile("lage.pdf", PDF), SimpleUploadedFile("leer.txt", b"")]})
    assert response.status_code == 302
    return Document.objects.get()


def test_plain_form_uploads_several_files_and_reports_each(client, uploaded):
    page = client.get(reverse("documents:list"))
    text = page.content.decode()
    assert "lage" in text and "leer.txt" in text and "ist leer" in text
    assert uploaded.versions.get().status == VersionStatus.FERTIG


def test_json_upload_for_progress_bars(client, contributor_a, city_a):
    client.force_login(contributor_a)
    response = client.post(reverse("documents:upload"), {"municipality": city_a.pk, "files": [
        SimpleUploadedFile("a.pdf", b"kein pdf")]}, HTTP_ACCEPT="application/json")
    row = response.json()["results"][0]
    assert row["ok"] is False and "keine PDF-Datei" in row["message"]


def test_viewer_highlights_and_shows_pages(client, uploaded):
    page = client.get(reverse("documents:detail", args=[uploaded.pk]) + "?q=Einsatztagebuch")
    text = page.content.decode()
    assert "<mark>Einsatztagebuch</mark>" in text and "S. 2" in text


def test_original_download_and_passage_redirect(client, uploaded):
    version = uploaded.versions.get()
    response = client.get(reverse("documents:original", args=[version.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    passage = version.passages.get(key="p2-1")
    assert client.get(reverse("documents:passage", args=[passage.pk]))["Location"].endswith("#p2-1")


def test_redaktion_accepts_suggestion_into_observation_citing_the_page(client, uploaded, redaktion_a):
    passage = uploaded.versions.get().passages.get(key="p2-1")
    client.force_login(redaktion_a)
    response = client.post(reverse("documents:accept_passage", args=[passage.pk]),
                           {"kind": passage.suggestions["kind"], "text": passage.text})
    assert response.status_code == 302
    citation = DocumentCitation.objects.get()
    observation = Observation.objects.get()
    assert citation.observation == observation and citation.page == 2
    assert observation.kind == "gelingensfaktor" and observation.source.kind == "document"
    assert observation.source.title == uploaded.title


def test_contributor_may_not_accept(client, uploaded, contributor_a):
    passage = uploaded.versions.get().passages.first()
    response = client.post(reverse("documents:accept_passage", args=[passage.pk]), {"kind": "zitat", "text": "x"})
    assert response.status_code == 403
    assert not Observation.objects.exists()


def test_other_city_reader_sees_nothing(client, uploaded, editor_b):
    client.force_login(editor_b)
    assert client.get(reverse("documents:detail", args=[uploaded.pk])).status_code == 403
    version = uploaded.versions.get()
    assert client.get(reverse("documents:original", args=[version.pk])).status_code == 403


def test_navigation_entry_only_for_those_with_the_document_list(client, contributor_a, reader_a):
    # anonymous visitors have no document list; every member reads the documents they may read
    assert 'href="/dokumente/"' not in client.get("/suche/").content.decode()
    client.force_login(reader_a)
    assert 'href="/dokumente/"' in client.get("/suche/").content.decode()
    client.force_login(contributor_a)
    assert 'href="/dokumente/"' in client.get("/suche/").content.decode()


def test_upload_over_limit_refused_before_reading(client, contributor_a, city_a, settings):
    settings.KRISENWISSEN_DOCUMENTS_MAX_BYTES = 1000
    client.force_login(contributor_a)
    response = client.post(reverse("documents:upload"), {"municipality": city_a.pk, "files": [
        SimpleUploadedFile("gross.txt", b"x" * 5000)]}, HTTP_ACCEPT="application/json")
    row = response.json()["results"][0]
    assert row["ok"] is False and "erlaubt sind höchstens" in row["message"]
    assert not Document.objects.exists()
