"""A whole Krisenstab in the browser (issue 16, first "Done when" point).

Several people of Essen work through the real pages as they would in a crisis: the
Administration activates a staff from the Pandemie template and assigns Leitung (with a deputy),
S1, Lage, Koordinierungsgruppe, Gesundheitsamt and Ordnungsamt; Lage keeps the ETB and corrects
an entry; the Ordnungsamt takes in a Blitz message, the Koordinierungsgruppe routes it and the
Gesundheitsamt acknowledges it; the Leitung runs a Lagebesprechung whose decision becomes a task,
then has a Lagebericht approved and distributed; at shift change Lage creates the handover brief
and the incoming deputy acknowledges it; the Leitung works through the Rückführung checklist,
deactivates the staff and finds the hot-debrief Reflexionsraum with the ETB on its timeline wall.
Every page visited: axe (WCAG 2.1 A/AA) at 1280 and 375 px, no sideways overflow, no JS/CSP error.
"""

import pytest

from .conftest import PASSWORD, check_page, login, url

PEOPLE = {
    # username: (first name, last name, role in Essen)
    "anna.leitung": ("Anna", "Leitung", "mitwirkende"),
    "bernd.vertretung": ("Bernd", "Vertretung", "mitwirkende"),
    "sina.personal": ("Sina", "Personal", "mitwirkende"),
    "lars.lage": ("Lars", "Lage", "mitwirkende"),
    "kim.koordination": ("Kim", "Koordination", "mitwirkende"),
    "gerd.gesundheit": ("Gerd", "Gesundheit", "mitwirkende"),
}


@pytest.fixture
def people(demo):
    from krisenwissen.knowledge.models import Municipality
    from tests import factories as f

    essen = Municipality.objects.get(name="Essen")
    return {
        username: f.MembershipFactory(municipality=essen, role=role, user__username=username, user__first_name=first,
                                      user__last_name=last, user__password=PASSWORD).user
        for username, (first, last, role) in PEOPLE.items()
    }


def _as(page, username):
    page.context.clear_cookies()
    login(page, username)


def _open_staff(page, staff):
    """From the main navigation to the staff's page, as a member finds it."""
    page.goto(url("ui:start"))
    with page.expect_navigation():
        page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Krisenstab").click()
    with page.expect_navigation():
        page.get_by_role("link", name=staff.name).first.click()
    assert page.get_by_role("heading", level=1, name=staff.name).is_visible()


def _click(page, role, name, **kwargs):
    with page.expect_navigation():
        page.get_by_role(role, name=name, **kwargs).click()


