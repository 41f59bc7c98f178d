"""The Rückführung pages: the checklist worked through by form, bad input, deactivation with the
debrief, the panel on the staff page, re-activation."""

import pytest

from krisenwissen.stab.models import ClosingChecklist, LogEntry, StaffStatus, Task
from krisenwissen.workshops.models import Card

from .staffs import fresh, make_staff

pytestmark = pytest.mark.django_db


def _url(name, staff, **kw):
    from django.urls import reverse

    return reverse(f"stab:{name}", kwargs={"pk": staff.pk, **kw})


def test_the_checklist_by_form_then_deactivate_and_reactivate(client):
    staff, people = make_staff()
    client.force_login(people["leitung"])
    page = client.get(_url("closing", staff))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Auftrag Nr. 1: Hygienekonzept Rathaus" in body and "Masken verteilen" not in body
    assert "Schulen schließen ab Dienstag" in body  # the decision as corrected
    step = _url("closing_step", staff)
    for task in Task.objects.filter(staff=staff, number__in=[1, 2]):
        r = client.post(step, {"step": "auftrag", "task": task.pk, f"task-{task.pk}-owner_text": "Gesundheitsamt"})
        assert r.status_code == 302
    assert client.post(step, {"step": "entscheidungen", "decisions-note": ""}).status_code == 302
    assert client.post(step, {"step": "archiv", "archive-note": "Stadtarchiv"}).status_code == 302
    assert client.post(step, {"step": "benachrichtigen", "notify-message": "Danke"}).status_code == 302
    assert "Noch " not in client.get(_url("closing", staff)).content.decode()
    r = client.post(_url("closing_deactivate", staff), {"deactivate-justification": ""})
    checklist = ClosingChecklist.objects.get(staff=staff)
    assert r.status_code == 302 and r["Location"] == checklist.debrief.get_absolute_url()
    assert Card.objects.filter(workshop=checklist.debrief).exists()
    staff.refresh_from_db()
    assert staff.status == StaffStatus.DEAKTIVIERT
    # The former Leitung sees the closing page of the deactivated staff and activates it again.
    client.force_login(fresh(people["leitung"]))
    page = client.get(_url("closing", staff)).content.decode()
    assert "Stab wieder aktivieren" in page and checklist.debrief.title in page
    assert client.post(_url("closing_reactivate", staff)).status_code == 302
    staff.refresh_from_db()
    assert staff.status == StaffStatus.AKTIV


def test_bad_input_is_refused_with_a_german_message_and_nothing_written(client):
    staff, people = make_staff()
    client.force_login(people["admin"])
    before = LogEntry.objects.filter(staff=staff).count()
    task = Task.objects.get(staff=staff, number=1)
    step = _url("closing_step", staff)
    r = client.post(step, {"step": "auftrag", "task": task.pk, f"task-{task.pk}-owner_text": ""})
    assert r.status_code == 400 and "wer den Auftrag übernimmt" in r.content.decode()
    r = client.post(step, {"step": "auftrag", "task": task.pk, f"task-{task.pk}-owner_person": "999999"})
    assert r.status_code == 400 and "gültige Auswahl" in r.content.decode()
    assert client.post(step, {"step": "auftrag", "task": "99999999999999999999"}).status_code == 404
    assert client.post(step, {"step": "nix"}).status_code == 302
    r = client.post(_url("closing_deactivate", staff), {"deactivate-justification": "weil"})
    assert r.status_code == 400 and "begründen" in r.content.decode()
    r = client.post(_url("closing_deactivate", staff), {"deactivate-justification": "x" * 3000})
    assert r.status_code == 400
    assert LogEntry.objects.filter(staff=staff).count() == before
    staff.refresh_from_db()
    assert staff.status == StaffStatus.AKTIV


def test_members_without_leitung_are_refused_and_the_panel_links_the_checklist(client):
    staff, people = make_staff()
    client.force_login(people["s2"])
    assert client.get(_url("closing", staff)).status_code == 403
    assert client.post(_url("closing_deactivate", staff), {"deactivate-justification": "Lage vorbei, Schluss jetzt."}).status_code == 403
    detail = client.get(_url("staff_detail", staff)).content.decode()
    assert "Rückführung" in detail and _url("closing", staff) not in detail
    client.force_login(people["leitung"])
    detail = client.get(_url("staff_detail", staff)).content.decode()
    assert _url("closing", staff) in detail


def test_partial_deactivation_by_form(client):
    staff, people = make_staff()
    client.force_login(people["leitung"])
    function = staff.functions.get(code="gesundheit")
    r = client.post(_url("closing_function_deactivate", staff, fpk=function.pk))
    assert r.status_code == 302
    function.refresh_from_db()
    assert not function.active
    r = client.post(_url("closing_function_deactivate", staff, fpk=staff.functions.get(code="leitung").pk), follow=True)
    assert "Die Leitung endet erst" in r.content.decode()


def test_the_staff_page_links_the_debrief_after_deactivation(client):
    from krisenwissen.stab import closing_actions

    staff, people = make_staff()
    checklist = closing_actions.do_deactivate_staff(staff, justification="Lage beendet, Übergabe im Vorstand.", acting_user=people["admin"])
    client.force_login(people["admin"])
    detail = client.get(_url("staff_detail", staff)).content.decode()
    assert "deaktiviert" in detail and checklist.debrief.get_absolute_url() in detail and checklist.debrief.title in detail


def test_a_step_that_is_no_longer_possible_is_explained(client):
    from krisenwissen.stab import closing_actions

    staff, people = make_staff()
    client.force_login(people["admin"])
    done = Task.objects.get(staff=staff, number=3)
    r = client.post(_url("closing_step", staff), {"step": "auftrag", "task": done.pk, f"task-{done.pk}-owner_text": "Ordnungsamt"},
                    follow=True)
    assert "nicht mehr offen" in r.content.decode()
    page = client.get(_url("closing", staff)).content.decode()
    assert "Einsatztagebuch exportieren" in page or "Exportieren Sie das Einsatztagebuch" in page
    # Someone else deactivated the staff meanwhile: a second deactivation says so, nothing changes.
    closing_actions.do_deactivate_staff(staff, justification="Lage beendet, Übergabe im Vorstand.", acting_user=people["leitung"])
    r = client.post(_url("closing_deactivate", staff), {"deactivate-justification": "Lage beendet, noch einmal."}, follow=True)
    assert "Der Stab ist deaktiviert" in r.content.decode()
    assert ClosingChecklist.objects.filter(staff=staff).count() == 1


def test_the_debrief_of_a_staff_without_crisis_shows_the_etb_on_its_timeline_wall(client):
    """A staff activated without a crisis (the activation form's default) or in a crisis whose
    phases do not cover today: the prefilled cards have no crisis phase to sit in. The wall shows
    them by date instead of "no crisis with phases" and an empty wall."""
    from django.urls import reverse

    from krisenwissen.stab import closing_actions

    staff, people = make_staff(crisis=None)
    checklist = closing_actions.do_deactivate_staff(staff, justification="Lage beendet, Übergabe im Vorstand.", acting_user=people["leitung"])
    client.force_login(people["leitung"])
    board = client.get(reverse("workshops:board", args=[checklist.debrief.pk])).content.decode()
    wall = board[board.index('aria-labelledby="zeitstrahl-h"'):]
    wall = wall[:wall.index("</section>")]
    assert "keine Krise mit Phasen" not in wall
    assert "Schulen schließen ab Dienstag" in wall and "(berichtigt)" in wall
    assert "Überfälliger Auftrag Nr. 1: Hygienekonzept Rathaus" in wall
