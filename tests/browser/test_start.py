"""Start page: what a first-time visitor sees."""

from .conftest import check_page, url


def test_start_page_shows_platform_and_knowledge(page, demo):
    page.goto(url("ui:start"))
    assert page.title().endswith("krisenwissen")
    header = page.get_by_role("banner")
    assert header.get_by_text("krisenwissen", exact=True).is_visible()
    assert header.get_by_text("Wissensplattform kommunales Krisenmanagement").is_visible()
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    for label in ("Start", "Wissen", "Handlungsempfehlungen", "Gute Praxis", "Städtevergleich"):
        assert nav.get_by_role("link", name=label, exact=True).is_visible()
    assert nav.get_by_role("link", name="Start", exact=True).get_attribute("aria-current") == "page"
    assert page.get_by_role("main").get_by_role("heading", level=1).is_visible()
    assert page.get_by_role("contentinfo").get_by_text("EUPL-1.2").is_visible()
    check_page(page)


def test_language_switch_to_english_and_back(page, demo):
    page.goto(url("ui:start"))
    assert page.locator("html").get_attribute("lang") == "de"
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="English").get_attribute("aria-pressed") == "true"
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Deutsch").click()
    assert page.locator("html").get_attribute("lang") == "de"
