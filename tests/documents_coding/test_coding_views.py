"""The coding pages over HTTP: code without JavaScript, retrieval, agreement, export, import."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from krisenwissen.documents.models import Coding, Document
from krisenwissen.documents.refi.qdpx import parse_qdpx

from .helpers import TEXT, make_codes, make_document, span


def test_code_a_segment_with_the_form_and_find_it_in_the_retrieval(client, city_a, contributor_a):
    _d, version = make_document(city_a)
    _s, parent, child, _o = make_codes()
    client.force_login(contributor_a)
    page = client.get(f"/dokumente/codierung/version/{version.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-start="0"' in body and "coding.js" in body and "<script>" not in body
    start, end = span(TEXT, "Bürgerhotline ist überlastet 📞")
    response = client.post(f"/dokumente/codierung/version/{version.pk}/", {"code": child.pk, "start": start, "end": end})
    assert response.status_code == 302
    assert Coding.objects.get().segment == "Bürgerhotline ist überlastet 📞"
    page = client.get(f"/dokumente/codierung/version/{version.pk}/").content.decode()
    assert f'data-start="{start}" class="coding-text__coded"' in page
    retrieval = client.get(f"/dokumente/codierung/codes/{parent.pk}/?unter=on").content.decode()
    assert "Bürgerhotline ist überlastet 📞" in retrieval


def test_bad_offsets_get_a_german_message(client, city_a, contributor_a):
    _d, version = make_document(city_a)
    _s, _p, child, _o = make_codes()
    client.force_login(contributor_a)
    response = client.post(f"/dokumente/codierung/version/{version.pk}/", {"code": child.pk, "start": 5, "end": 99999})
    assert response.status_code == 200 and "liegt nicht im Text" in response.content.decode()
    response = client.post(f"/dokumente/codierung/version/{version.pk}/", {"code": child.pk})
    assert "Markieren Sie eine Textstelle" in response.content.decode()
    assert not Coding.objects.exists()


def test_agreement_page(client, city_a, contributor_a, admin_user):
    _d, version = make_document(city_a)
    _s, _p, child, _o = make_codes()
    for user in (contributor_a, admin_user):
        client.force_login(user)
        client.post(f"/dokumente/codierung/version/{version.pk}/", {"code": child.pk, "start": 0, "end": 20})
    page = client.get(f"/dokumente/codierung/version/{version.pk}/uebereinstimmung/",
                      {"coder_a": contributor_a.get_full_name(), "coder_b": admin_user.get_full_name()}).content.decode()
    assert "100 %" in page and "Krippendorffs α" in page


def test_export_and_import_over_http(client, city_a, admin_user):
    _d, version = make_document(city_a)
    _s, _p, child, _o = make_codes()
    client.force_login(admin_user)
    client.post(f"/dokumente/codierung/version/{version.pk}/", {"code": child.pk, "start": 0, "end": 20})
    response = client.get("/dokumente/codierung/export/projekt.qdpx")
    assert response["Content-Disposition"].endswith('.qdpx"')
    data = response.content
    assert len(parse_qdpx(data).sources) == 1
    Coding.objects.all().delete()
    Document.objects.all().delete()
    upload = SimpleUploadedFile("projekt.qdpx", data, content_type="application/zip")
    response = client.post("/dokumente/codierung/import/", {"file": upload, "municipality": city_a.pk})
    assert response.status_code == 200 and "data-import-report" in response.content.decode()
    assert Coding.objects.get().segment == TEXT[0:20]


def test_import_of_a_bad_file_says_why(client, city_a, admin_user):
    client.force_login(admin_user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("andere.txt", "x")
    upload = SimpleUploadedFile("projekt.qdpx", buffer.getvalue())
    response = client.post("/dokumente/codierung/import/", {"file": upload, "municipality": city_a.pk})
    assert response.status_code == 400 and "project.qde" in response.content.decode()


def test_code_a_whole_passage_without_javascript(client, city_a, contributor_a):
    from krisenwissen.documents.models import Passage

    document, version = make_document(city_a)
    _s, _p, child, _o = make_codes()
    start, end = span(TEXT, "Maßnahme: mehr Personal für die Hotline.")
    passage = Passage.objects.create(version=version, document=document, key="p1-1", order=1, page=1, start=start, end=end,
                                     text=TEXT[start:end])
    client.force_login(contributor_a)
    response = client.post(f"/dokumente/codierung/version/{version.pk}/", {"code": child.pk, "passage": passage.pk})
    assert response.status_code == 302
    assert Coding.objects.get().segment == "Maßnahme: mehr Personal für die Hotline."


def test_code_book_editing_page_merges_and_keeps_codings(client, city_a, contributor_a, admin_user):
    _d, version = make_document(city_a)
    _s, parent, child, other = make_codes()
    client.force_login(contributor_a)
    client.post(f"/dokumente/codierung/version/{version.pk}/", {"code": other.pk, "start": 3, "end": 12})
    client.force_login(admin_user)
    response = client.post(f"/dokumente/codierung/codes/{other.pk}/bearbeiten/", {"op": "merge", "into": parent.pk})
    assert response.status_code == 302
    coding = Coding.objects.get()
    assert coding.code == parent and coding.segment == TEXT[3:12]
    response = client.post(f"/dokumente/codierung/codes/{parent.pk}/bearbeiten/",
                           {"op": "split", "name": "Neu", "key": "neu", "codings": [coding.pk]})
    assert response.status_code == 302
    coding.refresh_from_db()
    assert coding.code.name == "Neu" and coding.segment == TEXT[3:12]


def test_text_chunks_keep_code_point_offsets_and_split_after_carriage_returns():
    from types import SimpleNamespace

    from krisenwissen.documents.coding_views import text_chunks

    text = "a👋🏽b\r\nc"
    chunks = text_chunks(text, [SimpleNamespace(start=1, end=3)])
    assert "".join(c["text"] for c in chunks) == text
    assert [(c["start"], c["text"]) for c in chunks] == [(0, "a"), (1, "👋🏽"), (3, "b\r"), (5, "\nc")]
    assert [bool(c["codings"]) for c in chunks] == [False, True, False, False]
