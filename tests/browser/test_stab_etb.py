"""Einsatztagebuch in the browser (issue 16): the keyboard-first fast entry (Alt+digit picks the
category, Enter saves, focus returns to the text), the live log on a second member's screen,
an entry written offline sent once when the connection returns, and a correction shown beside
the corrected entry; axe at 1280 and 375 px."""

import pytest

from .conftest import PASSWORD, check_page, login, url


@pytest.fixture
def staff(transactional_db):
    from django.utils import timezone

    from krisenwissen.stab.models import Staff, StaffAssignment, StaffFunction
    from tests.factories import MunicipalityFactory, UserFactory

    staff = Staff.objects.create(municipality=MunicipalityFactory(name="Essen", ags="05113"), name="Krisenstab Essen",
                                 activated_at=timezone.now())
    users = {}
    for code, name in (("s2", "S2 Lage"), ("leitung", "Leitung")):
        function = StaffFunction.objects.create(staff=staff, code=code, name=name)
        user = UserFactory(username=f"etb.{code}", first_name=name, last_name="Test", password=PASSWORD)
        StaffAssignment.objects.create(function=function, user=user, started_at=timezone.now())
        users[code] = user
    return staff, users


def test_fast_entry_live_log_offline_queue_and_correction(page, context, browser, base_url, staff):
    from krisenwissen.stab.models import LogEntry

    staff, _users = staff
    login(page, "etb.s2")
    page.goto(url("stab:etb_new", staff.pk))
    check_page(page)
    text = page.get_by_label("Inhalt")
    assert text.evaluate("el => el === document.activeElement")

    # A second member watches the log live.
    other = browser.new_context(base_url=base_url, locale="de-DE", timezone_id="Europe/Berlin")
    watcher = other.new_page()
    login(watcher, "etb.leitung")
    watcher.goto(url("stab:etb_log", staff.pk))

    # Alt+4 picks "Entscheidung", Enter saves, the focus stays in the text field.
    text.fill("Schulen schließen ab Montag")
    page.keyboard.press("Alt+4")
    text.press("Enter")
    page.locator("#etb-1").wait_for()
    assert LogEntry.objects.get(staff=staff, number=1).category == "entscheidung"
    assert text.evaluate("el => el === document.activeElement") and text.input_value() == ""
    watcher.locator("#etb-1").wait_for()
    assert "Schulen schließen ab Montag" in watcher.locator("#etb-1").inner_text()

    # Offline: the entry waits on the device and is sent once when the connection returns.
    context.set_offline(True)
    text.fill("Meldung während der Funkstille")
    text.press("Enter")
    page.get_by_text("warten auf das Senden").wait_for()
    assert LogEntry.objects.filter(staff=staff).count() == 1
    context.set_offline(False)
    page.locator("#etb-2").wait_for()
    page.wait_for_timeout(1500)
    stored = LogEntry.objects.filter(staff=staff, text="Meldung während der Funkstille")
    assert stored.count() == 1 and stored.get().written_at is not None and stored.get().written_at <= stored.get().entered_at

    # A correction: both stay, the corrected one is marked.
    page.goto(url("stab:etb_correct", staff.pk, 1))
    check_page(page)
    page.get_by_label("Korrektur").fill("Schulen schließen ab Dienstag")
    with page.expect_navigation():
        page.get_by_role("button", name="Korrektur speichern").click()
    assert page.locator("#etb-1").get_by_text("korrigiert durch Nr. 3").is_visible()
    assert page.locator("#etb-3").get_by_text("Schulen schließen ab Dienstag").is_visible()
    check_page(page)
    watcher.get_by_text("korrigiert durch Nr. 3").wait_for()
    other.close()
