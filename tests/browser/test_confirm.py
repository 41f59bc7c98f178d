"""Destructive actions ask first (data-confirm → accessible <dialog>)."""

from .conftest import check_page, login, url

ESSEN = "05113"


def test_removing_a_membership_asks_for_confirmation(page, demo):
    login(page, "admin")
    page.goto(url("accounts:members", ESSEN))
    check_page(page)
    members = page.get_by_role("table", name="Mitglieder")
    row = members.get_by_role("row").filter(has_text="leser.essen")
    assert row.count() == 1

    # Cancel: the dialog closes, focus returns to the button, nothing is removed.
    button = row.get_by_role("button", name="Entfernen leser.essen")
    button.click()
    dialog = page.get_by_role("dialog")
    assert dialog.is_visible()
    assert "Mitgliedschaft wirklich entfernen?" in dialog.inner_text()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Abbrechen"
    check_page(page)
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.textContent.trim()").startswith("Entfernen")
    assert members.get_by_role("row").filter(has_text="leser.essen").count() == 1

    # Confirm: the form is submitted.
    button.click()
    with page.expect_navigation():
        page.get_by_role("dialog").get_by_role("button", name="Ja, fortfahren").click()
    assert "Mitgliedschaft entfernt" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("table", name="Mitglieder").get_by_role("row").filter(has_text="leser.essen").count() == 0
