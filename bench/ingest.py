"""Benchmark of the document ingest (``make bench-ingest``).

Text-layer PDFs: every PDF in ``../shared/data/documents/pdf/`` read with the extraction core
(``documents.extract``: PDFium text, line boxes, two-column order, headings, hyphenation,
passages with offsets) beside poppler's ``pdftotext`` (subprocess, as a user runs it) on the same
files in the same run; best of ``--repeat`` runs each. Pages without a text layer are not OCR'd
in this part (that is measured separately), so both sides read the same text layers.
OCR: ``--ocr-pages`` pages rendered at 300 dpi with ``pdftoppm`` (a "scan") and read by
Tesseract (German) through the core. Prints a table, then one JSON object on the last line.
No Django.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from krisenwissen.documents.extract import Limits, build_text, extract  # noqa: E402
from krisenwissen.documents.extract.ocr import ocr_available  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "data" / "documents" / "pdf"


def page_count(path: pathlib.Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def run_core(files: list[pathlib.Path]) -> tuple[float, int]:
    limits = Limits(ocr_language="-none-")  # no OCR here: text layers only
    start = time.perf_counter()
    passages = 0
    for path in files:
        passages += len(build_text(extract(path.read_bytes(), path.name, limits)).passages)
    return time.perf_counter() - start, passages


def run_pdftotext(files: list[pathlib.Path]) -> float:
    start = time.perf_counter()
    for path in files:
        subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def run_ocr(source: pathlib.Path, pages: int) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-f", "1", "-l", str(pages), str(source),
                        f"{tmp}/scan"], check=True, stderr=subprocess.DEVNULL)
        images = sorted(pathlib.Path(tmp).glob("scan*.png"))
        start = time.perf_counter()
        chars = 0
        for image in images:
            chars += len(build_text(extract(image.read_bytes(), image.name, Limits())).text)
        return time.perf_counter() - start, len(images), chars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", type=pathlib.Path, default=DEFAULT_DIR)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ocr-pages", type=int, default=3)
    parser.add_argument("--ocr-source", default="2021-02-08_CoronaImpfV.pdf")
    args = parser.parse_args()
    files = sorted(args.dir.glob("*.pdf"))
    if not files:
        sys.exit(f"keine PDF-Dateien in {args.dir}")
    pages = sum(page_count(p) for p in files)
    core_times, tool_times = [], []
    passages = 0
    for _ in range(args.repeat):
        elapsed, passages = run_core(files)
        core_times.append(elapsed)
        if shutil.which("pdftotext"):
            tool_times.append(run_pdftotext(files))
    core = min(core_times)
    tool = min(tool_times) if tool_times else None
    result = {
        "files": len(files), "pages": pages, "passages": passages,
        "pages_per_s": round(pages / core, 1),
        "pdftotext_pages_per_s": round(pages / tool, 1) if tool else None,
        "ratio_vs_pdftotext": round(core / tool, 2) if tool else None,
    }
    source = args.dir / args.ocr_source
    if ocr_available("deu") and shutil.which("pdftoppm") and source.exists() and args.ocr_pages > 0:
        elapsed, ocr_pages, chars = run_ocr(source, args.ocr_pages)
        result.update({"ocr_pages": ocr_pages, "ocr_chars": chars,
                       "ocr_pages_per_min": round(ocr_pages / elapsed * 60, 1)})
    else:
        result["ocr_pages_per_min"] = None
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["peak_rss_children_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    result["targets_met"] = bool(result["pages_per_s"] >= 30 and (tool is None or core <= 2 * tool))
    print(f"{'':28}{'Seiten/s':>10}")
    print(f"{'Extraktionskern (PDFium)':28}{result['pages_per_s']:>10}")
    if tool:
        print(f"{'pdftotext (poppler)':28}{result['pdftotext_pages_per_s']:>10}")
    print(f"OCR: {result.get('ocr_pages_per_min')} Seiten/min; Spitze RSS {result['peak_rss_mb']} MB")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