def test_a_whole_staff_from_activation_to_hot_debrief(page, people):
    from krisenwissen.stab.models import (
        ClosingChecklist,
        LogCategory,
        LogEntry,
        Message,
        MessageStatus,
        ReportStatus,
        SituationReport,
        Staff,
        StaffStatus,
        Task,
    )

    # 1. The Administration activates the staff from the Pandemie template.
    _as(page, "admin")
    page.goto(url("stab:staff_list"))
    check_page(page)
    _click(page, "link", "Stab aktivieren", exact=True)
    check_page(page)
    page.get_by_label("Vorlage").select_option(label="Pandemie (Verwaltungsstab)")
    page.get_by_label("Kommune").select_option(label="Essen")
    _click(page, "button", "Weiter")
    assert page.get_by_role("heading", level=1, name="Stab aktivieren: Pandemie (Verwaltungsstab) für Essen").is_visible()
    check_page(page)
    page.get_by_label("Bezeichnung des Stabes").fill("Krisenstab Essen Pandemie 2026")
    for function, person in (("Leitung des Verwaltungsstabes", "Anna Leitung"),
                             ("Personal und innerer Dienst (S1)", "Sina Personal"),
                             ("Lage und Dokumentation", "Lars Lage"),
                             ("Leitung der Koordinierungsgruppe des Stabes", "Kim Koordination"),
                             ("Gesundheitsamt", "Gerd Gesundheit"),
                             ("Ordnungsamt", "Demo Leser Essen")):
        page.get_by_label(f"Inhaber/in: {function}").select_option(label=person)
    page.get_by_label("Vertretung: Leitung des Verwaltungsstabes").select_option(label="Bernd Vertretung")
    _click(page, "button", "Stab aktivieren und Mitglieder benachrichtigen")
    staff = Staff.objects.get(name="Krisenstab Essen Pandemie 2026")
    assert staff.status == StaffStatus.AKTIV and staff.template.name == "Pandemie (Verwaltungsstab)"
    table = page.locator("main table").first
    assert table.get_by_text("Anna Leitung").is_visible() and table.get_by_text("Bernd Vertretung").is_visible()
    check_page(page)

    # 2. Lage keeps the ETB: two entries by the fast entry, then a correction of the first.
    _as(page, "lars.lage")
    _open_staff(page, staff)
    check_page(page)
    _click(page, "link", "Schnelleingabe")
    check_page(page)
    text = page.get_by_label("Inhalt")
    # Keyboard first: Alt+1 picks "Lage", Alt+7 "Besonderes Vorkommnis", Enter saves.
    for key, line in (("Alt+1", "Inzidenz in Essen bei 45, steigend"), ("Alt+7", "Pflegeheim in Borbeck meldet Ausbruch")):
        text.fill(line)
        page.keyboard.press(key)
        text.press("Enter")
        page.locator("[id^=etb-]").filter(has_text=line).first.wait_for()
    first = LogEntry.objects.get(staff=staff, text="Inzidenz in Essen bei 45, steigend")
    assert first.category == LogCategory.LAGE
    assert LogEntry.objects.get(staff=staff, text__startswith="Pflegeheim").category == LogCategory.VORKOMMNIS
    page.goto(url("stab:etb_log", staff.pk))
    assert page.get_by_role("heading", level=1).filter(has_text="Einsatztagebuch").is_visible()
    check_page(page)
    page.goto(url("stab:etb_correct", staff.pk, first.number))
    check_page(page)
    page.get_by_label("Korrektur").fill("Inzidenz in Essen bei 54, steigend")
    _click(page, "button", "Korrektur speichern")
    correction = LogEntry.objects.get(staff=staff, corrects=first)
    assert page.locator(f"#etb-{first.number}").get_by_text(f"korrigiert durch Nr. {correction.number}").is_visible()
    assert page.locator(f"#etb-{correction.number}").get_by_text("Inzidenz in Essen bei 54, steigend").is_visible()
    check_page(page)

    # 3. A Blitz message: the Ordnungsamt takes it in, Koordinierung routes, Gesundheitsamt acknowledges.
    _as(page, "leser.essen")
    _open_staff(page, staff)
    _click(page, "link", "Meldung aufnehmen")
    check_page(page)
    page.get_by_role("radio", name="Blitz").check()
    page.get_by_label("Übermittlungsart").select_option("telefon")
    page.get_by_label("Absender/in").fill("Heimaufsicht")
    page.get_by_label("Empfänger/in").fill("Krisenstab")
    page.get_by_label("Inhalt").fill("Zwölf bestätigte Fälle im Pflegeheim Borbeck; Besuchsverbot erbeten.")
    _click(page, "button", "Meldung aufnehmen")
    message = Message.objects.get(staff=staff)
    assert message.priority == "blitz"
    check_page(page)

    _as(page, "kim.koordination")
    _open_staff(page, staff)
    assert page.get_by_text("1 offene Blitz-Meldung").is_visible()
    _click(page, "link", "1 offene Blitz-Meldung")
    check_page(page)
    _click(page, "link", f"Meldung Nr. {message.number}")
    check_page(page)
    page.get_by_role("checkbox", name="Gesundheitsamt").check()
    page.get_by_label("Sichtervermerk").fill("Sofort vorlegen.")
    _click(page, "button", "Verteilen")
    assert page.get_by_text("Meldung gesichtet und verteilt.").is_visible()
    check_page(page)

    _as(page, "gerd.gesundheit")
    _open_staff(page, staff)
    _click(page, "link", "1 Meldung wartet auf Ihre Kenntnisnahme")
    _click(page, "link", f"Meldung Nr. {message.number}")
    _click(page, "button", "Zur Kenntnis genommen")
    message.refresh_from_db()
    assert message.status == MessageStatus.ERLEDIGT
    assert page.get_by_text("zur Kenntnis genommen von").is_visible()
    check_page(page)

    # 4. The Leitung runs a Lagebesprechung: a decision becomes a task for the Gesundheitsamt.
    _as(page, "anna.leitung")
    _open_staff(page, staff)
    areas = page.get_by_role("navigation", name="Bereiche des Stabes")
    assert areas.get_by_role("link").all_inner_texts() == [
        "Einsatztagebuch", "Meldungen", "Aufträge", "Lagebesprechungen", "Lageberichte", "Anwesenheit und Belastung", "Rückführung"]
    with page.expect_navigation():
        areas.get_by_role("link", name="Lagebesprechungen").click()
    check_page(page)
    _click(page, "button", "Lagebesprechung beginnen")
    assert page.get_by_role("heading", name="Jetzt: 1. Lage (Lage und Dokumentation)").is_visible()
    check_page(page)
    page.get_by_label("Fakt").check()
    page.get_by_label("Für die Funktion").select_option(label="Lage und Dokumentation")
    page.locator("#id_beitrag-text").fill("Die 7-Tage-Inzidenz liegt bei 54.")
    _click(page, "button", "Beitrag festhalten")
    page.locator("#id_entscheidung-text").fill("Besuchsverbot für Pflegeheime vorbereiten")
    page.get_by_label("Auftrag an (Funktion)").select_option(label="Gesundheitsamt")
    _click(page, "button", "Entscheidung festhalten")
    task = Task.objects.get(staff=staff)
    assert page.get_by_text(f"Auftrag Nr. {task.number} erteilt").is_visible()
    assert task.owner_function.name == "Gesundheitsamt"
    check_page(page)
    _click(page, "button", "Besprechung schließen")
    check_page(page)

    # The task is on the task list of the staff, with its owner.
    _open_staff(page, staff)
    _click(page, "link", "1 offener Auftrag")
    check_page(page)
    assert page.get_by_role("link", name="Besuchsverbot für Pflegeheime vorbereiten").is_visible()

    # 5. A Lagebericht, written, approved and distributed.
    _open_staff(page, staff)
    with page.expect_navigation():
        page.get_by_role("navigation", name="Bereiche des Stabes").get_by_role("link", name="Lageberichte").click()
    check_page(page)
    page.get_by_label("Titel des Lageberichts").fill("Lage am Abend")
    _click(page, "button", "Lagebericht anlegen")
    check_page(page)
    page.locator("textarea").first.fill("Die Lage ist angespannt, aber beherrschbar.")
    _click(page, "button", "Abschnitt Leitung des Verwaltungsstabes speichern")
    page.get_by_label("Oder freie E-Mail-Adresse").fill("lagezentrum@bezreg.example")
    _click(page, "button", "Verteiler ergänzen")
    for step in ("Zur Freigabe vorlegen", "Freigeben", "Verteilen"):
        _click(page, "button", step)
    report = SituationReport.objects.get(staff=staff)
    assert report.status == ReportStatus.VERTEILT
    assert page.get_by_text("Verteilt", exact=True).first.is_visible()
    check_page(page)

    # 6. Shift change: Lage signs in and writes the handover brief; the incoming deputy acknowledges it.
    _as(page, "lars.lage")
    _open_staff(page, staff)
    _click(page, "link", "Zur Anwesenheitstafel")
    check_page(page)
    page.get_by_role("combobox", name="Funktion").select_option(label="Lage und Dokumentation")
    _click(page, "button", "Anmelden (Dienstbeginn)")
    assert page.get_by_text("Sie sind im Stab angemeldet.").is_visible()
    check_page(page)
    _as(page, "bernd.vertretung")
    _open_staff(page, staff)
    _click(page, "link", "Zur Anwesenheitstafel")
    _click(page, "button", "Übergabebrief erstellen")
    assert page.get_by_role("heading", name="Übergabebrief zum Schichtwechsel").is_visible()
    assert page.get_by_text("Besuchsverbot für Pflegeheime vorbereiten").first.is_visible()
    check_page(page)
    _click(page, "button", "Übergabe gelesen und übernommen")
    assert page.get_by_text("Übergabe bestätigt am").is_visible()
    assert LogEntry.objects.filter(staff=staff, category=LogCategory.SCHICHTWECHSEL, text__contains="Bernd Vertretung").exists()
    check_page(page)

    # 7. The way back to normal: the Rückführung checklist, then deactivation.
    _as(page, "anna.leitung")
    _open_staff(page, staff)
    _click(page, "link", "Rückführung und Deaktivierung")
    check_page(page)
    form = page.locator("form", has=page.get_by_role("heading", name=f"Auftrag Nr. {task.number}:"))
    form.get_by_label("Dienststelle oder Person (Freitext)").fill("Gesundheitsamt, Heimaufsicht")
    with page.expect_navigation():
        form.get_by_role("button", name="Übergeben").click()
    assert page.get_by_text(f"Auftrag Nr. {task.number} übergeben.").is_visible()
    page.get_by_label("Vermerk (optional)").fill("Keine offenen Entscheidungen.")
    _click(page, "button", "Offene Entscheidungen bestätigen")
    page.get_by_label("Ablage des Archivs (optional)").fill("Stadtarchiv Essen, Bestand 2026/1")
    _click(page, "button", "Archivierung bestätigen")
    _click(page, "button", "Mitglieder benachrichtigen")
    assert page.get_by_text("Die Checkliste ist vollständig.").is_visible()
    check_page(page)
    _click(page, "button", "Stab deaktivieren")
    staff.refresh_from_db()
    assert staff.status == StaffStatus.DEAKTIVIERT
    debrief = ClosingChecklist.objects.get(staff=staff).debrief
    assert page.get_by_role("heading", name=debrief.title).first.is_visible()
    check_page(page)

    # 8. The hot debrief: deactivating leads the Leitung straight to the Reflexionsraum; its
    # timeline wall is prefilled with the ETB (the correction marked) and the decision's task.
    assert page.get_by_role("heading", level=1, name=debrief.title).is_visible()
    page.goto(url("workshops:board", debrief.pk))
    wall = page.locator("section[aria-labelledby=zeitstrahl-h]")
    assert wall.get_by_text(f"Lage (ETB Nr. {first.number}) (berichtigt): Inzidenz in Essen bei 54, steigend", exact=False).is_visible()
    assert wall.get_by_text("Pflegeheim in Borbeck meldet Ausbruch", exact=False).first.is_visible()
    assert wall.get_by_text("Besuchsverbot für Pflegeheime vorbereiten", exact=False).first.is_visible()
    check_page(page)

    # The municipality's Administration finds the staff under "Deaktivierte Stäbe", marked so.
    _as(page, "admin")
    page.goto(url("stab:staff_list"))
    closed = page.locator("section[aria-labelledby=closed-heading]")
    with page.expect_navigation():
        closed.get_by_role("link", name=staff.name).click()
    assert page.get_by_text("deaktiviert", exact=True).is_visible()
    assert page.get_by_role("link", name=f"Nachbesprechung „{debrief.title}“ (Reflexionsraum)").is_visible()
    check_page(page)
