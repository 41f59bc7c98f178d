"""Research sources in the browser (issue 18): a contributor finds the sources from the documents
list, imports a LimeSurvey CSV and sees each question's chart with its data table beside it, then
imports a RIS file and sees the de-duplicated literature list; axe at 1280 and 375 px on every page."""

from __future__ import annotations

import pytest

from tests.documents_sources.samples import LIMESURVEY_CSV, RIS

from .conftest import PASSWORD, check_page, login


@pytest.fixture
def sources_world(transactional_db, settings, tmp_path):
    from krisenwissen.accounts.models import Role
    from tests import factories as f

    settings.MEDIA_ROOT = tmp_path / "media"
    essen = f.MunicipalityFactory(name="Essen", ags="05113", population=580_000)
    f.MunicipalityFactory(name="Stadt B", ags="05111", population=15_000)
    f.MembershipFactory(municipality=essen, role=Role.MITWIRKENDE, user__username="mitwirkende.essen",
                        user__password=PASSWORD)
    return essen


def test_import_survey_see_chart_and_table_then_import_ris(page, live_server, sources_world, tmp_path):
    csv_file = tmp_path / "limesurvey.csv"
    csv_file.write_bytes(LIMESURVEY_CSV)
    ris_file = tmp_path / "zotero.ris"
    ris_file.write_text(RIS, encoding="utf-8")

    login(page, "mitwirkende.essen")
    page.goto("/dokumente/")
    with page.expect_navigation():
        page.get_by_role("link", name="Forschungsquellen: Interviews, Umfragen, Literatur").click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Umfrage importieren").click()
    check_page(page)
    page.get_by_label("Kommune").select_option(label="Essen")
    page.get_by_label("Titel").fill("Befragung Krisenkommunikation")
    page.get_by_label("CSV-Datei").set_input_files(str(csv_file))
    with page.expect_navigation():
        page.get_by_role("button", name="Importieren").click()
    assert page.get_by_role("heading", name="Befragung Krisenkommunikation").is_visible()
    chart = page.get_by_role("img", name="G01Q01: Wie gut war die Krisenkommunikation?")
    assert chart.is_visible()
    table = page.get_by_role("table", name="Häufigkeiten: G01Q01")
    assert table.is_visible()
    assert table.get_by_role("row", name="gut 2").is_visible()
    check_page(page)
    page.get_by_label("Kreuztabelle nach").select_option(label="Größenklasse der Kommune")
    with page.expect_navigation():
        page.get_by_role("button", name="Anzeigen").click()
    assert page.get_by_role("table", name="Kreuztabelle: G01Q01").is_visible()
    check_page(page)

    page.goto("/dokumente/literatur/importieren/")
    check_page(page)
    page.get_by_label("Kommune").select_option(label="Essen")
    page.get_by_label("RIS- oder BibTeX-Datei").set_input_files(str(ris_file))
    with page.expect_navigation():
        page.get_by_role("button", name="Importieren").click()
    assert page.get_by_text("2 Literaturangaben importiert, 2 Dubletten übersprungen.").is_visible()
    rows = page.get_by_role("table", name="Literaturangaben, die Sie lesen dürfen").locator("tbody tr")
    assert rows.count() == 2
    check_page(page)


def test_upload_interview_see_pseudonymised_transcript_with_consent(page, live_server, sources_world, tmp_path):
    from tests.documents_sources.samples import TRANSCRIPT

    transcript = tmp_path / "interview.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    login(page, "mitwirkende.essen")
    page.goto("/dokumente/quellen/")
    with page.expect_navigation():
        page.get_by_role("link", name="Interview hochladen").click()
    check_page(page)
    page.get_by_label("Kommune").select_option(label="Essen")
    page.get_by_label("Titel (ohne Namen)").fill("Interview Krisenstab 1")
    page.get_by_label("Transkript").set_input_files(str(transcript))
    page.get_by_label("Einwilligung erteilt am").fill("2024-03-01")
    page.get_by_label("Form der Einwilligung").fill("schriftlich, Formular v2")
    page.get_by_label("oder: Aufbewahrungsdauer in Monaten ab heute").fill("24")
    with page.expect_navigation():
        page.get_by_role("button", name="Hochladen und pseudonymisieren").click()
    assert page.get_by_role("heading", name="Interview Krisenstab 1").is_visible()
    body = page.locator("main").inner_text()
    assert "Person 1:" in body and "Schneider" not in body and "schriftlich, Formular v2" in body
    assert page.get_by_role("link", name="Transkript codieren").is_visible()
    check_page(page)
