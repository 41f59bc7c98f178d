"""Data protection: erasure of a person (Art. 17 GDPR) keeps their knowledge under a pseudonym;
the export of a person's data (Art. 15) holds their contributions and nothing of anyone else."""

import datetime
import json

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from krisenwissen.accounts.actions import do_erase_person, do_export_person_data
from krisenwissen.accounts.events import AccountsEvent
from krisenwissen.accounts.models import LoginThrottle, Membership, Role, User
from krisenwissen.core.models import AuditEntry, Notification
from krisenwissen.learning.models import Action, ActionNote

from .. import factories as f

PASSWORD = "geheim-passwort-123"


@pytest.fixture
def people(city_a, city_b):
    admin_a = f.MembershipFactory(municipality=city_a, role=Role.ADMINISTRATION, user__username="admin-a").user
    admin_b = f.MembershipFactory(municipality=city_b, role=Role.ADMINISTRATION, user__username="admin-b").user
    person = f.MembershipFactory(municipality=city_a, role=Role.MITWIRKENDE, user__username="hanna.beispiel",
                                 user__first_name="Hanna", user__last_name="Beispielfrau",
                                 user__email="hanna@example.org").user
    other = f.MembershipFactory(municipality=city_a, role=Role.MITWIRKENDE, user__username="otto.anders",
                                user__first_name="Otto", user__last_name="Andersmann").user
    return {"admin_a": admin_a, "admin_b": admin_b, "person": person, "other": other}


def _action_with_notes(city, person, other):
    action = Action.objects.create(municipality=city, title="Personalreserve aufbauen", description="Pool für Krisenfälle",
                                   due=datetime.date(2030, 1, 1), created_by=person, owner=person)
    ActionNote.objects.create(action=action, author=person, text="Vermerk von Hanna: Pool steht")
    ActionNote.objects.create(action=action, author=other, text="Vermerk von Otto: Budget fehlt")
    return action


def test_erasure_pseudonymises_the_account_and_keeps_contributions(client, people, city_a):
    person, other, admin_a = people["person"], people["other"], people["admin_a"]
    action = _action_with_notes(city_a, person, other)
    TOTPDevice.objects.create(user=person, name="App", confirmed=True)
    Notification.objects.create(recipient=person, subject="Hallo Hanna")
    LoginThrottle.objects.create(scope="account", key="hanna.beispiel", failures=2)
    LoginThrottle.objects.create(scope="pair", key="hanna.beispiel|203.0.113.5", failures=2)
    LoginThrottle.objects.create(scope="account", key="otto.anders", failures=1)
    # The person is signed in somewhere: that session ends.
    assert client.login(username="hanna.beispiel", password=PASSWORD)
    session_key = client.session.session_key
    AuditEntry.objects.create(action="x.y", actor=person, object_type="accounts.user", object_id=str(person.pk),
                              object_repr="Hanna Beispielfrau", municipality=city_a)

    admin_client = client.__class__()
    admin_client.force_login(admin_a)
    membership = Membership.objects.get(user=person)
    page = admin_client.get(f"/konto/verwaltung/kommune/{city_a.ags}/").content.decode()
    assert f"/konto/verwaltung/mitgliedschaft/{membership.pk}/person-loeschen/" in page
    confirm = admin_client.get(f"/konto/verwaltung/mitgliedschaft/{membership.pk}/person-loeschen/")
    assert confirm.status_code == 200 and "Person endgültig löschen" in confirm.content.decode()
    assert User.objects.get(pk=person.pk).username == "hanna.beispiel"  # GET changes nothing
    response = admin_client.post(f"/konto/verwaltung/mitgliedschaft/{membership.pk}/person-loeschen/", follow=True)
    assert "Die Person wurde gelöscht" in response.content.decode()

    erased = User.objects.get(pk=person.pk)
    assert erased.username.startswith("geloescht-") and erased.get_full_name().startswith("Gelöschte Person ")
    assert (erased.email, erased.last_name, erased.external_id) == ("", "", "")
    assert not erased.is_active and not erased.has_usable_password()
    assert not Membership.objects.filter(user=erased).exists()
    assert not TOTPDevice.objects.filter(user=erased).exists()
    assert not Notification.objects.filter(recipient=erased).exists()
    assert not Session.objects.filter(session_key=session_key).exists()
    assert list(LoginThrottle.objects.values_list("key", flat=True)) == ["otto.anders"]
    # The knowledge stays, attributed to the pseudonym.
    action.refresh_from_db()
    assert action.created_by_id == erased.pk and action.owner_id == erased.pk
    detail = admin_client.get(f"/lernen/massnahmen/{action.pk}/").content.decode()
    assert "Vermerk von Hanna: Pool steht" in detail  # free text is not rewritten
    assert erased.get_full_name() in detail and "Beispielfrau" not in detail.replace("Vermerk von Hanna", "")
    # The audit rows stay; about the person they show the pseudonym; one row says what happened.
    old = AuditEntry.objects.get(action="x.y")
    assert old.actor_id == erased.pk and old.object_repr == erased.get_full_name()
    row = AuditEntry.objects.get(action=AccountsEvent.PERSON_ERASED)
    assert row.actor == admin_a and row.municipality == city_a
    assert "hanna" not in json.dumps(row.details).lower() and "Beispielfrau" not in row.object_repr
    # Nobody signs in as the person any more.
    assert not client.login(username="hanna.beispiel", password=PASSWORD)
    assert not client.login(username=erased.username, password=PASSWORD)
    login = client.post("/konto/anmelden/", {"username": "hanna.beispiel", "password": PASSWORD})
    assert login.status_code == 200  # the form again, no redirect into the platform


