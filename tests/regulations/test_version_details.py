"""Version details (amending act, reference, dates): on upload, read from the text, editable later,
shown in the Synopse title; and the vollständige Synopse in the page and the documents."""

from __future__ import annotations

import datetime
import io

import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from krisenwissen.core.models import AuditEntry
from krisenwissen.core.policy import SYSTEM
from krisenwissen.regulations import actions
from krisenwissen.regulations.events import RegulationsEvent

from .test_views import NEW, OLD

ACT = "Zweite Verordnung zur Änderung der Testverordnung"
AMENDED = NEW.replace("% Testverordnung  (Testverordnung - TestV)",
                      "% Testverordnung  (Testverordnung - TestV)\n"
                      "Stand: Zuletzt geändert durch Art. 1 V v. 16.12.2021 BAnz AT 17.12.2021 V1")
PROMULGATED = """BAnz AT 17.12.2021 V1

Zweite Verordnung
zur Änderung der Testverordnung

Vom 16. Dezember 2021

# § 1 – Versammlungen

(1) Versammlungen sind anzuzeigen.

# § 2 – Inkrafttreten

Diese Verordnung tritt am Tag nach der Verkündung in Kraft.
"""


@pytest.fixture
def law(db):
    legal_text = actions.do_create_legal_text(title="Testverordnung", abbreviation="TestV", acting_user=SYSTEM)
    old = actions.do_add_version(legal_text, text=OLD, in_force_from=datetime.date(2021, 1, 1), acting_user=SYSTEM)
    new = actions.do_add_version(legal_text, text=NEW, in_force_from=datetime.date(2021, 2, 1), acting_user=SYSTEM,
                                 amending_act=ACT, amending_act_reference="BAnz AT 29.01.2021 V2")
    return legal_text, old, new


def _synopse_url(legal_text, fmt=None):
    if fmt:
        return reverse("regulations:synopse_export", kwargs={"slug": legal_text.slug, "fmt": fmt})
    return reverse("regulations:synopse", kwargs={"slug": legal_text.slug})


