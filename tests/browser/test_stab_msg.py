"""Meldungen and Aufträge of a Krisenstab in the browser (issue 16): a Blitz message is taken
in, routed by the Sichter and acknowledged by the receiving function; a task is given and
reported done with feedback; axe at 1280 and 375 px on every page."""

import datetime

import pytest

from .conftest import PASSWORD, check_page, login, url


@pytest.fixture
def staff(transactional_db, live_server):
    from tests.stab_msg.staffs import make_staff

    s = make_staff()
    for user in s["users"].values():
        user.set_password(PASSWORD)
        user.save()
    return s


def _as(page, user):
    page.context.clear_cookies()
    login(page, user.username)


def test_blitz_message_and_task_through_the_staff(page, staff):
    from krisenwissen.stab.models import LogEntry, Message, MessageStatus, Task, TaskStatus

    s, u = staff["staff"], staff["users"]
    # 1. The Ordnungsamt takes in a Blitz message by phone.
    _as(page, u["ordnung"])
    page.goto(url("stab:staff_detail", s.pk))
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Meldung aufnehmen").click()
    check_page(page)
    page.get_by_role("radio", name="Blitz").check()
    page.get_by_label("Übermittlungsart").select_option("telefon")
    page.get_by_label("Absender/in").fill("Gesundheitsamt, Lagedienst")
    page.get_by_label("Empfänger/in").fill("Krisenstab")
    page.get_by_label("Inhalt").fill("Bestätigter Fall in einer Pflegeeinrichtung; Entscheidung über Besuchsverbot erbeten.")
    with page.expect_navigation():
        page.get_by_role("button", name="Meldung aufnehmen").click()
    message = Message.objects.get()
    assert message.priority == "blitz" and page.get_by_text("Meldung Nr. 1 aufgenommen").is_visible()
    check_page(page)
    page.goto(url("stab:msg_list", s.pk))
    first = page.locator("ol.msg-list > li").first
    assert "BLITZ" in first.inner_text().upper() and "msg-card--blitz" in first.get_attribute("class")
    check_page(page)

    # 2. The Koordinierungsgruppe (default Sichter) routes it to the Gesundheitsamt.
    _as(page, u["koordinierung"])
    page.goto(url("stab:msg_detail", message.pk))
    page.get_by_role("checkbox", name="Gesundheitsamt").check()
    page.get_by_label("Sichtervermerk").fill("Sofort vorlegen.")
    with page.expect_navigation():
        page.get_by_role("button", name="Verteilen").click()
    assert page.get_by_text("Meldung gesichtet und verteilt.").is_visible()
    check_page(page)

    # 3. The Gesundheitsamt sees it waiting on the staff page and takes note.
    _as(page, u["gesundheit"])
    page.goto(url("stab:staff_detail", s.pk))
    with page.expect_navigation():
        page.get_by_role("link", name="1 Meldung wartet auf Ihre Kenntnisnahme").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Meldung Nr. 1").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Zur Kenntnis genommen").click()
    message.refresh_from_db()
    assert message.status == MessageStatus.ERLEDIGT
    assert page.get_by_text("zur Kenntnis genommen von").is_visible()
    check_page(page)

    # 4. The Leitung gives a task to the Gesundheitsamt.
    _as(page, u["leitung"])
    page.goto(url("stab:msg_task_create", s.pk))
    check_page(page)
    page.get_by_label("Auftrag:", exact=True).fill("Besuchsverbot für Pflegeeinrichtungen vorbereiten")
    page.get_by_label("Zuständige Funktion").select_option(label="Gesundheitsamt")
    due = (datetime.datetime.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Fällig bis").fill(due)
    with page.expect_navigation():
        page.get_by_role("button", name="Auftrag erteilen").click()
    task = Task.objects.get()
    check_page(page)

    # 5. The Gesundheitsamt works on it and reports it done (the feedback is required).
    _as(page, u["gesundheit"])
    page.goto(url("stab:msg_task_detail", task.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="In Arbeit nehmen").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Erledigt melden").click()
    assert page.get_by_text("Bitte eine Rückmeldung angeben").first.is_visible()
    check_page(page)
    page.get_by_label("Rückmeldung").fill("Allgemeinverfügung bekannt gemacht.")
    with page.expect_navigation():
        page.get_by_role("button", name="Erledigt melden").click()
    task.refresh_from_db()
    assert task.status == TaskStatus.ERLEDIGT
    check_page(page)
    page.goto(url("stab:msg_task_list", s.pk, query="status=alle"))
    check_page(page)
    texts = list(LogEntry.objects.filter(staff=s).order_by("number").values_list("text", flat=True))
    assert any("Blitz" in t for t in texts) and any("Rückmeldung: Allgemeinverfügung" in t for t in texts)
