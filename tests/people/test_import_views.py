"""Web pages of the directory's import and export (people.io_views)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from krisenwissen.core.models import AuditEntry
from krisenwissen.people.models import Channel, Person

from .io_helpers import csv_text, directory_admin, row

pytestmark = pytest.mark.django_db


def _upload(client, municipality, text: str, *, encoding="utf-8", dry_run=False):
    data = {"municipality": municipality.pk, "datei": SimpleUploadedFile("koepfe.csv", text.encode(encoding), "text/csv")}
    if dry_run:
        data["nur_pruefen"] = "on"
    return client.post("/koepfe/import/", data)


def test_directory_admin_imports_through_the_form(client, city_a):
    client.force_login(directory_admin(city_a))
    page = client.get("/koepfe/import/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    text = csv_text(row(name="Leitstelle", buero="0201 123456", externer_schluessel="L1"),
                    row(name="Presse", funktionspostfach="presse@example.org"))
    response = _upload(client, city_a, text, dry_run=True)
    assert "2 Einträge würden neu angelegt" in response.content.decode() and not Person.objects.exists()
    response = _upload(client, city_a, text, encoding="cp1252")
    assert "2 Einträge wurden neu angelegt" in response.content.decode()
    assert Person.objects.filter(municipality=city_a).count() == 2


def test_errors_are_listed_with_line_and_field_and_nothing_is_saved(client, city_a):
    client.force_login(directory_admin(city_a))
    text = csv_text(row(name="Gut", buero="0201 123456"), row(name="Schlecht", email="kaputt"))
    body = _upload(client, city_a, text).content.decode()
    assert "Nichts importiert" in body
    assert "Zeile 3, Feld „E-Mail“" in body
    assert not Person.objects.exists() and not Channel.objects.exists()


def test_import_into_another_city_is_refused(client, city_a, city_b):
    client.force_login(directory_admin(city_a))
    response = _upload(client, city_b, csv_text(row(name="X")))
    assert response.status_code == 200 and "Auswahl" in response.content.decode()  # not a choice for this user
    assert not Person.objects.exists()


@pytest.mark.parametrize("fmt", ["vcf", "csv", "pdf"])
def test_downloads_are_not_cached_and_audited(client, city_a, reader_a, fmt):
    Person.objects.create(municipality=city_a, display_name="Interne Person", visibility="intern")
    client.force_login(reader_a)
    response = client.get(f"/koepfe/export/{fmt}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="telefonliste-')
    event = AuditEntry.objects.get(action="people.directory_exported")
    assert event.details == {"format": fmt, "eintraege": 1, "mit_privater_erreichbarkeit": 0}


def test_unknown_export_format_is_404(client, reader_a):
    client.force_login(reader_a)
    assert client.get("/koepfe/export/docx/").status_code == 404
