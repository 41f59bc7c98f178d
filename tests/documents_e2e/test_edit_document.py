"""Changing a document's visibility and metadata (``do_update_document``, the edit page): permission,
audit, the search index follows at once; the coding filters by phase and department work."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from krisenwissen.core.audit import AuditEntry
from krisenwissen.documents.ingest_actions import do_update_document
from krisenwissen.search.selectors import search
from tests import factories as f

TEXT = "Protokoll\n\nDas Einsatztagebuch wurde im Krisenstab lückenlos geführt.\n"


def _passage_hits(user, text="Einsatztagebuch"):
    return [h for h in search(user, text).hits if h.kind == "passage"]


@pytest.mark.django_db(transaction=True)
def test_narrowing_visibility_takes_passages_out_of_partner_search_and_is_audited(
        ingested, redaktion_a, member_b, django_capture_on_commit_callbacks):
    document = ingested(TEXT, visibility="netzwerk")
    assert len(_passage_hits(member_b)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        do_update_document(document, visibility="intern", acting_user=redaktion_a)
    assert _passage_hits(member_b) == []
    assert len(_passage_hits(redaktion_a)) == 1
    entry = AuditEntry.objects.filter(action="documents.document_updated").get()
    assert entry.details["felder"] == ["visibility"] and entry.details["sichtbarkeit"] == "intern"
    # and back: widening makes them findable again
    with django_capture_on_commit_callbacks(execute=True):
        do_update_document(document, visibility="netzwerk", acting_user=redaktion_a)
    assert len(_passage_hits(member_b)) == 1


@pytest.mark.django_db(transaction=True)
def test_only_the_documents_redaktion_may_change_it(ingested, contributor_a, editor_b):
    document = ingested(TEXT, visibility="netzwerk")
    for user in (contributor_a, editor_b):
        with pytest.raises(PermissionDenied):
            do_update_document(document, visibility="oeffentlich", acting_user=user)
    document.refresh_from_db()
    assert document.visibility == "netzwerk"
    assert not AuditEntry.objects.filter(action="documents.document_updated").exists()


@pytest.mark.django_db(transaction=True)
def test_edit_page_sets_phase_and_department_and_bad_input_changes_nothing(client, ingested, redaktion_a):
    phase = f.PhaseFactory()
    document = ingested(TEXT)
    client.force_login(redaktion_a)
    edit = reverse("documents:edit", args=[document.pk])
    page = client.get(edit)
    assert page.status_code == 200 and "Krisenphase" in page.content.decode()
    bad = client.post(edit, {"title": "Protokoll", "visibility": "geheim", "kind": "dokument"})
    assert bad.status_code == 400
    document.refresh_from_db()
    assert document.visibility == "netzwerk"
    response = client.post(edit, {"title": "Protokoll 16.03.", "visibility": "intern", "kind": "dokument",
                                  "phase": phase.pk, "department_function": "gesundheitsamt"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.visibility, document.phase, document.department_function) == (
        "Protokoll 16.03.", "intern", phase, "gesundheitsamt")
    assert reverse("documents:edit", args=[document.pk]) in client.get(document.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_upload_page_sets_phase_and_department(client, redaktion_a, city_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from krisenwissen.documents.models import Document

    phase = f.PhaseFactory()
    client.force_login(redaktion_a)
    response = client.post(reverse("documents:upload"), {
        "municipality": city_a.pk, "visibility": "intern", "kind": "dokument", "phase": phase.pk,
        "department_function": "gesundheitsamt", "files": [SimpleUploadedFile("notiz.txt", TEXT.encode())]})
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.phase == phase and document.department_function == "gesundheitsamt"
    bad = client.post(reverse("documents:upload"), {
        "municipality": city_a.pk, "phase": "999999", "files": [SimpleUploadedFile("n2.txt", b"anders")]})
    assert bad.status_code == 400 and Document.objects.count() == 1


@pytest.mark.django_db
def test_code_retrieval_filters_by_document_phase_and_department(admin_user, city_a):
    from krisenwissen.documents.coding_selectors import code_segments
    from krisenwissen.documents.models import Coding
    from tests.documents_coding.helpers import make_codes, make_document

    phase, other = f.PhaseFactory(number=1), f.PhaseFactory(number=2)
    code = make_codes()[3]
    (first, first_version), (second, second_version) = make_document(city_a, title="Eins"), make_document(
        city_a, title="Zwei", text="Ein anderer Text.")
    first.phase, first.department_function = phase, "gesundheitsamt"
    first.save()
    second.phase = other
    second.save()
    for version in (first_version, second_version):
        Coding.objects.create(version=version, document=version.document, start=0, end=5, code=code,
                              coder=admin_user, coder_name="Admin")
    titles = lambda qs: [c.document.title for c in qs]  # noqa: E731
    assert titles(code_segments(code=code, user=admin_user)) == ["Eins", "Zwei"]
    assert titles(code_segments(code=code, user=admin_user, phase_id=other.pk)) == ["Zwei"]
    assert titles(code_segments(code=code, user=admin_user, department_function="gesundheitsamt")) == ["Eins"]
