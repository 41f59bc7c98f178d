"""Pages for reading (issue 14): the Lagebild area page, the Synopse defaults, the navigation at
1280 px, the favicon, and the touched forms and lists, each checked with axe at 1280 and 375 px."""

from __future__ import annotations

import re

from .conftest import DESKTOP, EDITOR, check_page, login, url


def test_navigation_stays_on_one_line_at_1280_px(page, demo):
    """The administrator sees the most entries (Freigaben, Verwaltung): still one line."""
    login(page, "admin")
    page.set_viewport_size(DESKTOP)
    for target in (url("ui:start"), url("situation:overview", query="datum=2021-04-26")):
        page.goto(target)
        tops = page.locator(".main-nav__list > li").evaluate_all(
            "items => items.map(li => Math.round(li.getBoundingClientRect().top))")
        assert len(tops) >= 11, tops
        assert len(set(tops)) == 1, f"Navigation bricht bei 1280 px um: {tops}"
        list_box = page.locator(".main-nav__list").bounding_box()
        assert list_box["x"] + list_box["width"] <= DESKTOP["width"]


def test_favicon_is_linked_and_loads(page, demo):
    page.goto(url("regulations:list"))
    href = page.locator('link[rel="icon"]').get_attribute("href")
    assert href and href.endswith("favicon.svg")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in response.body()


def test_lagebild_area_page_chart_first_tables_collapsed(page, demo):
    login(page, EDITOR)
    page.goto(url("situation:area_detail", "05113", query="datum=2021-04-26"))
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings.index("Verlauf") < headings.index("Regeln")
    table = page.locator("details[data-values-table]")
    assert table.get_attribute("open") is None
    assert not page.get_by_role("table", name=re.compile("7-Tage-Inzidenz")).is_visible()
    table.locator("summary").click()
    assert page.get_by_role("table", name=re.compile("7-Tage-Inzidenz")).is_visible()
    assert table.get_by_role("link", name="Daten als CSV herunterladen").is_visible()
    rules = page.get_by_role("table", name="Status, Geltungszeiträume und Prognose je Regel").inner_text()
    assert "seit 24.04.2021" in rules and "heute" not in rules
    assert re.search(r"Einwohner \d{3}\.\d{3}", page.locator("header.page-header").inner_text())
    check_page(page)


def test_synopse_starts_on_two_different_versions(page, demo):
    page.goto(url("regulations:synopse", "ifsg"))
    old = page.locator("#s-alt").input_value()
    new = page.locator("#s-neu").input_value()
    assert old and new and old != new
    check_page(page)
    page.goto(url("regulations:detail", "ifsg"))
    assert page.locator("#cmp-alt").input_value() != page.locator("#cmp-neu").input_value()
    check_page(page)


def test_action_form_and_search_facets_are_accessible(page, demo):
    login(page, "mitwirkende.essen")
    page.goto(url("learning:action_create"))
    options = page.locator("select[name=department] option").all_inner_texts()
    assert not any("(" in o for o in options), options  # no other city's departments
    check_page(page)
    page.goto(url("search:browse"))
    check_page(page)
