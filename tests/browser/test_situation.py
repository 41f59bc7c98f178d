"""Lagebild in a real browser: dashboard on 26 April 2021, comparison, import with report."""

import re

from .conftest import EDITOR, PHONE, READER, check_page, login, url


def test_dashboard_26_april_2021(page, demo):
    login(page, READER)
    page.goto(url("situation:overview", query="datum=2021-04-26"))
    assert page.get_by_role("heading", level=1).inner_text().endswith("Lage am 26.04.2021")
    cards = page.locator(".situation-card")
    assert cards.count() == 5
    names = [h.strip() for h in page.locator(".situation-card h2").all_inner_texts()]
    assert names == ["Dortmund", "Düsseldorf", "Essen", "Gelsenkirchen", "Köln"]
    for i in range(5):
        card = cards.nth(i)
        text = card.inner_text()
        # Bundesnotbremse 100: in force since 24.04.2021, as text and symbol (not colour alone).
        assert re.search(r"Notbremse ab 100\s*:?\s*●\s*in Kraft", text), text
        assert "seit 24.04.2021" in text
    essen = cards.nth(2).inner_text()
    assert re.search(r"Distanzunterricht ab 165\s*:?\s*●\s*in Kraft", essen)
    dus = cards.nth(1).inner_text()
    assert re.search(r"Distanzunterricht ab 165\s*:?\s*○\s*nicht in Kraft", dus)
    check_page(page)


def test_date_picker_and_comparison(page, demo):
    login(page, READER)
    page.goto(url("situation:overview", query="datum=2021-04-26"))
    page.get_by_label("Lage am").fill("2021-05-25")
    with page.expect_navigation():
        page.get_by_role("button", name="Anzeigen").click()
    assert "datum=2021-05-25" in page.url
    assert "Lage am 25.05.2021" in page.get_by_role("heading", level=1).inner_text()
    page.goto(url("situation:compare", query="datum=2021-04-26"))
    assert page.locator("svg[role=img]").count() == 1
    assert page.get_by_role("link", name="Daten als CSV herunterladen").count() == 1
    check_page(page)


def test_import_page_with_report(page, demo, tmp_path):
    login(page, EDITOR)
    page.goto(url("situation:import"))
    check_page(page)
    bad = tmp_path / "eigene.csv"
    bad.write_text("ags;indikator;datum;wert\n05913;faelle_neu;2021-04-26;12\n05913;faelle_neu;2021-04-26;13\n",
                   encoding="utf-8")
    page.get_by_label("Datei").set_input_files(str(bad))
    page.get_by_role("button", name="Importieren").click()
    page.wait_for_url(re.compile(r"/lagebild/import/\d+/"))
    assert "Importbericht" in page.get_by_role("heading", level=1).inner_text()
    assert "doppelt" in page.locator("table").last.inner_text()
    check_page(page)


def test_other_lagebild_pages_are_accessible(page, demo):
    login(page, EDITOR)
    for target in (url("situation:area_detail", "05113", query="datum=2021-04-26"), url("situation:rulesets"),
                   url("situation:indicators"), url("situation:follow"), url("situation:note_create"),
                   url("situation:public", "05113")):
        page.goto(target)
        assert page.get_by_role("heading", level=1).count() == 1, target
        check_page(page)
    page.goto(url("situation:area_detail", "05113", query="datum=2021-04-26"))
    assert page.locator("svg[role=img]").count() == 1
    # Essen's schools (165) in force from 26.04.2021: a period still running reads "seit …" (issue 14)
    assert "seit 26.04.2021" in page.get_by_role("table", name="Status, Geltungszeiträume und Prognose je Regel").inner_text()


def test_invalid_date_shows_german_message(page, demo):
    login(page, READER)
    page.goto(url("situation:overview", query="datum=0001-01-01"))
    assert page.get_by_text("Bitte ein Datum zwischen dem 01.01.2000 und dem 31.12.2099 angeben.").count() == 1
    assert page.get_by_label("Lage am").get_attribute("aria-invalid") == "true"
    check_page(page)


def test_overview_cards_keep_values_readable(page, demo):
    """Four narrow cards side by side: the value stands under the indicator name (not squeezed to one
    letter per line beside it), and a fallback note is one box, not one pill per line."""
    login(page, EDITOR)
    page.goto(url("situation:overview", query="datum=2023-06-04"))
    values = page.locator(".situation-card .meta-list dd")
    assert values.count() > 0
    widths = values.evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert min(widths) > 150, widths
    notes = page.locator(".situation-card [data-fallback]")
    if notes.count():
        assert notes.first.evaluate("el => el.getClientRects().length") == 1


def test_area_page_keeps_todays_values_when_the_date_changes(page, demo):
    login(page, READER)
    page.goto(url("situation:area_detail", "05113", query="datum=2021-04-28"))
    page.get_by_role("link", name="Stattdessen auswerten auf", exact=False).click()
    page.wait_for_url(re.compile(r"werte=heute"))
    page.get_by_label("Lage am").fill("2021-05-20")
    with page.expect_navigation():
        page.get_by_role("button", name="Anzeigen").click()
    assert "werte=heute" in page.url and "datum=2021-05-20" in page.url
    assert "Ausgewertet auf: heutige Werte" in page.locator("main").inner_text()
    # On a phone the rules table reads as blocks: the forecast is on screen, not in a side scroller.
    page.set_viewport_size(PHONE)
    box = page.locator("td[data-label='Prognose']").first.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"], box
    check_page(page)


def test_lagebild_subpages_have_breadcrumbs(page, demo):
    login(page, EDITOR)
    for target in (url("situation:rulesets"), url("situation:indicators"), url("situation:follow"),
                   url("situation:note_create")):
        page.goto(target)
        crumbs = page.get_by_role("navigation", name="Brotkrumennavigation")
        assert crumbs.get_by_role("link", name="Lagebild").count() == 1, target
