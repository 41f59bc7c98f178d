"""Logging in and out through the real form."""

import re

from .conftest import CONTRIBUTOR, PASSWORD, check_page, login, url


def test_login_success_shows_user_and_logout(page, demo):
    page.goto(url("ui:start"))
    page.get_by_role("banner").get_by_role("link", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/konto/anmelden/"))
    check_page(page)
    login(page, CONTRIBUTOR, PASSWORD)
    assert page.get_by_role("banner").get_by_text("Angemeldet als").is_visible()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Abmelden").click()
    assert page.get_by_role("banner").get_by_role("link", name="Anmelden").is_visible()


def test_wrong_password_shows_german_error(page, demo):
    page.goto(url("accounts:login"))
    page.get_by_label("Benutzername").fill(CONTRIBUTOR)
    page.get_by_label("Passwort").fill("falsches-passwort")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Anmelden").click()
    error = page.get_by_role("alert")
    assert error.is_visible()
    text = error.inner_text()
    assert re.search(r"Benutzername|Passwort|Anmeld", text), f"Keine deutsche Fehlermeldung: {text!r}"
    assert "password" not in text.lower().replace("passwort", "")
    # Still logged out, the username is kept, the password is not.
    assert page.get_by_role("banner").get_by_role("link", name="Anmelden").is_visible()
    assert page.get_by_label("Benutzername").input_value() == CONTRIBUTOR
    assert page.get_by_label("Passwort").input_value() == ""
    check_page(page)
