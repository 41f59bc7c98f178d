"""Makes the screenshots in docs/: docs/screenshot.png (the README's start page, 1280x900) and
docs/screenshots/<page>-1280.png / -375.png of the main pages as a new user sees them.

Not collected by default (the file name does not start with ``test_``); run it with

    make screenshots

Each picture is the visible window (not the whole page), like the first look at a page.
"""

import datetime
from pathlib import Path

from .conftest import DESKTOP, PHONE, READER, login, url

DOCS = Path(__file__).resolve().parents[2] / "docs"
TARGET = DOCS / "screenshot.png"
FOLDER = DOCS / "screenshots"
MAX_BYTES = 400_000


def _shoot(page, name: str) -> None:
    FOLDER.mkdir(exist_ok=True)
    for label, size in (("1280", DESKTOP), ("375", PHONE)):
        page.set_viewport_size(size)
        page.wait_for_load_state("networkidle")
        path = FOLDER / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=False, type="png")
        assert path.stat().st_size < MAX_BYTES, path
    page.set_viewport_size(DESKTOP)


def test_make_readme_screenshot(page, demo):
    page.set_viewport_size(DESKTOP)
    login(page, READER)  # a member of the network sees the shared knowledge, not only public items
    page.goto(url("ui:start"))
    page.wait_for_load_state("networkidle")
    TARGET.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(TARGET), full_page=False, type="png")
    assert TARGET.stat().st_size < 300_000


def test_make_page_screenshots(page, demo):
    from krisenwissen.regulations.models import Version
    from krisenwissen.workshops.models import Workshop

    versions = Version.objects.filter(legal_text__slug="ifsg")
    old = versions.get(in_force_from=datetime.date(2022, 3, 22))
    new = versions.get(in_force_from=datetime.date(2022, 9, 28))
    page.goto(url("ui:start"))
    _shoot(page, "start-anonym")
    page.goto(url("ui:accessibility"))
    _shoot(page, "barrierefreiheit")
    login(page, "mitwirkende.koeln")
    page.goto(url("ui:create"))
    _shoot(page, "neu-erfassen")
    page.get_by_role("button", name="Abmelden").click()
    login(page, "moderation.duesseldorf")
    workshop = Workshop.objects.get(title="Reflexionsraum Kommunales Krisenmanagement")
    pages = [
        ("empfehlungen", url("knowledge:recommendation_list")),
        ("reflexionsraum", url("workshops:detail", workshop.pk)),
        ("synopse", url("regulations:synopse", "ifsg") + f"?alt={old.pk}&neu={new.pk}"),
        ("lagebild", url("situation:overview", query="datum=2021-04-26")),
        ("lagebild-essen", url("situation:area_detail", "05113", query="datum=2021-04-28")),
    ]
    for name, path in pages:
        page.goto(path)
        _shoot(page, name)

    # Issue 15: the Synthesebericht and the transfer of the board into the knowledge base.
    for name, path in (("synthesebericht", url("workshops:synthesis", workshop.pk)),
                       ("uebernahme-wissen", url("workshops:knowledge", workshop.pk))):
        page.goto(path)
        _shoot(page, name)
    page.get_by_role("button", name="Abmelden").click()

    # Issue 15: the briefing knows the hazard; issue 17: Köpfe kennen (S1 of Essen's staff).
    from krisenwissen.knowledge.models import Crisis

    login(page, "mitwirkende.essen")
    flood = Crisis.objects.get(title__startswith="Hochwasser Juli 2021")
    for name, path in (("briefing-hochwasser", url("learning:crisis_briefing", flood.pk)),
                       ("koepfe", url("people:list", query="q=Krisenkommunikation")),
                       ("koepfe-abdeckung", url("people:coverage"))):
        page.goto(path)
        _shoot(page, name)
