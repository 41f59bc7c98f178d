"""Search that helps (issue 19): "Meinten Sie …?", "Gibt es schon" while writing, and an honest
empty result for anonymous visitors."""

import re

from .conftest import CONTRIBUTOR, check_page, login, url


def test_typo_krisenstap_offers_krisenstab_and_the_link_searches_it(page, demo):
    page.goto(url("search:search", query="q=Krisenstap"))
    offer = page.locator("main .spelling-suggestion")
    assert offer.is_visible()
    assert "Meinten Sie" in offer.inner_text()
    link = offer.get_by_role("link", name="Krisenstab")
    check_page(page)
    with page.expect_navigation():
        link.click()
    assert "q=Krisenstab" in page.url
    assert page.locator("main .result-list li").count() > 0
    assert page.locator("main .spelling-suggestion").count() == 0


def test_writing_a_new_observation_shows_a_similar_existing_one(page, demo):
    login(page, CONTRIBUTOR)
    page.goto(url("knowledge:item_create", "observation"))
    page.locator("#id_text").fill(
        "Der Krisenstab musste in der ersten Phase täglich tagen, die Schutzausrüstung fehlte.")
    similar = page.locator("#similar-items")
    similar.get_by_role("heading", name="Gibt es schon?").wait_for()
    links = similar.get_by_role("link")
    assert links.count() > 0
    assert any("krisenstab" in text.lower() for text in similar.locator("li").all_inner_texts())
    check_page(page)
    # Nothing was saved: the draft is still in the form.
    assert "Schutzausrüstung" in page.locator("#id_text").input_value()


def test_anonymous_empty_search_explains_sign_in_without_counts(page, demo):
    page.goto(url("search:search", query="q=Quarkstrudelxyz"))
    hint = page.locator("main .signin-hint")
    assert hint.is_visible()
    text = hint.inner_text()
    assert "Angemeldete Mitglieder einer Kommune" in text
    assert not re.search(r"\d", text), f"the hint must not contain any number: {text!r}"
    assert hint.get_by_role("link", name="Anmelden").is_visible()
    check_page(page)
