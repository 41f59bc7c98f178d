"""The way back to normal in the browser (issue 16): the staff's Leitung works through the
Rückführung checklist (tasks handed over, decisions and archive confirmed, members notified),
deactivates the staff and finds the hot-debrief Reflexionsraum with the timeline prefilled from
the ETB; axe at 1280 and 375 px on every page."""

import datetime as dt

from .conftest import PASSWORD, check_page, login, url


def _staff():
    from tests import factories as f
    from tests.stab_closing.staffs import make_staff

    crisis = f.CrisisFactory(title="COVID-19-Pandemie")
    f.PhaseFactory(crisis=crisis, number=1, name="Eindämmung & Unsicherheit", start=dt.date(2000, 1, 1), end=None)
    staff, people = make_staff(crisis=crisis)
    lead = people["leitung"]
    lead.set_password(PASSWORD)
    lead.save()
    return staff, lead


def test_rueckfuehrung_deactivation_and_hot_debrief(page, transactional_db):
    from krisenwissen.stab.models import ClosingChecklist, StaffStatus

    staff, lead = _staff()
    login(page, lead.username)
    page.goto(url("stab:staff_detail", staff.pk))
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Rückführung und Deaktivierung").click()
    check_page(page)

    # 1. The two open tasks go to the regular organisation.
    for number, owner in ((1, "Gesundheitsamt, Infektionsschutz"), (2, "Bürgeramt")):
        form = page.locator("form", has=page.get_by_role("heading", name=f"Auftrag Nr. {number}:"))
        form.get_by_label("Dienststelle oder Person (Freitext)").fill(owner)
        with page.expect_navigation():
            form.get_by_role("button", name="Übergeben").click()
        assert page.get_by_text(f"Auftrag Nr. {number} übergeben.").is_visible()
    # 2.–4. Decisions, archive, members.
    page.get_by_label("Vermerk (optional)").fill("Schulöffnung entscheidet der Verwaltungsvorstand.")
    with page.expect_navigation():
        page.get_by_role("button", name="Offene Entscheidungen bestätigen").click()
    page.get_by_label("Ablage des Archivs (optional)").fill("Stadtarchiv, Bestand 2020/7")
    with page.expect_navigation():
        page.get_by_role("button", name="Archivierung bestätigen").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Mitglieder benachrichtigen").click()
    assert page.get_by_text("Mitglieder benachrichtigt.").is_visible()
    check_page(page)
    assert page.get_by_text("Die Checkliste ist vollständig.").is_visible()

    # Deactivate: the platform schedules the hot debrief and shows it.
    with page.expect_navigation():
        page.get_by_role("button", name="Stab deaktivieren").click()
    staff.refresh_from_db()
    assert staff.status == StaffStatus.DEAKTIVIERT
    debrief = ClosingChecklist.objects.get(staff=staff).debrief
    assert page.get_by_role("heading", name=debrief.title).first.is_visible()
    check_page(page)

    # The debrief's board: the timeline wall is prefilled with the ETB and the open tasks.
    page.goto(url("workshops:board", debrief.pk))
    wall = page.locator("section[aria-labelledby=zeitstrahl-h]")
    assert wall.get_by_text("Entscheidung (ETB Nr. 2) (berichtigt): Schulen schließen ab Dienstag").is_visible()
    assert wall.get_by_text("Besonderes Vorkommnis (ETB Nr. 4)", exact=False).is_visible()
    assert wall.get_by_text("Überfälliger Auftrag Nr. 1: Hygienekonzept Rathaus", exact=False).is_visible()
    check_page(page)
