"""The pages of Meldungen and Aufträge: the flow through the forms, errors, the panel, the PDF."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from krisenwissen.stab import msg_actions as actions
from krisenwissen.stab.models import LogEntry, Message, MessageStatus, Task, TaskStatus
from tests.factories import UserFactory

from .staffs import make_staff

pytestmark = pytest.mark.django_db


def _post_message(client, staff, **extra):
    data = {"direction": "eingang", "priority": "blitz", "channel": "funk", "sender": "Leitstelle", "recipient": "Stab",
            "transmitted_at": "", "content": "Stromausfall Klinikum", "client_key": "form-1"}
    data.update(extra)
    return client.post(reverse("stab:msg_create", args=[staff.pk]), data)


def test_message_form_route_acknowledge_through_the_pages(client):
    s = make_staff()
    staff, f, u = s["staff"], s["functions"], s["users"]
    client.force_login(u["ordnung"])
    page = client.get(reverse("stab:msg_create", args=[staff.pk]))
    assert page.status_code == 200 and 'name="client_key"' in page.content.decode()
    response = _post_message(client, staff)
    message = Message.objects.get()
    assert response.status_code == 302 and response.url == reverse("stab:msg_detail", args=[message.pk])
    # The same form sent again (double click) does not create a second message.
    assert _post_message(client, staff).status_code == 302 and Message.objects.count() == 1
    listing = client.get(reverse("stab:msg_list", args=[staff.pk])).content.decode()
    assert "msg-card--blitz" in listing and ">Blitz<" in listing
    client.force_login(u["koordinierung"])
    detail = client.get(reverse("stab:msg_detail", args=[message.pk])).content.decode()
    assert "Sichten und verteilen" in detail
    response = client.post(reverse("stab:msg_route", args=[message.pk]), {"functions": [], "sichter_note": ""})
    assert response.status_code == 400 and "Bitte mindestens eine Funktion" in response.content.decode()
    response = client.post(reverse("stab:msg_route", args=[message.pk]), {"functions": [f["gesundheit"].pk], "sichter_note": "eilt"})
    assert response.status_code == 302
    client.force_login(u["gesundheit"])
    assert "Zur Kenntnis genommen" in client.get(reverse("stab:msg_detail", args=[message.pk])).content.decode()
    assert client.post(reverse("stab:msg_acknowledge", args=[message.pk])).status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.ERLEDIGT
    page = client.get(reverse("stab:msg_detail", args=[message.pk])).content.decode()
    assert "zur Kenntnis genommen von" in page
    # Someone outside the staff gets the 403 page.
    client.force_login(UserFactory())
    assert client.get(reverse("stab:msg_detail", args=[message.pk])).status_code == 403


def test_message_form_errors_are_german_and_write_nothing(client):
    s = make_staff()
    client.force_login(s["users"]["ordnung"])
    response = _post_message(client, s["staff"], sender="", content="", transmitted_at="2999-01-01T10:00")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Bitte Absender/in angeben." in body and "Bitte den Inhalt angeben." in body
    response = _post_message(client, s["staff"], transmitted_at="2999-01-01T10:00")
    assert "in der Zukunft" in response.content.decode()
    assert Message.objects.count() == 0 and LogEntry.objects.count() == 0


def test_task_pages_create_complete_and_overdue(client):
    s = make_staff()
    staff, f, u = s["staff"], s["functions"], s["users"]
    client.force_login(u["leitung"])
    url = reverse("stab:msg_task_create", args=[staff.pk])
    past = (timezone.localtime() - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"title": "Lage melden", "owner_function": f["s1"].pk, "due_at": past, "description": "", "client_key": "t1"})
    assert response.status_code == 400 and "Vergangenheit" in response.content.decode()
    future = (timezone.localtime() + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"title": "Lage melden", "owner_function": f["s1"].pk, "due_at": future, "description": "", "client_key": "t1"})
    task = Task.objects.get()
    assert response.status_code == 302
    client.force_login(u["s1"])
    step = reverse("stab:msg_task_step", args=[task.pk, "complete"])
    response = client.post(step, {"feedback": ""})
    assert response.status_code == 400 and "Bitte eine Rückmeldung angeben" in response.content.decode()
    assert client.post(step, {"feedback": "Gemeldet"}).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.ERLEDIGT
    assert client.post(reverse("stab:msg_task_step", args=[task.pk, "loeschen"])).status_code == 404
    # Overdue: visible in the filter, with a badge and on the staff page's panel.
    overdue = actions.do_create_task(staff, title="Bericht an Bezirksregierung", owner_function=f["ordnung"],
                                     due_at=timezone.now() + datetime.timedelta(seconds=30), acting_user=u["leitung"])
    Task.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    listing = client.get(reverse("stab:msg_task_list", args=[staff.pk]) + "?ueberfaellig=1").content.decode()
    assert "Bericht an Bezirksregierung" in listing and "überfällig" in listing and "Lage melden" not in listing
    panel = client.get(reverse("stab:staff_detail", args=[staff.pk])).content.decode()
    assert "Überfällige Aufträge" in panel and "Bericht an Bezirksregierung" in panel


def test_blank_form_is_a_pdf_and_settings_page(client):
    s = make_staff(exercise=True)
    client.force_login(s["users"]["s1"])
    response = client.get(reverse("stab:msg_blank_form", args=[s["staff"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert client.get(reverse("stab:msg_settings", args=[s["staff"].pk])).status_code == 403
    client.force_login(s["users"]["leitung"])
    response = client.post(reverse("stab:msg_settings", args=[s["staff"].pk]), {"sichter_function": s["functions"]["ordnung"].pk})
    assert response.status_code == 302


def test_blank_form_document_says_uebung_for_exercises():
    from krisenwissen.stab.msg_blank_form import blank_form_document

    s = make_staff(exercise=True)
    text = blank_form_document(s["staff"]).plain_text()
    assert "ÜBUNG" in text and "Sichtervermerk" in text and "Kenntnisnahme" in text and "Melder" in text


def test_sending_route_and_task_steps_twice_is_absorbed(client):
    s = make_staff()
    f, u = s["functions"], s["users"]
    message = actions.do_record_message(s["staff"], direction="eingang", channel="fax", priority="sofort", sender="A", recipient="B",
                                        content="x", acting_user=u["ordnung"])
    client.force_login(u["koordinierung"])
    url = reverse("stab:msg_route", args=[message.pk])
    assert client.post(url, {"functions": [f["gesundheit"].pk]}).status_code == 302
    response = client.post(url, {"functions": [f["gesundheit"].pk]}, follow=True)
    assert "bereits gesichtet und verteilt" in response.content.decode()
    assert LogEntry.objects.filter(text__contains="verteilt an").count() == 1
    task = actions.do_create_task(s["staff"], title="t", owner_function=f["s1"], due_at=None, acting_user=u["leitung"])
    client.force_login(u["s1"])
    step = reverse("stab:msg_task_step", args=[task.pk, "complete"])
    assert client.post(step, {"feedback": "fertig"}).status_code == 302
    response = client.post(step, {"feedback": "fertig"}, follow=True)
    assert "bereits erfolgt: Erledigt" in response.content.decode()
    assert LogEntry.objects.filter(text__contains="Rückmeldung: fertig").count() == 1
