"""Web: "Änderungsverordnung anwenden" and the refusal of an amending act uploaded as a version."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from krisenwissen.core.models import AuditEntry
from krisenwissen.core.policy import SYSTEM
from krisenwissen.regulations import actions
from tests.regulations.test_amending import BASE, act


@pytest.fixture
def law(db):
    legal_text = actions.do_create_legal_text(title="Beispielverordnung", abbreviation="BspV", acting_user=SYSTEM)
    base = actions.do_add_version(legal_text, text=BASE, in_force_from=datetime.date(2021, 1, 1), acting_user=SYSTEM)
    return legal_text, base


ACT = act("1. In § 4 Satz 1 wird die Angabe „30. Juni 2021“ durch die Angabe „31. Juli 2021“ ersetzt.",
          "2. § 3 Absatz 4 wird aufgehoben.")
BAD_ACT = act("1. In § 4 Satz 1 wird die Angabe „30. Juni 2021“ durch die Angabe „31. Juli 2021“ ersetzt.",
              "2. In § 2 Satz 1 werden die Wörter „gibt es nicht“ gestrichen.")


def _upload(text: str, name: str = "aenderung.txt"):
    handle = io.BytesIO(text.encode("utf-8"))
    handle.name = name
    return handle


def test_amending_act_uploaded_as_version_is_refused(client, law, editor_b):
    legal_text, _base = law
    client.force_login(editor_b)
    response = client.post(reverse("regulations:version_add", kwargs={"slug": legal_text.slug}),
                           {"file": _upload(ACT), "in_force_from": "2021-03-01"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "ist eine Änderungsverordnung" in page and "Änderungsverordnung anwenden" in page
    assert legal_text.versions.count() == 1
    with pytest.raises(ValidationError, match="Änderungsverordnung anwenden"):
        actions.do_add_version(legal_text, text=ACT, in_force_from=datetime.date(2021, 3, 1), acting_user=SYSTEM)


def test_preview_shows_report_and_synopse_then_saves(client, law, editor_b):
    legal_text, base = law
    url = reverse("regulations:amend", kwargs={"slug": legal_text.slug})
    client.force_login(editor_b)
    detail = client.get(reverse("regulations:detail", kwargs={"slug": legal_text.slug})).content.decode()
    assert url in detail
    response = client.post(url, {"base": base.pk, "file": _upload(ACT), "step": "preview"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 Änderungsbefehle angewendet, 0 fehlgeschlagen" in page
    assert "Artikel 1 Nummer 2" in page and "angewendet" in page
    assert "31. Juli 2021" in page and "<del>" in page  # the Synopse base → result
    assert legal_text.versions.count() == 1  # nothing stored by the preview
    form = response.context["form"]
    assert form["act_text"].value() == ACT
    response = client.post(url, {"base": base.pk, "act_text": ACT, "act_name": "aenderung.txt", "step": "save",
                                 "in_force_from": "2021-03-01"})
    assert response.status_code == 302, response.content.decode()[:3000]
    new = legal_text.versions.get(in_force_from=datetime.date(2021, 3, 1))
    assert new.text == BASE.replace("30. Juni 2021", "31. Juli 2021").replace(
        "\n\n(4) Die Dokumentation ist ein Jahr aufzubewahren.", "")
    assert new.amending_act.startswith("Erste Verordnung zur Änderung der Beispielverordnung")
    assert f"alt={base.pk}&neu={new.pk}" in response["Location"]
    assert AuditEntry.objects.filter(action="regulations.amending_act_applied").count() == 1


def test_failed_instruction_needs_confirmation(client, law, editor_b):
    legal_text, base = law
    url = reverse("regulations:amend", kwargs={"slug": legal_text.slug})
    client.force_login(editor_b)
    page = client.post(url, {"base": base.pk, "text": BAD_ACT, "step": "preview"}).content.decode()
    assert "1 fehlgeschlagen" in page and "kommen in § 2 Satz 1 nicht vor" in page and "fehlgeschlagen" in page
    response = client.post(url, {"base": base.pk, "act_text": BAD_ACT, "step": "save", "in_force_from": "2021-03-01"})
    assert response.status_code == 200
    assert "bestätigen" in response.content.decode()
    assert legal_text.versions.count() == 1
    response = client.post(url, {"base": base.pk, "act_text": BAD_ACT, "step": "save", "in_force_from": "2021-03-01",
                                 "accept_failed": "on"})
    assert response.status_code == 302
    assert legal_text.versions.get(in_force_from=datetime.date(2021, 3, 1)).text == BASE.replace(
        "30. Juni 2021", "31. Juli 2021")


def test_not_an_act_and_wrong_law(client, law, editor_b):
    legal_text, base = law
    url = reverse("regulations:amend", kwargs={"slug": legal_text.slug})
    client.force_login(editor_b)
    page = client.post(url, {"base": base.pk, "text": BASE, "step": "preview"}).content.decode()
    assert "keine Änderungsverordnung" in page
    other = act("1. § 1 wird aufgehoben.", "2. § 2 wird aufgehoben.", law="Musterverordnung")
    page = client.post(url, {"base": base.pk, "text": other, "step": "preview"}).content.decode()
    assert "Kein Artikel dieser Änderungsverordnung ändert" in page


def test_permission(client, law, reader_a):
    legal_text, base = law
    url = reverse("regulations:amend", kwargs={"slug": legal_text.slug})
    assert client.get(url).status_code == 302  # login first
    client.force_login(reader_a)
    assert client.get(url).status_code == 403
    assert client.post(url, {"base": base.pk, "act_text": ACT, "step": "save",
                             "in_force_from": "2021-03-01"}).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.do_apply_amending_act(legal_text, base=base, act_text=ACT, in_force_from=datetime.date(2021, 3, 1),
                                      acting_user=reader_a)


def test_coronaimpfv_pdf_in_the_web(client, db, editor_b, shared_data):
    legal_text = actions.do_create_legal_text(title="Coronavirus-Impfverordnung", abbreviation="CoronaImpfV",
                                              acting_user=SYSTEM)
    base_text = (shared_data / "laws/CoronaImpfV/2021-11-18.md").read_text()
    base = actions.do_add_version(legal_text, text=base_text, in_force_from=datetime.date(2021, 11, 18),
                                  acting_user=SYSTEM)
    client.force_login(editor_b)
    pdf = shared_data / "documents/pdf/2021-12-17_CoronaImpfV.pdf"
    with pdf.open("rb") as handle:
        response = client.post(reverse("regulations:version_add", kwargs={"slug": legal_text.slug}),
                               {"file": handle, "in_force_from": "2021-12-18"})
    assert "Verordnung zur Änderung der Coronavirus-Impfverordnung" in response.content.decode()
    assert legal_text.versions.count() == 1
    with pdf.open("rb") as handle:
        response = client.post(reverse("regulations:amend", kwargs={"slug": legal_text.slug}),
                               {"base": base.pk, "file": handle, "step": "preview"})
    page = response.content.decode()
    assert "16 Änderungsbefehle angewendet, 0 fehlgeschlagen, 8 nicht anwendbar" in page
    assert "§ 8 Absatz 1 bis 3 und § 9" in page
    form = response.context["form"]
    # the date in force is read from the act ("am Tag nach der Verkündung", BAnz AT 17.12.2021)
    assert form["in_force_from"].value() == "2021-12-18"
    response = client.post(reverse("regulations:amend", kwargs={"slug": legal_text.slug}),
                           {"base": base.pk, "act_text": form["act_text"].value(), "act_name": pdf.name,
                            "step": "save"})
    assert response.status_code == 302, response.content.decode()[:3000]
    new = legal_text.versions.get(in_force_from=datetime.date(2021, 12, 18))
    assert new.amending_act == "Verordnung zur Änderung der Coronavirus-Impfverordnung und der Coronavirus-Testverordnung"
    assert new.amending_act_reference == "BAnz AT 17.12.2021 V1"
    assert new.announced_on == datetime.date(2021, 12, 17)
    want = (shared_data / "laws/CoronaImpfV/2021-12-21.md").read_text()
    assert new.text.replace("nach § 8 Absatz 1 bis 3", "nach den § 8 Absatz 1 bis 3") == want


def test_article_chosen_by_number_or_by_the_stored_title(client, db, editor_b):
    # the base text has no "% Title" header: the stored legal text's name is used
    legal_text = actions.do_create_legal_text(title="Beispielverordnung", abbreviation="BspV", acting_user=SYSTEM)
    base_text = BASE.split("\n", 2)[2]
    base = actions.do_add_version(legal_text, text=base_text, in_force_from=datetime.date(2021, 1, 1),
                                  acting_user=SYSTEM)
    url = reverse("regulations:amend", kwargs={"slug": legal_text.slug})
    client.force_login(editor_b)
    page = client.post(url, {"base": base.pk, "text": ACT, "step": "preview"}).content.decode()
    assert "2 Änderungsbefehle angewendet" in page
    renamed = ACT.replace("Beispielverordnung", "Mustersatzung")
    page = client.post(url, {"base": base.pk, "text": renamed, "step": "preview"}).content.decode()
    assert "bitte den Artikel angeben" in page
    page = client.post(url, {"base": base.pk, "text": renamed, "artikel": "1", "step": "preview"}).content.decode()
    assert "2 Änderungsbefehle angewendet" in page
    page = client.post(url, {"base": base.pk, "text": renamed, "artikel": "eins", "step": "preview"}).content.decode()
    assert "Bitte Artikelnummern angeben" in page


def test_import_refuses_an_amending_act_in_the_folder(law, tmp_path):
    legal_text, _base = law
    (tmp_path / "2021-02-01.md").write_text(BASE.replace("30. Juni 2021", "31. Juli 2021"))
    (tmp_path / "2021-03-01.md").write_text(ACT)
    with pytest.raises(ValidationError, match="2021-03-01.md: Die Datei ist eine Änderungsverordnung"):
        actions.do_import_directory(legal_text, tmp_path, acting_user=SYSTEM)
    assert legal_text.versions.count() == 1
    report = actions.do_import_directory(legal_text, tmp_path, skip_invalid=True, acting_user=SYSTEM)
    assert report.created == 1 and len(report.skipped) == 1
