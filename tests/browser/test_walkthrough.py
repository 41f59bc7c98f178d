"""The README's demo walkthrough in a real browser, with the demo roles (issue 14).

mitwirkende.koeln finds "Neu erfassen" on the start page, records an observation naming a
person and asks for "öffentlich"; redaktion.koeln finds the request, cannot publish the
flagged name with one tick, removes it on the review page and publishes; an anonymous
visitor reads the entry without the name. Every page on the way is checked with axe at
1280 and 375 px.
"""

import re

from .conftest import check_page, login

NAME = "Frau Sabine Krüger"
TEXT = f"{NAME} vom Gesundheitsamt hat die Schichtpläne des Bürgertelefons jede Woche neu geschrieben, weil Personal fehlte."
REDACTED = "Die Leitung des Bürgertelefons hat die Schichtpläne jede Woche neu geschrieben, weil Personal fehlte."


def test_readme_walkthrough_create_request_review_edit_publish(browser, base_url, page, demo):
    # 1. Mitwirkende (Köln) finds "Neu erfassen" on the start page.
    login(page, "mitwirkende.koeln")
    page.goto("/")
    create = page.get_by_role("region", name="Neu erfassen")
    check_page(page)
    with page.expect_navigation():
        create.get_by_role("link", name="Neue Beobachtung erfassen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Beobachtung erfassen"
    # The code picker: grouped, with a filter that narrows the list.
    code_filter = page.get_by_label("Codes filtern")
    assert code_filter.is_visible()
    groups = page.locator("[data-code-group]")
    assert groups.count() >= 2
    all_codes = page.locator("[data-code-option]:visible").count()
    code_filter.fill("Kommunikation")
    assert 0 < page.locator("[data-code-option]:visible").count() < all_codes
    page.locator("[data-code-option]:visible input").first.check()
    code_filter.fill("")
    assert "---------" not in page.locator("main").inner_text()
    check_page(page)
    page.get_by_role("combobox", name=re.compile("^Art")).select_option(label="Erfahrung")
    page.get_by_role("textbox", name=re.compile("^Text")).fill(TEXT)
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern").click()
    assert "Gespeichert" in page.get_by_role("status").first.inner_text()
    detail = page.url
    meta = page.locator("main .meta-list").inner_text()
    assert "anonym (Köln)" in meta and "Erfasst am" in meta
    check_page(page)

    # 2. ... and asks for "öffentlich".
    page.get_by_role("group", name="Sichtbarkeit ändern").get_by_role("radio", name="öffentlich").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Sichtbarkeit beantragen").click()
    assert "Freigabe wurde beantragt" in page.get_by_role("status").first.inner_text()
    page.context.clear_cookies()

    # 3. Redaktion (Köln) finds the request with the flagged name.
    login(page, "redaktion.koeln")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    with page.expect_navigation():
        nav.get_by_role("link", name="Freigaben").click()
    row = page.get_by_role("row").filter(has_text="Köln").filter(has_text=re.compile("Hinweis"))
    assert row.count() == 1
    with page.expect_navigation():
        row.get_by_role("link").first.click()
    flags = page.get_by_role("region", name="Hinweise auf personenbezogene Daten")
    assert NAME in flags.inner_text()
    check_page(page)

    # One tick is not enough while a name is flagged.
    page.get_by_role("radio", name="Freigeben").check()
    page.get_by_role("checkbox", name=re.compile("personenbezogene Daten geprüft")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Entscheidung speichern").click()
    assert page.get_by_text(re.compile("begründen Sie, warum er trotzdem")).first.is_visible()
    check_page(page)

    # 4. Edit the text on the review page itself.
    edit = page.get_by_role("region", name="Text bearbeiten")
    edit.get_by_role("textbox", name=re.compile("^Text")).fill(REDACTED)
    with page.expect_navigation():
        edit.get_by_role("button", name="Text speichern und neu prüfen").click()
    assert "keine Hinweise" in page.get_by_role("status").first.inner_text()
    assert NAME not in page.get_by_role("main").inner_text()
    check_page(page)

    # 5. Publish.
    page.get_by_role("radio", name="Freigeben").check()
    page.get_by_role("checkbox", name=re.compile("personenbezogene Daten geprüft")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Entscheidung speichern").click()
    assert "Freigegeben" in page.get_by_role("status").first.inner_text()

    # An anonymous visitor reads it, without the name.
    anonymous = browser.new_context(base_url=base_url, locale="de-DE")
    try:
        visitor = anonymous.new_page()
        assert visitor.goto(detail).status == 200
        main = visitor.get_by_role("main").inner_text()
        assert "Leitung des Bürgertelefons" in main and "Krüger" not in main
        assert visitor.locator("main .badge--oeffentlich").first.is_visible()
    finally:
        anonymous.close()


def test_entry_points_and_published_evidence_are_accessible(browser, base_url, page, demo):
    """The "Neu erfassen" page and the lists with their button (Mitwirkende), and a public
    recommendation for an anonymous visitor with the published evidence strength."""
    from krisenwissen.knowledge.models import Recommendation

    login(page, "mitwirkende.essen")
    page.get_by_role("link", name="Neu erfassen").first.click()
    page.wait_for_url("**/neu/")
    kinds = page.get_by_role("region", name="Was möchten Sie erfassen?")
    for kind in ("Beobachtung", "Erkenntnis", "Handlungsempfehlung", "Gute Praxis", "Maßnahme"):
        assert kinds.get_by_role("link", name=kind, exact=True).is_visible()
    check_page(page)
    page.goto("/erkenntnisse/")
    assert page.get_by_role("link", name="Neue Erkenntnis erfassen").is_visible()
    check_page(page)
    page.context.clear_cookies()

    public = Recommendation.objects.filter(visibility="oeffentlich").exclude(evidence_cities=None).first()
    page.goto(public.get_absolute_url())
    trail = page.get_by_role("region", name="Nachweiskette").inner_text()
    assert f"in {public.evidence_cities} von {public.evidence_total} Städten beobachtet" in trail
    assert "in 0 von" not in trail
    assert page.get_by_role("link", name="Neu erfassen").count() == 0
    check_page(page)
