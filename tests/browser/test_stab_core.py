"""The crisis staff core in the browser (issue 16): from the navigation entry "Krisenstab" to a
staff activated from a template with a holder assigned at activation, the staff page with
coverage gaps and ÜBUNG mark, the assignment page, the templates (copy and edit), the Essen demo
staff of spring 2020 and the Starkregen exercise; axe at 1280 and 375 px on every page."""

from .conftest import check_page, login, url


def test_staff_core_pages(page, demo):
    from krisenwissen.core.models import Notification
    from krisenwissen.stab.models import Staff

    login(page, "admin")
    page.goto(url("ui:start"))
    with page.expect_navigation():
        page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Krisenstab").click()
    assert page.get_by_role("heading", name="Übungsstäbe").is_visible()
    assert page.get_by_role("link", name="Krisenstab der Stadt Essen (Corona)").is_visible()
    assert page.get_by_role("link", name="ÜBUNG – Stabsrahmenübung Starkregen Gelsenkirchen").is_visible()
    check_page(page)

    # The Essen demo staff: functions with holders and gaps; the exercise staff says ÜBUNG.
    with page.expect_navigation():
        page.get_by_role("link", name="Krisenstab der Stadt Essen (Corona)").click()
    assert page.get_by_role("heading", name="Funktionen und Besetzung").is_visible()
    check_page(page)
    page.goto(url("stab:staff_list"))
    with page.expect_navigation():
        page.get_by_role("link", name="ÜBUNG – Stabsrahmenübung Starkregen Gelsenkirchen").click()
    assert page.get_by_role("note").filter(has_text="ÜBUNG").is_visible()
    check_page(page)

    # Templates: list, detail, copy into Essen, edit.
    page.goto(url("stab:template_list"))
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Stromausfall (Verwaltungsstab)").click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Für die eigene Kommune kopieren").click()
    check_page(page)
    page.get_by_label("Kommune").select_option(label="Essen")
    page.get_by_label("Bezeichnung der Kopie").fill("Stromausfall Essen")
    with page.expect_navigation():
        page.get_by_role("button", name="Kopieren").click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern").click()
    assert page.get_by_role("heading", name="Stromausfall Essen").is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Funktionen bearbeiten").click()
    check_page(page)
    page.locator("#id_fn-0-deputies").fill("2")
    with page.expect_navigation():
        page.get_by_role("button", name="Funktionen speichern").click()
    assert page.get_by_text("Die Funktionen sind gespeichert.").is_visible()

    # Activation: choose template and municipality, then functions, holder and first meeting.
    page.goto(url("stab:activate"))
    check_page(page)
    page.get_by_label("Vorlage").select_option(label="Stromausfall Essen (Essen)")
    page.get_by_label("Kommune").select_option(label="Essen")
    with page.expect_navigation():
        page.get_by_role("button", name="Weiter").click()
    check_page(page)
    page.get_by_label("Bezeichnung des Stabes").fill("Stab Stromausfall Essen")
    page.get_by_label("Übung (der Stab wird überall als ÜBUNG gekennzeichnet)").check()
    page.get_by_label("Inhaber/in: Lage und Dokumentation").select_option(label="Demo Leser Essen")
    with page.expect_navigation():
        page.get_by_role("button", name="Stab aktivieren und Mitglieder benachrichtigen").click()
    staff = Staff.objects.get(name="Stab Stromausfall Essen")
    assert staff.exercise and Notification.objects.filter(recipient__username="leser.essen", subject__startswith="ÜBUNG").exists()
    assert page.get_by_text("Inhaber/in fehlt").first.is_visible()
    check_page(page)

    # Assignment management.
    with page.expect_navigation():
        page.get_by_role("link", name="Besetzung verwalten").click()
    check_page(page)
    page.locator("#id_function").select_option(label="Leitung des Verwaltungsstabes")
    page.get_by_label("Person").select_option(label="Demo Mitwirkende Essen")
    with page.expect_navigation():
        page.get_by_role("button", name="Besetzen").click()
    assert page.get_by_text("Die Funktion ist besetzt.").is_visible()
    check_page(page)
