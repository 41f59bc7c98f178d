"""City comparison: two cities side by side for one theme."""

from .conftest import READER, check_page, login, url


def test_compare_two_cities_for_a_theme(page, demo):
    login(page, READER)
    page.goto(url("knowledge:compare"))
    check_page(page)
    cities = page.get_by_role("group", name="Städte")
    cities.get_by_role("checkbox", name="Dortmund").check()
    cities.get_by_role("checkbox", name="Essen").check()
    theme = page.get_by_label("Themenschwerpunkt")
    options = [o for o in theme.locator("option").all_inner_texts()]
    chosen = next(o for o in options if "Krisenstab" in o) if any("Krisenstab" in o for o in options) else options[1]
    theme.select_option(label=chosen)
    with page.expect_navigation():
        page.get_by_role("button", name="Vergleichen").click()
    assert "stadt=" in page.url and "thema=" in page.url
    grid = page.locator(".compare-grid")
    columns = grid.locator("> section")
    assert columns.count() == 2
    headings = [h.strip() for h in grid.locator("> section > h2").all_inner_texts()]
    assert headings == sorted(headings, key=lambda h: ["Dortmund", "Essen"].index(h)) and set(headings) == {"Dortmund", "Essen"}
    # The choice is kept in the form.
    assert page.get_by_role("group", name="Städte").get_by_role("checkbox", name="Dortmund").is_checked()
    assert chosen in page.get_by_label("Themenschwerpunkt").locator("option:checked").inner_text()
    check_page(page)


def test_compare_needs_two_cities(page, demo):
    login(page, READER)
    page.goto(url("knowledge:compare"))
    page.get_by_role("group", name="Städte").get_by_role("checkbox", name="Essen").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Vergleichen").click()
    assert "mindestens zwei Städte" in page.get_by_role("alert").inner_text()
    check_page(page)
