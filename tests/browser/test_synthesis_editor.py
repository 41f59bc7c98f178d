"""The Synthesebericht editor in a real browser: accessible at 1280 and 375 px, usable with the
server-rendered forms (move a block, mark final, read-only view with the timeline SVG)."""

from __future__ import annotations

from .conftest import DESKTOP, PHONE, assert_accessible, check_page, login, url


def test_synthesis_block_editor_is_accessible_and_works(page, demo):
    from playwright.sync_api import expect

    from krisenwissen.workshops.models import Workshop

    essen = Workshop.objects.get(title="Reflexionsraum Kommunales Krisenmanagement")
    login(page, "moderation.duesseldorf")
    page.goto(url("workshops:synthesis", essen.pk))
    expect(page.get_by_role("heading", level=1, name="Synthesebericht")).to_be_visible()
    expect(page.get_by_role("group", name="Block 1: Überschrift")).to_be_visible()
    check_page(page)
    # Move block 2 down: block 3 is now what block 2 was.
    second = page.get_by_label("Text des Absatzes").first.input_value()
    with page.expect_navigation():
        page.get_by_role("button", name="Block 2 nach unten").click()
    expect(page.get_by_role("group", name="Block 3: Absatz").get_by_label("Text des Absatzes")).to_have_value(second)
    # The preview shows the timeline as one labelled SVG image and the quotes beside their text.
    page.goto(url("workshops:synthesis", essen.pk, query="ansicht=vorschau"))
    expect(page.locator("figure svg[role=img]")).to_have_count(1)
    expect(page.locator(".synthesis__beside aside").first).to_be_visible()
    check_page(page)
    page.set_viewport_size(PHONE)
    box = page.locator(".synthesis__beside").first.bounding_box()
    assert box and box["width"] <= PHONE["width"]
    page.set_viewport_size(DESKTOP)
    # Final: read-only.
    page.goto(url("workshops:synthesis", essen.pk))
    page.get_by_label("Bericht ist abgeschlossen (danach nur noch lesbar)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern", exact=True).last.click()
    expect(page.get_by_text("nur noch lesbar")).to_be_visible()
    expect(page.get_by_role("button", name="Wieder zur Bearbeitung öffnen")).to_be_visible()
    assert page.locator("textarea").count() == 0
    assert_accessible(page)
    essen.refresh_from_db()
    assert essen.synthesis_final
