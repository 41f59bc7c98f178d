"""An observation taken from a passage shows the document and the page it cites, linked to the passage."""

import pytest
from django.urls import reverse

from tests.documents_ingest.pdfmaker import make_pdf


@pytest.mark.django_db(transaction=True)
def test_observation_page_names_document_and_page(client, redaktion_a, city_a, django_capture_on_commit_callbacks):
    from krisenwissen.documents.ingest_actions import do_upload_document
    from krisenwissen.documents.ingest_review import do_create_observation_from_passage

    data = make_pdf([["Lagebericht", "Vorwort."], ["Ergebnisse", "Die Hotline hat sich bewährt."]])
    with django_capture_on_commit_callbacks(execute=True):
        result = do_upload_document(municipality=city_a, data=data, filename="lagebericht.pdf", acting_user=redaktion_a)
    passage = result.document.passages.get(text__contains="Hotline")
    assert passage.page == 2
    citation = do_create_observation_from_passage(passage, kind="erfahrung", text=passage.text, code_ids=[],
                                                  acting_user=redaktion_a)
    client.force_login(redaktion_a)
    body = client.get(citation.observation.get_absolute_url()).content.decode()
    assert "lagebericht" in body
    assert f'<a href="{reverse("documents:passage", args=[passage.pk])}">S. 2</a>' in body
