"""pdftotext (poppler-utils) for tests: the text a reader copies and the word boxes on each page.

Skips on a workstation without poppler-utils; fails under ``CI=true`` (CI installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.etree import ElementTree


def binary() -> str:
    import pytest

    found = shutil.which("pdftotext")
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("pdftotext (poppler-utils) fehlt in CI.", pytrace=False)
    # Justified skip: only on a workstation without poppler-utils; under CI=true this fails above.
    pytest.skip("pdftotext (poppler-utils) is not installed")


def _run(data: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory(prefix="pdftools-") as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        return subprocess.run([binary(), *args, "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout


def text(data: bytes) -> str:
    """Text in content order (``-raw``: the order a screen reader and copy use)."""
    return _run(data, "-raw")


def pages(data: bytes) -> list[dict]:
    """Word boxes per page: [{page, width, height, words: [(text, x0, y0, x1, y1)]}] (points, y down)."""
    html = _run(data, "-bbox")
    html = re.sub(r"<!DOCTYPE[^>]*>", "", html).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    out = []
    for number, page in enumerate(ElementTree.fromstring(html).iter("page"), start=1):
        words = [(w.text or "", float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")))
                 for w in page.iter("word")]
        out.append({"page": number, "width": float(page.get("width")), "height": float(page.get("height")),
                    "words": words})
    return out