def test_erasure_refuses_self_and_the_last_platform_administrator(people, admin_user):
    from krisenwissen.core.policy import SYSTEM

    admin_a = people["admin_a"]
    with pytest.raises(ValidationError, match="nicht selbst"):
        do_erase_person(admin_a, acting_user=admin_a)
    with pytest.raises(ValidationError, match="nicht selbst"):
        do_erase_person(admin_user, acting_user=admin_user)
    # A municipal administration never erases a platform administrator.
    with pytest.raises(PermissionDenied):
        do_erase_person(admin_user, acting_user=admin_a)
    # One platform administrator erases another while one (active) remains ...
    second = f.UserFactory(username="zweiter-admin", is_superuser=True, is_staff=True)
    do_erase_person(second, acting_user=admin_user)
    second.refresh_from_db()
    assert not second.is_superuser and not second.is_active
    # ... but the last active one stays, even for the operator's commands (SYSTEM).
    with pytest.raises(ValidationError, match="letzte Person der Plattform-Administration"):
        do_erase_person(admin_user, acting_user=SYSTEM)
    assert User.objects.get(pk=admin_user.pk).is_superuser
    with pytest.raises(ValidationError, match="bereits gelöscht"):
        do_erase_person(second, acting_user=admin_user)


def test_foreign_administrations_cannot_erase(client, people, city_a, city_b):
    person, admin_a, admin_b = people["person"], people["admin_a"], people["admin_b"]
    membership = Membership.objects.get(user=person)
    client.force_login(admin_b)
    url = f"/konto/verwaltung/mitgliedschaft/{membership.pk}/person-loeschen/"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        do_erase_person(person, acting_user=admin_b)
    # A person who also belongs to city B is erased only by someone who administers both.
    Membership.objects.create(user=person, municipality=city_b, role=Role.LESER)
    client.force_login(admin_a)
    assert url not in client.get(f"/konto/verwaltung/kommune/{city_a.ags}/").content.decode()  # no button either
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert User.objects.get(pk=person.pk).username == "hanna.beispiel"
    assert not AuditEntry.objects.filter(action=AccountsEvent.PERSON_ERASED).exists()
    # A reader of city A cannot erase at all.
    reader = f.MembershipFactory(municipality=city_a, role=Role.LESER).user
    client.force_login(reader)
    assert client.post(url).status_code == 403


