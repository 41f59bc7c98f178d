"""Köpfe kennen in the browser (issue 17): the administration imports a CSV of 200 people, a
person confirms their entry, a who-to-call search for a
competence finds people across two cities but not an entry intern to a third city, the coverage
report shows a function without deputy and a competence held once, and a Wissensübergabe is
completed with successors; axe at 1280 and 375 px on every page.

(The import's error messages and the vCard download are walked in test_people_import.py.)
"""

from .conftest import CONTRIBUTOR, check_page, login, url
from .test_people_import import _csv


def test_know_the_heads(page, demo, tmp_path):
    from krisenwissen.people.models import Handover, HandoverStatus, Person

    # 0. The administration of Essen imports its directory: 200 people from a CSV file.
    before = Person.objects.count()
    login(page, "admin")
    page.goto(url("people:list"))
    with page.expect_navigation():
        page.get_by_role("link", name="CSV importieren").click()
    check_page(page)
    upload = tmp_path / "koepfe-essen.csv"
    upload.write_bytes(_csv(200))
    # The form offers the administration's own city first.
    assert page.get_by_label("Kommune").locator("option:checked").inner_text() == "Essen"
    page.get_by_label("CSV-Datei").set_input_files(str(upload))
    with page.expect_navigation():
        page.get_by_role("button", name="Importieren").click()
    assert "200 Einträge wurden neu angelegt" in page.locator("[data-import-result]").inner_text()
    assert Person.objects.count() == before + 200
    check_page(page)
    page.context.clear_cookies()

    # mitwirkende.essen holds S1 of Essen's staff in the demo directory.
    login(page, CONTRIBUTOR)
    page.goto(url("people:list"))
    check_page(page)

    # 1. The person confirms their own entry.
    with page.expect_navigation():
        page.get_by_role("link", name="Mein Eintrag").click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Eintrag bestätigen").click()
    assert page.get_by_text("als aktuell bestätigt").is_visible()
    assert Person.objects.get(account__username=CONTRIBUTOR).last_confirmed_at is not None

    # 2. Who to call for crisis communication? Essen and network cities, never Köln's intern entry.
    page.goto(url("people:list"))
    page.get_by_label("Wen suchen Sie?").fill("Krisenkommunikation")
    with page.expect_navigation():
        page.get_by_role("search", name="Verzeichnis durchsuchen").get_by_role("button", name="Suchen").click()
    results = page.locator("ol.people-list")
    assert results.get_by_role("link", name="Sabine Okafor").is_visible()  # Essen
    assert results.get_by_role("link", name="Aylin Demir").is_visible()  # Dortmund (netzwerk)
    assert results.get_by_text("Dortmund").first.is_visible() and results.get_by_text("Essen").first.is_visible()
    assert results.get_by_role("link", name="Friederike Lang").count() == 0  # Köln, intern
    assert "Friederike Lang" not in page.content()
    check_page(page)

    # The imported entries are found like every other (an Essen member may read Essen's intern ones).
    page.get_by_label("Wen suchen Sie?").fill("Person 042")
    with page.expect_navigation():
        page.get_by_role("search", name="Verzeichnis durchsuchen").get_by_role("button", name="Suchen").click()
    assert page.locator("ol.people-list").get_by_role("link", name="Person 042").is_visible()

    # 3. The coverage report: a function without deputy and a competence held by one person.
    page.goto(url("people:coverage"))
    deputy = page.locator("section[aria-labelledby=cov-deputy]")
    assert deputy.get_by_text("S5 Presse- und Medienarbeit").is_visible()
    single = page.locator("section[aria-labelledby=cov-single]")
    assert single.get_by_text("Warnung der Bevölkerung").is_visible()
    check_page(page)

    # The directory management pages S1 uses (new entry, functions and deputies) pass axe too.
    for name in ("people:create", "people:functions"):
        page.goto(url(name))
        check_page(page)
    page.goto(url("people:coverage"))

    # 4. Wissensübergabe of the retiring Leitung, completed with successors.
    with page.expect_navigation():
        page.locator("section[aria-labelledby=cov-leaving]").get_by_role("link", name="Klaus Brenner").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Wissensübergabe beginnen").click()
    check_page(page)
    selects = page.locator("select[name^=nachfolge-]")
    assert selects.count() >= 3
    for i in range(selects.count()):
        selects.nth(i).select_option(label="Sabine Okafor")
    page.get_by_label("Was sollte Ihre Nachfolge in den ersten drei Monaten unbedingt tun oder lesen?").fill(
        "Die Stabsdienstordnung und die Kontaktliste der Versorger lesen.")
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Wissensübergabe abschließen").click()
    assert page.get_by_text("Die Wissensübergabe ist abgeschlossen.").is_visible()
    check_page(page)
    handover = Handover.objects.get(person__family_name="Brenner")
    assert handover.status == HandoverStatus.ABGESCHLOSSEN
    assert all(item.successor and item.successor.family_name == "Okafor" for item in handover.items.all())
