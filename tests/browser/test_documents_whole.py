"""Issue 18, done when (one path through both halves of the documents app, as a person walks it):
the Redaktion of Dortmund uploads a PDF and a scanned page at once, waits for the background
job, accepts two suggestions into observations that cite document and page, codes a segment by
selecting text, exports the project as REFI-QDA (QDPX) and re-imports it into a fresh
installation, where every coding sits at the same text. axe (WCAG 2.1 A/AA) finds nothing on
every page, at 1280 and at 375 px; the browser logs no console error."""

from __future__ import annotations

from .conftest import PASSWORD, check_page, login, url
from .documents_steps import RESULTS_LINE as SEGMENT
from .documents_steps import require_ocr_tools, select_in_coding_text, upload_report_and_scan


def _codings():
    from krisenwissen.documents.models import Coding

    return sorted((str(c.document.uuid), c.start, c.end, c.segment, c.version.text[c.start:c.end], c.code.name,
                   c.coder_name) for c in Coding.objects.select_related("document", "version", "code"))


def test_upload_accept_code_export_and_reimport(page, demo, tmp_path):
    from django.core.management import call_command

    from krisenwissen.documents.models import Coding, Document, DocumentCitation

    require_ocr_tools()
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None)

    # Upload both at once; a progress bar per file; the job finishes; OCR read the scan.
    upload_report_and_scan(page, tmp_path, SEGMENT)

    # Two suggestions become observations that cite the document and its page.
    page.goto(url("documents:list"))
    with page.expect_navigation():
        page.get_by_role("link", name="lagebericht").click()
    page.locator("[data-status-label]", has_text="Verarbeitet").wait_for(timeout=120_000)
    document_url = page.url
    for phrase, page_number in (("Hotline", 2), ("Rathaus", 1)):
        page.goto(document_url)
        passage = page.locator("li.passage", has_text=phrase)
        assert f"S. {page_number}" in passage.locator(".passage__ref").inner_text()
        passage.get_by_label("Art").select_option(label="Erfahrung")
        with page.expect_navigation():
            passage.get_by_role("button", name="Als Beobachtung übernehmen").click()
        assert page.get_by_text("Beobachtung angelegt").is_visible()
        source = page.locator("dt", has_text="Quelle").locator("xpath=following-sibling::dd[1]").inner_text()
        assert "lagebericht" in source and f"S. {page_number}" in source, source
        check_page(page)
    citations = DocumentCitation.objects.select_related("document").order_by("page")
    assert [(c.document.title, c.page) for c in citations] == [("lagebericht", 1), ("lagebericht", 2)]

    # Code a segment: from the document viewer to its coding page, select text, assign a code.
    page.goto(document_url)
    with page.expect_navigation():
        page.get_by_role("link", name="Codieren").click()
    check_page(page)
    select_in_coding_text(page, SEGMENT)
    code_select = page.locator("#id_code")
    code_label = code_select.locator("option").nth(1).inner_text()
    code_select.select_option(label=code_label)
    with page.expect_navigation():
        page.get_by_role("button", name="Code zuweisen").click()
    coding = Coding.objects.get()
    assert coding.segment == SEGMENT == coding.version.text[coding.start:coding.end]
    assert page.get_by_role("link", name="lagebericht").count() >= 1  # the way back to the document
    check_page(page)

    # Export the project (REFI-QDA) from the coding overview, found from the documents list.
    page.goto(url("documents:list"))
    with page.expect_navigation():
        page.get_by_role("link", name="Codierung und Auswertung").click()
    check_page(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Projekt exportieren (REFI-QDA, .qdpx)").click()
    exported = tmp_path / "projekt.qdpx"
    download_info.value.save_as(exported)
    before = _codings()
    assert len(before) == 1
    documents_before = sorted(str(d.uuid) for d in Document.objects.all())  # both uploads are sources

    # A fresh installation: empty database, a platform administrator and the municipality.
    call_command("flush", interactive=False, verbosity=0)
    import importlib

    from django.apps import apps

    from tests import factories as f
    importlib.import_module("krisenwissen.people.migrations.0002_competence_vocabulary").ship(apps, None)
    f.MunicipalityFactory(name="Dortmund", ags="05913")
    f.UserFactory(username="plattform-admin", is_superuser=True, is_staff=True, password=PASSWORD)
    assert not Coding.objects.exists()

    page.context.clear_cookies()
    login(page, "plattform-admin")
    page.goto(url("documents:list"))
    with page.expect_navigation():
        page.get_by_role("link", name="REFI-QDA importieren").click()
    check_page(page)
    page.get_by_label("REFI-QDA-Datei (.qdpx oder .qdc)").set_input_files(str(exported))
    page.get_by_label("Kommune der neuen Dokumente").select_option(label="Dortmund")
    with page.expect_navigation():
        page.get_by_role("button", name="Importieren").click()
    assert "Codierungen neu: 1" in page.locator("[data-import-report]").inner_text()
    check_page(page)
    assert _codings() == before
    assert sorted(str(d.uuid) for d in Document.objects.all()) == documents_before

    # The re-imported coding shows in the code's retrieval at the same text.
    page.goto(url("documents:coding_code", Coding.objects.get().code_id))
    assert SEGMENT in page.locator("[data-segment]").first.inner_text()
    check_page(page)
    assert not console_errors, "Konsolenfehler:\n" + "\n".join(console_errors)
