"""Full-text search in German: inflected forms find each other and hits are highlighted."""

import re

from .conftest import READER, check_page, login, url


def test_search_krisenstaebe_highlights_krisenstab(page, demo):
    login(page, READER)
    page.goto(url("ui:start"))
    search = page.get_by_role("search", name="Wissensbasis durchsuchen")
    search.get_by_role("searchbox").fill("Krisenstäbe")
    with page.expect_navigation():
        search.get_by_role("button", name="Suchen").click()
    assert "q=Krisenst" in page.url
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Suchergebnisse"
    marks = page.locator("main .snippet mark")
    assert marks.count() > 0, "Keine hervorgehobenen Treffer"
    texts = {t.strip() for t in marks.all_inner_texts()}
    assert any(re.fullmatch(r"Krisenst(a|ä)b\w*", t, flags=re.IGNORECASE) for t in texts), texts
    assert any(t.lower() == "krisenstab" for t in texts), f"'Krisenstab' nicht hervorgehoben: {texts}"
    # The query stays in the search box.
    assert page.locator("#site-search-q").input_value() == "Krisenstäbe"
    check_page(page)


def test_search_without_hits_says_so(page, demo):
    page.goto(url("search:search", query="q=Quarkstrudelxyz"))
    assert page.get_by_text(re.compile(r"Keine Einträge gefunden")).is_visible()
    check_page(page)
