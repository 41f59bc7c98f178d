"""Lagebesprechung and Lagebericht in the browser (issue 16): the Leitung runs a meeting with a
decision that becomes a task, closes it and downloads the protocol; a Lagebericht is written,
approved and distributed; axe at 1280 and 375 px on every page."""

import pytest

from .conftest import PASSWORD, check_page, login


@pytest.fixture
def staff_world(transactional_db, live_server):
    from tests.stab_meet.helpers import make_staff

    w = make_staff()
    for user in w["users"].values():
        user.set_password(PASSWORD)
        user.save()
    return w


def test_run_a_meeting_and_distribute_a_report(page, staff_world):
    from krisenwissen.stab.models import (
        LogCategory,
        LogEntry,
        Meeting,
        ReportStatus,
        SituationReport,
        Task,
    )

    w = staff_world
    staff = w["staff"]
    leitung = w["users"]["leitung"]
    login(page, leitung.username)

    # 1. The staff page leads to the meetings; the Leitung starts one.
    page.goto(f"/stab/{staff.pk}/")
    with page.expect_navigation():
        page.get_by_role("navigation", name="Bereiche des Stabes").get_by_role("link", name="Lagebesprechungen").click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Lagebesprechung beginnen").click()
    assert page.get_by_role("heading", name="Jetzt: 1. Lage (S2 Lage)").is_visible()
    assert page.locator(".timebox [data-countdown]").first.inner_text().count(":") == 1
    check_page(page)

    # 2. A fact for the Lage, then a decision that becomes a task for the Gesundheitsamt.
    page.get_by_label("Fakt").check()
    page.get_by_label("Für die Funktion").select_option(label="S2 Lage")
    page.locator("#id_beitrag-text").fill("Die 7-Tage-Inzidenz liegt bei 54.")
    with page.expect_navigation():
        page.get_by_role("button", name="Beitrag festhalten").click()
    page.locator("#id_entscheidung-text").fill("Zweites Testzentrum eröffnen")
    page.get_by_label("Auftrag an (Funktion)").select_option(label="Gesundheitsamt")
    with page.expect_navigation():
        page.get_by_role("button", name="Entscheidung festhalten").click()
    assert page.get_by_text("Auftrag Nr. 1 erteilt").is_visible()
    task = Task.objects.get(staff=staff)
    assert task.owner_function == w["functions"]["gesundheit"] and task.title == "Zweites Testzentrum eröffnen"
    with page.expect_navigation():
        page.get_by_role("button", name="Nächster Tagesordnungspunkt").click()
    assert page.get_by_role("heading", name="Jetzt: 2. Gesundheitsamt").is_visible()
    check_page(page)

    # 3. Close: the next meeting is announced, the protocol downloads and is in the ETB.
    with page.expect_navigation():
        page.get_by_role("button", name="Besprechung schließen").click()
    meeting = Meeting.objects.get(staff=staff)
    assert meeting.status == "geschlossen"
    check_page(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Protokoll als PDF").click()
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(4) == b"%PDF"
    assert LogEntry.objects.filter(staff=staff, category=LogCategory.ANLAGE).exists()

    # 4. A Lagebericht: the Leitung writes its section, submits, approves and distributes.
    page.goto(f"/stab/{staff.pk}/lageberichte/")
    check_page(page)
    page.get_by_label("Titel des Lageberichts").fill("Lage am Abend")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagebericht anlegen").click()
    check_page(page)
    page.locator("textarea").first.fill("Die Lage ist beherrschbar.")
    with page.expect_navigation():
        page.get_by_role("button", name="Abschnitt Leitung des Stabes speichern").click()
    page.get_by_label("Oder freie E-Mail-Adresse").fill("lagezentrum@kreis.example")
    with page.expect_navigation():
        page.get_by_role("button", name="Verteiler ergänzen").click()
    for step in ("Zur Freigabe vorlegen", "Freigeben", "Verteilen"):
        with page.expect_navigation():
            page.get_by_role("button", name=step).click()
    report = SituationReport.objects.get(staff=staff)
    assert report.status == ReportStatus.VERTEILT
    assert page.get_by_text("Verteilt", exact=True).first.is_visible()
    check_page(page)