def test_upload_form_takes_the_act_and_its_reference(client, law, editor_b):
    legal_text, _old, _new = law
    client.force_login(editor_b)
    upload = io.BytesIO(NEW.replace("geschlossen", "wieder offen").encode())
    upload.name = "fassung.md"
    response = client.post(reverse("regulations:version_add", kwargs={"slug": legal_text.slug}), {
        "file": upload, "in_force_from": "2021-03-01", "amending_act": "  Dritte Verordnung zur Änderung der TestV ",
        "amending_act_reference": "BAnz AT 27.02.2021 V1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    version = legal_text.versions.get(in_force_from=datetime.date(2021, 3, 1))
    assert version.amending_act == "Dritte Verordnung zur Änderung der TestV"
    assert version.amending_act_reference == "BAnz AT 27.02.2021 V1"
    entry = AuditEntry.objects.filter(action=RegulationsEvent.VERSION_ADDED).latest("pk")
    assert entry.details["amending_act"] == "Dritte Verordnung zur Änderung der TestV"


def test_details_the_text_states_are_read_when_left_empty(law):
    legal_text, _old, _new = law
    version = actions.do_add_version(legal_text, text=AMENDED.replace("geschlossen", "zu"),
                                     in_force_from=datetime.date(2021, 12, 1), acting_user=SYSTEM)
    assert version.amending_act == "Artikel 1 der Verordnung vom 16.12.2021"
    assert version.amending_act_reference == "BAnz AT 17.12.2021 V1"
    assert version.announced_on == datetime.date(2021, 12, 17)
    # An act as promulgated states its own date in force ("am Tag nach der Verkündung").
    promulgated = actions.do_add_version(legal_text, text=PROMULGATED, in_force_from=None, acting_user=SYSTEM)
    assert promulgated.in_force_from == datetime.date(2021, 12, 18)
    assert promulgated.amending_act == ACT and promulgated.amending_act_reference == "BAnz AT 17.12.2021 V1"


def test_missing_date_in_force_is_refused_with_a_german_message(client, law, editor_b):
    legal_text, _old, _new = law
    client.force_login(editor_b)
    response = client.post(reverse("regulations:version_add", kwargs={"slug": legal_text.slug}),
                           {"text": NEW.replace("geschlossen", "offen")})
    assert response.status_code == 200
    assert "nennt kein Datum des Inkrafttretens" in response.content.decode()
    assert legal_text.versions.count() == 2


def test_details_are_editable_by_who_may_upload(client, law, editor_b, reader_a):
    legal_text, old, _new = law
    url = reverse("regulations:version_edit", kwargs={"slug": legal_text.slug, "pk": old.pk})
    client.force_login(reader_a)
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.do_change_version_details(old, in_force_from=old.in_force_from, amending_act="x", acting_user=reader_a)
    client.force_login(editor_b)
    page = client.get(url).content.decode()
    assert "Rechtsakt dieser Fassung" in page and "Fundstelle des Rechtsakts" in page
    response = client.post(url, {"in_force_from": "2021-01-01", "amending_act": "Verordnung über Tests",
                                 "amending_act_reference": "BAnz AT 31.12.2020 V3", "announced_on": "2020-12-31"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.amending_act == "Verordnung über Tests" and old.announced_on == datetime.date(2020, 12, 31)
    assert old.text == OLD  # the text itself never changes here
    entry = AuditEntry.objects.filter(action=RegulationsEvent.VERSION_DETAILS_CHANGED).get()
    assert set(entry.details["changed"]) == {"amending_act", "amending_act_reference", "announced_on"}
    # Saving the same details again writes nothing.
    client.post(url, {"in_force_from": "2021-01-01", "amending_act": "Verordnung über Tests",
                      "amending_act_reference": "BAnz AT 31.12.2020 V3", "announced_on": "2020-12-31"})
    assert AuditEntry.objects.filter(action=RegulationsEvent.VERSION_DETAILS_CHANGED).count() == 1
    detail = client.get(reverse("regulations:version", kwargs={"slug": legal_text.slug, "pk": old.pk})).content.decode()
    assert "Verordnung über Tests" in detail and "Angaben zur Fassung bearbeiten" in detail


def test_edited_validity_may_not_overlap(client, law, editor_b):
    legal_text, old, new = law
    with pytest.raises(ValidationError, match="bereits eine Fassung ab 01.02.2021"):
        actions.do_change_version_details(old, in_force_from=new.in_force_from, acting_user=editor_b)
    client.force_login(editor_b)
    url = reverse("regulations:version_edit", kwargs={"slug": legal_text.slug, "pk": old.pk})
    response = client.post(url, {"in_force_from": "2021-01-01", "in_force_until": "2020-12-01"})
    assert response.status_code == 200 and "liegt vor" in response.content.decode()
    response = client.post(url, {"in_force_from": "", "amending_act": "x" * 501})
    body = response.content.decode()
    assert response.status_code == 200 and "Dieses Feld ist zwingend erforderlich" in body
    old.refresh_from_db()
    assert old.in_force_from == datetime.date(2021, 1, 1) and old.amending_act == ""


def test_version_of_another_legal_text_is_not_found(client, law, editor_b):
    _legal_text, old, _new = law
    other = actions.do_create_legal_text(title="Andere", abbreviation="AndV", acting_user=SYSTEM)
    client.force_login(editor_b)
    assert client.get(reverse("regulations:version_edit", kwargs={"slug": other.slug, "pk": old.pk})).status_code == 404


def test_synopse_title_names_the_act_in_page_and_documents(client, law):
    legal_text, old, new = law
    query = {"alt": old.pk, "neu": new.pk}
    page = client.get(_synopse_url(legal_text), query).content.decode()
    assert f"Fassung ab 01.02.2021 – {ACT} (BAnz AT 29.01.2021 V2)" in page
    pdf = client.get(_synopse_url(legal_text, "pdf"), query).content
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert ACT in " ".join(text.split())
    from docx import Document

    document = Document(io.BytesIO(client.get(_synopse_url(legal_text, "docx"), query).content))
    assert any(ACT in p.text for p in document.paragraphs)
    html = client.get(_synopse_url(legal_text, "html"), query).content.decode()
    assert ACT in html


def test_full_synopsis_in_page_and_documents(client, law):
    legal_text, old, new = law
    unchanged = "Versammlungen sind anzuzeigen."  # § 1 Abs. 1: unchanged passage of a changed unit
    query = {"alt": old.pk, "neu": new.pk, "ansicht": "aenderungen"}
    page = client.get(_synopse_url(legal_text), query).content.decode()
    assert unchanged not in page
    page = client.get(_synopse_url(legal_text), {**query, "vollstaendig": "1"}).content.decode()
    assert page.count(unchanged) >= 2  # old and new column
    assert 'id="s-full" name="vollstaendig" value="1" checked' in page
    assert "vollstaendig=1" in page.split("Herunterladen:")[1].split("</p>")[0]
    for fmt in ("docx", "html"):
        short = client.get(_synopse_url(legal_text, fmt), {"alt": old.pk, "neu": new.pk}).content
        full = client.get(_synopse_url(legal_text, fmt), {"alt": old.pk, "neu": new.pk, "vollstaendig": "1"}).content
        if fmt == "docx":
            from docx import Document

            def text(data):
                document = Document(io.BytesIO(data))
                return " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)

            short, full = text(short), text(full)
        else:
            short, full = short.decode(), full.decode()
        assert unchanged not in short and full.count(unchanged) >= 2, fmt


def test_notification_names_the_act(law, reader_a, django_capture_on_commit_callbacks):
    from krisenwissen.core.models import Notification

    legal_text, _old, _new = law
    actions.do_toggle_subscription(legal_text, acting_user=reader_a)
    with django_capture_on_commit_callbacks(execute=False):
        actions.do_add_version(legal_text, text=AMENDED.replace("anzuzeigen", "anzumelden"),
                               in_force_from=datetime.date(2021, 12, 18), acting_user=SYSTEM)
    note = Notification.objects.get(recipient=reader_a)
    assert "Rechtsakt: Artikel 1 der Verordnung vom 16.12.2021 (BAnz AT 17.12.2021 V1)" in note.body
