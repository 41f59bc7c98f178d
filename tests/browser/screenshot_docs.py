"""Makes docs/screenshot.png (start page with demo content, 1280x900).

Not collected by default; run explicitly:

    .venv/bin/pytest tests/browser/screenshot_docs.py
"""

from pathlib import Path

from .conftest import DESKTOP, READER, login, url

TARGET = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"


def test_make_readme_screenshot(page, demo):
    page.set_viewport_size(DESKTOP)
    login(page, READER)  # a member of the network sees the shared knowledge, not only public items
    page.goto(url("ui:start"))
    page.wait_for_load_state("networkidle")
    TARGET.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(TARGET), full_page=False, type="png")
    assert TARGET.stat().st_size < 300_000