def test_export_holds_the_persons_contributions_and_nothing_of_another(people, city_a):
    person, other = people["person"], people["other"]
    _action_with_notes(city_a, person, other)
    Action.objects.create(municipality=city_a, title="Fremde Maßnahme von Otto", description="x",
                          due=datetime.date(2030, 1, 1), created_by=other)
    Notification.objects.create(recipient=person, subject="Für Hanna")
    Notification.objects.create(recipient=other, subject="Für Otto")
    AuditEntry.objects.create(action="x.y", actor=person, object_type="accounts.user", object_id=str(other.pk),
                              object_repr="Otto Andersmann")
    document = do_export_person_data(person, acting_user=person)
    text = json.dumps(document, ensure_ascii=False)
    assert document["account"]["username"] == "hanna.beispiel" and document["account"]["email"] == "hanna@example.org"
    assert [m["ags"] for m in document["memberships"]] == [city_a.ags]
    assert "Personalreserve aufbauen" in text and "Vermerk von Hanna: Pool steht" in text
    assert "Für Hanna" in text and any(e["action"] == "x.y" for e in document["audit"])
    for foreign in ("Otto", "Andersmann", "otto.anders", "Budget fehlt", "Fremde Maßnahme"):
        assert foreign not in text, foreign
    assert "geheim" not in text and "pbkdf2" not in text
    assert AuditEntry.objects.filter(action=AccountsEvent.PERSON_DATA_EXPORTED, actor=person).exists()


def test_workshop_participation_and_cards_are_in_the_export(people, city_a):
    from krisenwissen.workshops.models import Card, Participant, Workshop

    person = people["person"]
    workshop = Workshop.objects.create(host=city_a, title="Nachbesprechung Hochwasser", start_date=datetime.date(2024, 5, 1), created_by=person)
    participant = Participant.objects.create(workshop=workshop, display_name="Hanna B.", user=person)
    stranger = Participant.objects.create(workshop=workshop, display_name="Jemand anderes")
    Card.objects.create(uuid="00000000-0000-0000-0000-000000000001", workshop=workshop, author=participant, text="Meine Karte")
    Card.objects.create(uuid="00000000-0000-0000-0000-000000000002", workshop=workshop, author=stranger, text="Fremde Karte")
    text = json.dumps(do_export_person_data(person, acting_user=person), ensure_ascii=False)
    assert "Meine Karte" in text and "Hanna B." in text
    assert "Fremde Karte" not in text and "Jemand anderes" not in text and participant.key not in text
    assert workshop.join_token not in text and "Nachbesprechung Hochwasser" in text
    do_erase_person(person, acting_user=people["admin_a"])
    participant.refresh_from_db()
    assert participant.display_name.startswith("Gelöschte Person ")
    assert Card.objects.filter(author=participant).exists()


def test_person_and_their_administration_download_the_export_others_cannot(client, people, city_a):
    person, admin_a, admin_b, other = people["person"], people["admin_a"], people["admin_b"], people["other"]
    membership = Membership.objects.get(user=person)
    admin_url = f"/konto/verwaltung/mitgliedschaft/{membership.pk}/datenauskunft/"

    client.force_login(person)
    assert "/konto/sicherheit/datenauskunft/" in client.get("/konto/sicherheit/").content.decode()
    response = client.get("/konto/sicherheit/datenauskunft/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["account"]["username"] == "hanna.beispiel"
    assert client.get(admin_url).status_code == 403  # not the administration page

    client.force_login(admin_a)
    response = client.get(admin_url)
    assert response.status_code == 200 and json.loads(response.content)["account"]["username"] == "hanna.beispiel"
    assert AuditEntry.objects.filter(action=AccountsEvent.PERSON_DATA_EXPORTED, actor=admin_a,
                                     object_id=str(person.pk)).exists()

    client.force_login(admin_b)
    assert client.get(admin_url).status_code == 404
    with pytest.raises(PermissionDenied):
        do_export_person_data(person, acting_user=admin_b)
    with pytest.raises(PermissionDenied):
        do_export_person_data(person, acting_user=other)
    # Own download of a colleague is always one's own data.
    client.force_login(other)
    assert json.loads(client.get("/konto/sicherheit/datenauskunft/").content)["account"]["username"] == "otto.anders"
