"""Köpfe kennen: the directory administrator imports a CSV of 200 people through the web form,
sees German errors for a broken file, and downloads the directory as vCard (axe at 1280/375)."""

from __future__ import annotations

import pytest
import vobject

from .conftest import PASSWORD, check_page, login

HEADER = "name;vorname;nachname;organisation;organisationseinheit;funktion;kompetenzen;buero;funktionspostfach;sichtbarkeit;externer_schluessel;einwilligung;einwilligung_datum"


def _csv(n: int) -> bytes:
    lines = [HEADER]
    for i in range(n):
        consent = ("ja", "01.02.2024") if i % 2 else ("", "")
        given, family = (f"Vorname{i}", f"Müller-{i}") if consent[0] else ("", "")
        lines.append(";".join([
            f"Person {i:03d}", given, family, "Stadt Essen", f"Amt {i % 12}", f"Sachbearbeitung {i % 7}",
            "ordnungsrecht" if i % 3 == 0 else "", f"0201 88{i:04d}", f"amt{i}@essen.example",
            "netzwerk" if i % 4 == 0 else "intern", f"E-{i}", *consent,
        ]))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


@pytest.fixture
def directory_admin(transactional_db):
    # A flush by an earlier live-server test empties the shipped competence vocabulary
    # (a data migration); ship it again as the migration does.
    from krisenwissen.accounts.models import Role
    from krisenwissen.people.models import CompetenceArea
    from krisenwissen.people.vocabulary import ship_competence_vocabulary
    from tests import factories as f
    ship_competence_vocabulary(CompetenceArea)
    essen = f.MunicipalityFactory(name="Essen", ags="05113")
    f.MembershipFactory(municipality=essen, role=Role.ADMINISTRATION, user__username="verwaltung.essen", user__password=PASSWORD)
    return essen


def test_directory_administrator_imports_200_people(page, live_server, directory_admin, tmp_path):
    from krisenwissen.people.models import Channel, Person

    login(page, "verwaltung.essen")
    page.goto("/koepfe/")
    page.get_by_role("link", name="CSV importieren").click()
    page.wait_for_url("**/koepfe/import/")
    check_page(page)

    broken = tmp_path / "kaputt.csv"
    broken.write_bytes(_csv(3) + b"Kaputt;;;;;;;12;;intern;E-x;;\r\n")
    page.get_by_label("CSV-Datei").set_input_files(str(broken))
    with page.expect_navigation():
        page.get_by_role("button", name="Importieren").click()
    errors = page.locator("[data-import-errors]")
    assert "Zeile 5, Feld „Büro“: „12“ ist keine gültige Telefonnummer." in errors.inner_text()
    assert Person.objects.count() == 0
    check_page(page)

    good = tmp_path / "koepfe-essen.csv"
    good.write_bytes(_csv(200))
    page.get_by_label("CSV-Datei").set_input_files(str(good))
    page.get_by_label("Nur prüfen, nichts speichern").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Importieren").click()
    assert "200 Einträge würden neu angelegt" in page.locator("[data-import-result]").inner_text()
    assert Person.objects.count() == 0

    page.get_by_label("CSV-Datei").set_input_files(str(good))
    page.get_by_label("Nur prüfen, nichts speichern").uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Importieren").click()
    result = page.locator("[data-import-result]").inner_text()
    assert "200 Einträge wurden neu angelegt" in result and "Windows-1252" in result
    assert Person.objects.filter(municipality=directory_admin).count() == 200
    assert Channel.objects.filter(kind="buero").count() == 200
    check_page(page)

    page.goto("/koepfe/")
    with page.expect_download() as info:
        page.get_by_role("link", name="vCard (Adressbuch)").click()
    cards = list(vobject.readComponents(open(info.value.path(), encoding="utf-8").read()))
    assert len(cards) == 200
    assert {c.fn.value for c in cards} == {f"Person {i:03d}" for i in range(200)}
