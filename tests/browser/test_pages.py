"""Every other page a user reaches: no axe violations, no sideways scrolling at 375 px."""

import pytest

from .conftest import CONTRIBUTOR, READER, check_page, login, url


def _first(model, **filters):
    obj = model.objects.filter(**filters).order_by("pk").first()
    assert obj is not None, f"Keine Demo-Daten für {model.__name__} {filters}"
    return obj


@pytest.mark.parametrize(
    "name",
    ["lesson_list", "goodpractice_list", "goodpractice_detail", "quote", "browse_page_2"],
)
def test_reader_pages(page, demo, name):
    from krisenwissen.knowledge.models import GoodPractice, Observation

    targets = {
        "lesson_list": lambda: url("knowledge:lesson_list"),
        "goodpractice_list": lambda: url("knowledge:goodpractice_list"),
        "goodpractice_detail": lambda: _first(GoodPractice, visibility__in=["netzwerk", "oeffentlich"]).get_absolute_url(),
        "quote": lambda: _first(Observation, kind="zitat", visibility__in=["netzwerk", "oeffentlich"]).get_absolute_url(),
        "browse_page_2": lambda: url("search:browse", query="seite=2"),
    }
    login(page, READER)
    response = page.goto(targets[name]())
    assert response.status == 200
    assert page.get_by_role("heading", level=1).count() == 1
    check_page(page)


def test_contributor_form_page(page, demo):
    login(page, CONTRIBUTOR)
    response = page.goto(url("knowledge:item_create", "observation"))
    assert response.status == 200
    check_page(page)
    # Submitting the empty form shows errors next to the fields, in German.
    with page.expect_navigation():
        page.locator("main form").get_by_role("button").last.click()
    assert page.locator("main [aria-invalid=true]").count() >= 1
    assert "Pflichtfeld" in page.get_by_role("main").inner_text() or "erforderlich" in page.get_by_role("main").inner_text()
    check_page(page)


def test_admin_pages(page, demo):
    login(page, "admin")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    response = page.goto(url("accounts:admin_home"))
    assert response.status == 200
    check_page(page)
    if nav.get_by_role("link", name="Verwaltung").count():
        assert nav.get_by_role("link", name="Verwaltung").get_attribute("aria-current") == "page"
    response = page.goto(url("accounts:audit_log"))
    assert response.status == 200
    check_page(page)

