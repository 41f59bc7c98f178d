"""An administration creates a person; the person follows the e-mailed link, sets a password, signs in."""

import re

from django.core import mail

from .conftest import check_page, login, url

NEW_PASSWORD = "Krisenstab-Notfallplan-2024"


def test_invited_person_sets_first_password_and_signs_in(page, context, demo):
    login(page, "admin.gelsenkirchen")
    page.goto(url("accounts:members", "05513"))
    form = page.locator("form", has=page.get_by_role("heading", name="Neue Person anlegen"))
    form.get_by_label("Benutzername").fill("nora.neu")
    form.get_by_label("Vorname").fill("Nora")
    form.get_by_label("Nachname").fill("Neu")
    form.get_by_label("E-Mail").fill("nora.neu@example.de")
    form.get_by_label("Rolle").select_option("mitwirkende")
    with page.expect_navigation():
        form.get_by_role("button", name="Person anlegen").click()
    assert page.get_by_text("Sie erhält eine Einladung per E-Mail").is_visible()
    assert page.get_by_role("button", name=re.compile("Einladung erneut senden")).is_visible()

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nora.neu@example.de"]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]

    invited = context.browser.new_context(base_url=page.url.split("/konto/")[0], locale="de-DE")
    try:
        person = invited.new_page()
        person.goto(path)
        assert person.get_by_role("heading", name="Passwort festlegen").is_visible()
        check_page(person)
        person.get_by_label("Neues Passwort", exact=True).fill(NEW_PASSWORD)
        person.get_by_label("Neues Passwort bestätigen").fill(NEW_PASSWORD)
        with person.expect_navigation():
            person.get_by_role("button", name="Passwort speichern").click()
        assert person.get_by_role("heading", name="Passwort gespeichert").is_visible()
        login(person, "nora.neu", NEW_PASSWORD)
        # the link is spent
        person.goto(path)
        assert person.get_by_text("ungültig").first.is_visible()
    finally:
        invited.close()
