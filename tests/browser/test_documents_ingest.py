"""Documents in the browser (issue 18, ingest): the Redaktion of Dortmund uploads a PDF and a
scanned page at once (a progress bar per file), waits for the background job, sees the text with
page references and a highlighted term, and accepts two suggestions (one edited) into observations that cite
the document and the page; axe at 1280 and 375 px on every page."""

from .conftest import check_page, url
from .documents_steps import require_ocr_tools, upload_report_and_scan


def test_upload_wait_and_accept_suggestion(page, demo, tmp_path):
    from krisenwissen.documents.models import DocumentCitation, VersionStatus

    require_ocr_tools()
    upload_report_and_scan(page, tmp_path)

    # The PDF: pages, highlights, suggestions, accept into an observation citing page 2.
    page.goto(url("documents:list"))
    with page.expect_navigation():
        page.get_by_role("link", name="lagebericht").click()
    page.get_by_label("Begriff hervorheben").fill("Hotline")
    with page.expect_navigation():
        page.get_by_role("button", name="Hervorheben").click()
    assert page.locator("mark", has_text="Hotline").count() == 1
    check_page(page)
    passage = page.locator("li.passage", has_text="Hotline")
    assert "S. 2" in passage.locator(".passage__ref").inner_text()
    assert passage.get_by_label("Art").locator("option:checked").inner_text() in ("Gelingensfaktor", "Verbesserungspotenzial")
    with page.expect_navigation():
        passage.get_by_role("button", name="Als Beobachtung übernehmen").click()
    assert page.get_by_text("Beobachtung angelegt").is_visible()
    check_page(page)
    citation = DocumentCitation.objects.select_related("observation", "document").get()
    assert citation.page == 2 and citation.document.title == "lagebericht"
    assert citation.observation.source.kind == "document"
    assert citation.document.versions.get().status == VersionStatus.FERTIG

    # A second suggestion, edited before it is accepted: the passage on page 1.
    page.goto(url("documents:detail", citation.document.pk))
    first = page.locator("li.passage", has_text="Rathaus")
    first.get_by_label("Art").select_option(label="Erfahrung")
    first.get_by_label("Text der Beobachtung").fill("Der Krisenstab tagte in der ersten Phase täglich im Rathaus.")
    with page.expect_navigation():
        first.get_by_role("button", name="Als Beobachtung übernehmen").click()
    second = DocumentCitation.objects.exclude(pk=citation.pk).select_related("observation").get()
    assert second.page == 1 and second.observation.kind == "erfahrung"
    assert second.observation.text.startswith("Der Krisenstab tagte in der ersten Phase")
