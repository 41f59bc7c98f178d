"""Browsing the knowledge base with facets."""

import re

from .conftest import READER, check_page, login, url

COUNT_RE = re.compile(r"(\d+)")


def _result_total(page) -> int:
    text = page.locator("main [role=status]").first.inner_text()
    return int(COUNT_RE.search(text.replace(".", "")).group(1))


def _facet(page, legend: str, label: str):
    group = page.get_by_role("group", name=legend)
    checkbox = group.get_by_role("checkbox", name=re.compile(rf"^{re.escape(label)}\b"))
    row = checkbox.locator("xpath=ancestor::*[contains(@class, 'form-check') or self::li or self::label][1]")
    count_text = row.locator(".facet-count").inner_text()
    return checkbox, int(COUNT_RE.search(count_text).group(1))


def test_city_facet_narrows_results_and_shows_counts(page, demo):
    login(page, READER)
    page.goto(url("search:browse"))
    assert page.get_by_role("heading", level=1).is_visible()
    total = _result_total(page)
    assert total > 0
    facets = page.locator("form.facets")
    assert facets.locator(".facet-count").count() >= 2, "Facetten zeigen keine Anzahlen"
    check_page(page)

    checkbox, expected = _facet(page, "Kommune", "Dortmund")
    assert 0 < expected < total
    # With JavaScript the facet form submits on change.
    with page.expect_navigation():
        checkbox.check()
    assert re.search(r"municipality=", page.url)
    assert _result_total(page) == expected
    checkbox, _ = _facet(page, "Kommune", "Dortmund")
    assert checkbox.is_checked()
    hits = page.locator("main ol > li, main .results > li")
    assert hits.count() > 0
    for text in hits.all_inner_texts():
        assert "Dortmund" in text
    # Focus returns to the facet that was toggled (keyboard users keep their place).
    assert page.evaluate("document.activeElement && document.activeElement.type") == "checkbox"
    check_page(page)


def test_facets_work_without_javascript(browser, base_url, demo):
    context = browser.new_context(base_url=base_url, java_script_enabled=False, locale="de-DE")
    try:
        page = context.new_page()
        page.goto(url("search:browse"))
        total = _result_total(page)
        group = page.get_by_role("group", name="Art")
        first = group.get_by_role("checkbox").first
        first.check()
        with page.expect_navigation():
            page.get_by_role("button", name="Filter anwenden").click()
        assert _result_total(page) <= total
        assert page.get_by_role("group", name="Art").get_by_role("checkbox").first.is_checked()
    finally:
        context.close()
