"""The research sources pages: upload/import forms, results with chart and table, messages."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from krisenwissen.documents.sources_models import Interview, LiteratureRecord, Survey

from .samples import LIMESURVEY_CSV, RIS, TRANSCRIPT


def test_documents_list_links_the_sources(client, contributor_a):
    client.force_login(contributor_a)
    body = client.get(reverse("documents:list")).content.decode()
    assert reverse("documents:sources_index") in body
    index = client.get(reverse("documents:sources_index")).content.decode()
    for name in ("sources_interview_upload", "sources_survey_import", "sources_literature_import", "sources_literature"):
        assert reverse(f"documents:{name}") in index


def test_survey_import_shows_chart_table_and_crosstab(client, contributor_a, city_a, city_b):
    city_a.population, city_b.population = 580_000, 15_000
    city_a.save(), city_b.save()
    client.force_login(contributor_a)
    response = client.post(reverse("documents:sources_survey_import"), {
        "municipality": city_a.pk, "visibility": "intern", "title": "Befragung 2024",
        "file": SimpleUploadedFile("umfrage.csv", LIMESURVEY_CSV, "text/csv")})
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("documents:sources_survey", args=[survey.pk])
    body = client.get(response["Location"] + "?kreuz=groesse").content.decode()
    assert '<svg' in body and 'role="img"' in body
    assert "Häufigkeiten" in body and "Kreuztabelle" in body
    assert "Großstadt ab 500.000" in body and "Kleinstadt 5.000–19.999" in body
    assert "codieren" in body  # free-text answers are codable documents


def test_bad_survey_file_gives_german_message_with_line(client, contributor_a, city_a):
    client.force_login(contributor_a)
    response = client.post(reverse("documents:sources_survey_import"), {
        "municipality": city_a.pk, "file": SimpleUploadedFile("u.csv", b"ags;Q1\n05111;ja;zu viel\n")})
    assert response.status_code == 400
    assert "Zeile 2: 3 Spalten statt 2" in response.content.decode()
    assert not Survey.objects.exists()


def test_literature_import_and_deduplicated_list(client, contributor_a, city_a):
    client.force_login(contributor_a)
    response = client.post(reverse("documents:sources_literature_import"), {
        "municipality": city_a.pk, "file": SimpleUploadedFile("zotero.ris", RIS.encode())}, follow=True)
    body = response.content.decode()
    assert "2 Literaturangaben importiert, 2 Dubletten übersprungen." in body
    assert body.count("Krisenmanagement in Kommunen") == 1
    assert LiteratureRecord.objects.count() == 2


def test_interview_upload_with_retention_period_and_detail(client, contributor_a, city_a):
    client.force_login(contributor_a)
    today = timezone.localdate()
    response = client.post(reverse("documents:sources_interview_upload"), {
        "municipality": city_a.pk, "visibility": "intern", "title": "Interview Stab", "consent_date": today.isoformat(),
        "consent_note": "schriftlich", "retention_months": "24",
        "file": SimpleUploadedFile("transkript.txt", TRANSCRIPT.encode())})
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert interview.retention_until > today + dt.timedelta(days=700)
    body = client.get(reverse("documents:sources_interview", args=[interview.pk])).content.decode()
    assert "Person 1" in body and "Schneider" not in body
    assert reverse("documents:coding_version", args=[interview.document.versions.get().pk]) in body


def test_interview_upload_without_consent_is_refused(client, contributor_a, city_a):
    client.force_login(contributor_a)
    response = client.post(reverse("documents:sources_interview_upload"), {
        "municipality": city_a.pk, "title": "Interview", "consent_note": "x", "retention_months": "12",
        "file": SimpleUploadedFile("t.txt", TRANSCRIPT.encode())})
    assert response.status_code == 400
    assert "Datum der Einwilligung" in response.content.decode()
    assert not Interview.objects.exists()
