"""The vendored KERN UX design system: its stylesheet and the Fira Sans font load from our own
static files (no CDN, nothing blocked by the Content Security Policy, no 404), on the start page
and on the main pages of every capability.

Set ``KRISENWISSEN_SCREENSHOT_DIR`` to keep a screenshot of each page at 1280 and 375 px.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import DESKTOP, PHONE, READER, check_page, login, url

pytestmark = pytest.mark.django_db(transaction=True)

KERN_UX_VERSION = "2.7.2"
KERN_CSS = f"/static/ui/vendor/kern-ux/{KERN_UX_VERSION}/kern.min.css"
FIRA_CSS = f"/static/ui/vendor/kern-ux/{KERN_UX_VERSION}/fonts/fira-sans.css"


def _record_static(page) -> list[tuple[int, str]]:
    """Every answer to a request for a static file, as (status, url)."""
    seen: list[tuple[int, str]] = []
    page.on("response", lambda r: seen.append((r.status, r.url)) if "/static/" in r.url else None)
    # A request the browser cancels because the page navigates on (a form submitted while the
    # fonts still load) is not a missing file.
    page.on(
        "requestfailed",
        lambda r: seen.append((0, r.url)) if "/static/" in r.url and "ERR_ABORTED" not in (r.failure or "") else None,
    )
    return seen


def _kern_state(page) -> dict:
    page.evaluate("document.fonts.ready.then(() => true)")
    return page.evaluate(
        """([kernCss, firaCss]) => {
            const sheets = [...document.styleSheets].map(s => {
                let rules = -1;
                try { rules = s.cssRules.length; } catch (e) { rules = -1; }
                return {href: s.href ? new URL(s.href).pathname : '', rules};
            });
            const faces = [...document.fonts].filter(f => f.family.replace(/["']/g, '') === 'Fira Sans');
            const root = getComputedStyle(document.documentElement);
            return {
                sheets,
                kernIndex: sheets.findIndex(s => s.href === kernCss),
                firaIndex: sheets.findIndex(s => s.href === firaCss),
                ownIndex: sheets.findIndex(s => s.href.endsWith('/static/ui/kern.css')),
                loadedFaces: faces.filter(f => f.status === 'loaded').map(f => f.weight + ' ' + f.style),
                bodyFont: getComputedStyle(document.body).fontFamily,
                h1Font: getComputedStyle(document.querySelector('h1')).fontFamily,
                kernAction: root.getPropertyValue('--kern-color-action-default').trim(),
                firaAvailable: document.fonts.check('16px "Fira Sans"'),
            };
        }""",
        [KERN_CSS, FIRA_CSS],
    )


def _assert_kern_in_use(page, static: list[tuple[int, str]]) -> None:
    state = _kern_state(page)
    assert state["kernIndex"] >= 0, f"KERN-Stylesheet {KERN_CSS} fehlt: {state['sheets']}"
    assert state["firaIndex"] >= 0, f"Fira-Sans-Stylesheet {FIRA_CSS} fehlt: {state['sheets']}"
    assert state["sheets"][state["kernIndex"]]["rules"] > 100, "KERN-Stylesheet ohne Regeln geladen"
    assert 0 <= state["firaIndex"] < state["kernIndex"] < state["ownIndex"], (
        f"Reihenfolge: Schrift, KERN, dann unser kern.css erwartet: {state['sheets']}"
    )
    assert state["kernAction"], "KERN-Token --kern-color-action-default nicht definiert"
    assert "Fira Sans" in state["bodyFont"] and "Fira Sans" in state["h1Font"], state
    assert "400 normal" in state["loadedFaces"], f"Fira Sans Regular nicht geladen: {state['loadedFaces']}"
    assert state["firaAvailable"], "document.fonts.check('16px \"Fira Sans\"') ist falsch"
    failed = [(status, u) for status, u in static if status == 0 or status >= 400]
    assert not failed, f"Statische Dateien nicht geladen: {failed}"
    fonts = [u for status, u in static if u.endswith(".woff2")]
    assert fonts and all(urlsplit(u).netloc == urlsplit(page.url).netloc for u in fonts), (
        f"Schriften nicht vom eigenen Server: {fonts}"
    )


def _assert_region_focus_ring(page) -> None:
    """A scrollable table region reached by keyboard shows our black ring (KERN's CSS removes the
    outline of focus-visible [tabindex] elements)."""
    page.keyboard.press("Shift")  # keyboard modality: the next focus is focus-visible
    ring = page.locator('.table-wrap[tabindex="0"]').first.evaluate(
        """(el) => { el.focus(); const cs = getComputedStyle(el);
                    return {visible: el.matches(':focus-visible'), style: cs.outlineStyle,
                            width: cs.outlineWidth, color: cs.outlineColor}; }"""
    )
    assert ring["visible"] and ring["style"] == "solid" and ring["width"] == "3px", ring
    red, green, blue = (int(c) for c in ring["color"][ring["color"].index("(") + 1:-1].split(",")[:3])
    assert max(red, green, blue) < 60, f"Fokusrahmen nicht dunkel: {ring}"


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("KRISENWISSEN_SCREENSHOT_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for label, size in (("1280", DESKTOP), ("375", PHONE)):
        page.set_viewport_size(size)
        page.wait_for_timeout(50)
        page.screenshot(path=str(Path(folder) / f"{name}-{label}.png"), full_page=True, timeout=120_000)
    page.set_viewport_size(DESKTOP)


def test_start_page_loads_kern_stylesheet_and_fira_sans(page, demo):
    static = _record_static(page)
    page.goto(url("ui:start"))
    _assert_kern_in_use(page, static)
    # The licences travel with the files.
    for path in (f"/static/ui/vendor/kern-ux/{KERN_UX_VERSION}/LICENSE.md",
                 f"/static/ui/vendor/kern-ux/{KERN_UX_VERSION}/fonts/OFL.txt"):
        assert page.request.get(path).status == 200, path
    _screenshot(page, "start")
    check_page(page)


def _synopse_query() -> str:
    from krisenwissen.regulations.models import Version

    versions = Version.objects.filter(legal_text__slug="ifsg")
    old = versions.get(in_force_from=datetime.date(2022, 3, 22))
    new = versions.get(in_force_from=datetime.date(2022, 9, 28))
    return f"alt={old.pk}&neu={new.pk}"


def test_main_pages_use_kern(page, demo):
    """Knowledge list, a workshop, the Lagebild overview and a Synopse: KERN loaded, axe clean."""
    from krisenwissen.workshops.models import Workshop

    static = _record_static(page)
    login(page, "moderation.duesseldorf")
    workshop = Workshop.objects.get(title="Reflexionsraum Kommunales Krisenmanagement")
    pages = [
        ("wissen", url("knowledge:recommendation_list")),
        ("workshop", url("workshops:detail", workshop.pk)),
        ("synopse", url("regulations:synopse", "ifsg") + "?" + _synopse_query()),
    ]
    for name, path in pages:
        page.goto(path)
        _assert_kern_in_use(page, static)
        if name == "workshop":
            _assert_region_focus_ring(page)
        _screenshot(page, name)
        check_page(page)
    page.get_by_role("button", name="Abmelden").click()
    login(page, READER)
    page.goto(url("situation:overview", query="datum=2021-04-26"))
    _assert_kern_in_use(page, static)
    _screenshot(page, "lagebild")
    check_page(page)
