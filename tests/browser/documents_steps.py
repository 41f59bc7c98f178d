"""Steps the documents browser tests share: a text PDF and a scanned page uploaded at once."""

import os
import shutil
import subprocess

import pytest

from tests.documents_ingest.pdfmaker import make_pdf

from .conftest import EDITOR, check_page, login

RESULTS_LINE = "Die Hotline für Bürgerinnen und Bürger hat sich bewährt"


def require_ocr_tools() -> None:
    """Skip without tesseract-ocr-deu and poppler-utils on a workstation; under CI=true fail."""
    from krisenwissen.documents.extract.ocr import ocr_available

    if ocr_available("deu") and shutil.which("pdftoppm"):
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true: tesseract-ocr-deu und poppler-utils müssen installiert sein")
    pytest.skip("tesseract-ocr-deu und poppler-utils fehlen")


def upload_report_and_scan(page, tmp_path, results_line: str = RESULTS_LINE) -> None:
    """As the Redaktion of Dortmund: upload "lagebericht.pdf" (two pages, ``results_line`` on
    page 2) and "scan.png" (a scanned page) at once from the main navigation; wait for both
    jobs (a progress bar per file) and check that OCR read the scanned page."""
    pdf = tmp_path / "lagebericht.pdf"
    pdf.write_bytes(make_pdf([["Lagebericht", "Der Krisenstab tagte täglich im Rathaus."],
                              ["Ergebnisse", f"{results_line} und",
                               "sollte künftig früher eingerichtet werden."]]))
    scan_source = tmp_path / "scan.pdf"
    scan_source.write_bytes(make_pdf([["Protokoll", "Das Einsatztagebuch wurde lückenlos geführt."]]))
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", str(scan_source), str(tmp_path / "scan")],
                   check=True)

    login(page, EDITOR)
    with page.expect_navigation():
        page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Dokumente").click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Dokumente hochladen").click()
    check_page(page)
    page.get_by_label("Kommune").select_option(label="Dortmund")
    page.get_by_label("Dateien").set_input_files([str(pdf), str(tmp_path / "scan.png")])
    page.get_by_role("button", name="Hochladen").click()
    progress = page.locator("#upload-progress")
    progress.get_by_role("link", name="Dokument öffnen").nth(1).wait_for(timeout=120_000)
    assert progress.locator("progress").count() == 2
    check_page(page)

    # The scanned page: the job ran OCR (the status page polls until it is done).
    with page.expect_navigation():
        progress.locator("li", has_text="scan.png").get_by_role("link", name="Dokument öffnen").click()
    page.locator("[data-status-label]", has_text="Verarbeitet").wait_for(timeout=120_000)
    assert "Einsatztagebuch" in page.locator("ol.passages").inner_text()
    check_page(page)


def select_in_coding_text(page, phrase: str) -> None:
    """Select ``phrase`` in the coding text with a DOM range, as a mouse selection would."""
    page.evaluate(
        """(phrase) => {
            const container = document.getElementById('coding-text');
            const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.indexOf(phrase);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + phrase.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    container.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                    return;
                }
            }
            throw new Error('phrase not found');
        }""",
        phrase,
    )
