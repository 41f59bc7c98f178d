"""The accessibility statement and the Leichte Sprache page as a person sees them: reachable from
the footer without login, axe-clean at 1280 and 375 px, the feedback form usable."""

import pytest

from .conftest import DESKTOP, PHONE, assert_accessible, assert_no_horizontal_overflow, url


@pytest.fixture
def anonymous_page(page, transactional_db):
    return page


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "375"])
def test_statement_and_easy_language_from_the_footer(anonymous_page, size):
    page = anonymous_page
    page.set_viewport_size(size)
    page.goto(url("ui:start"))
    footer = page.get_by_role("contentinfo")
    with page.expect_navigation():
        footer.get_by_role("link", name="Barrierefreiheit", exact=True).click()
    assert page.get_by_role("heading", level=1, name="Erklärung zur Barrierefreiheit").is_visible()
    for heading in ("Stand der Vereinbarkeit mit den Anforderungen", "Nicht barrierefreie Inhalte",
                    "Feedback und Kontakt", "Durchsetzungsverfahren"):
        assert page.get_by_role("heading", level=2, name=heading).is_visible()
    assert page.get_by_label("Welche Barriere haben Sie gefunden?").is_visible()
    assert_accessible(page)
    assert_no_horizontal_overflow(page, size["width"])

    with page.expect_navigation():
        page.get_by_role("contentinfo").get_by_role("link", name="Leichte Sprache").click()
    assert page.get_by_role("heading", level=1, name="Informationen in Leichter Sprache").is_visible()
    assert_accessible(page)
    assert_no_horizontal_overflow(page, size["width"])


def test_feedback_form_sends_and_shows_errors_accessibly(anonymous_page):
    from krisenwissen.ui.models import AccessibilityFeedback

    page = anonymous_page
    page.set_viewport_size(PHONE)
    page.goto(url("ui:accessibility"))
    with page.expect_navigation():
        page.get_by_role("button", name="Rückmeldung senden").click()
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)
    page.get_by_label("Welche Barriere haben Sie gefunden?").fill("Der Kontrast der Schaltflächen ist zu schwach.")
    with page.expect_navigation():
        page.get_by_role("button", name="Rückmeldung senden").click()
    assert page.get_by_text("Vielen Dank").is_visible()
    assert AccessibilityFeedback.objects.get().message.startswith("Der Kontrast")
    assert_accessible(page)


def test_help_and_operator_pages_are_accessible(anonymous_page):
    from krisenwissen.accounts.models import Municipality

    from .. import factories as f
    from .conftest import check_page, login

    page = anonymous_page
    for target in (url("ui:getting_started"), url("ui:getting_started_role", "redaktion"), url("ui:imprint"), url("ui:privacy")):
        page.goto(target)
        check_page(page)
    operator = f.UserFactory(username="betrieb", is_superuser=True, is_staff=True)
    operator.set_password("geheim-passwort-123")
    operator.save()
    Municipality.objects.create(name="Bochum", ags="05911000", is_participating=False)
    login(page, "betrieb", "geheim-passwort-123")
    page.goto(url("ui:site_page_edit", "impressum"))
    page.get_by_label("Text").fill("## Anbieter\n\nStadt Bochum, Willy-Brandt-Platz 2–6, 44777 Bochum")
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern").click()
    assert page.get_by_text("Stadt Bochum, Willy-Brandt-Platz").is_visible()
    page.goto(url("ui:site_page_edit", "datenschutz"))
    check_page(page)
    page.goto(url("ui:accessibility_feedback_list"))
    check_page(page)
    page.goto(url("ui:municipality_setup", query="q=Boch"))
    with page.expect_navigation():
        page.get_by_role("link", name="Bochum").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Kommune in die Plattform aufnehmen").click()
    assert page.get_by_role("link", name="Personen und Rollen öffnen").is_visible()
    check_page(page)
