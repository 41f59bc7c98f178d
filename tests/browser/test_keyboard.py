"""Keyboard only: skip link first, visible focus, reach the content."""

from .conftest import check_page, url


def _focus_is_visible(page) -> bool:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
            const shadow = s.boxShadow && s.boxShadow !== 'none';
            const bg = s.backgroundColor === 'rgb(255, 210, 63)';
            return outline || shadow || bg;
        }"""
    )


def test_tab_reaches_skip_link_first_and_focus_is_visible(page, demo):
    page.goto(url("ui:start"))
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent.trim()]")
    assert focused == ["skip-link", "Zum Inhalt springen"]
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    assert skip.is_visible()
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["width"] > 20
    assert _focus_is_visible(page)

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    in_main = page.evaluate("document.activeElement.closest('main') !== null")
    assert in_main, "Nach dem Sprunglink landet der Fokus nicht im Inhalt"
    assert _focus_is_visible(page)


def test_every_header_control_shows_focus(page, demo):
    page.goto(url("ui:start"))
    seen = 0
    for _ in range(12):
        page.keyboard.press("Tab")
        tag = page.evaluate("document.activeElement.tagName")
        if page.evaluate("document.activeElement.closest('main') !== null"):
            break
        assert _focus_is_visible(page), f"Fokus nicht sichtbar auf {tag}: " + page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
        seen += 1
    assert seen >= 6  # skip link, brand, search, button, login, languages, navigation …
    check_page(page)
