"""Password lifecycle of local accounts: change, reset by e-mail, invitation for new people."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from krisenwissen.accounts import actions
from krisenwissen.accounts.events import AccountsEvent
from krisenwissen.accounts.models import Role, User
from krisenwissen.core.models import AuditEntry

from .. import factories as f

NEW_PASSWORD = "Krisenstab-Notfallplan-2024"


def _link(message) -> str:
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return match.group(0)


def test_logged_in_person_changes_their_password(client, db):
    user = f.UserFactory(username="erika")
    client.force_login(user)
    page = client.get("/konto/passwort/aendern/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'autocomplete="current-password"' in body and 'autocomplete="new-password"' in body
    response = client.post("/konto/passwort/aendern/", {"old_password": "geheim-passwort-123",
                                                        "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action=AccountsEvent.PASSWORD_CHANGED, actor=user).exists()
    # still signed in after the change
    assert client.get("/konto/passwort/aendern/").status_code == 200


def test_password_change_refuses_wrong_old_password(client, db):
    user = f.UserFactory(username="erika")
    client.force_login(user)
    response = client.post("/konto/passwort/aendern/", {"old_password": "falsch",
                                                        "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 200
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)


def test_password_change_needs_login(client, db):
    response = client.get("/konto/passwort/aendern/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


@override_settings(KRISENWISSEN_BASE_URL="https://krisen.example.de")
def test_reset_by_email_end_to_end(client, db, django_capture_on_commit_callbacks):
    user = f.UserFactory(username="erika", email="erika@example.de")
    assert "/konto/passwort/vergessen/" in client.get("/konto/anmelden/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/passwort/vergessen/", {"email": "Erika@Example.de"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["erika@example.de"]
    assert "Passwort" in message.subject
    link = _link(message)
    assert link.startswith("https://krisen.example.de/konto/passwort/neu/")
    path = link.removeprefix("https://krisen.example.de")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert 'autocomplete="new-password"' in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action=AccountsEvent.PASSWORD_RESET_REQUESTED, object_id=str(user.pk)).exists()
    assert AuditEntry.objects.filter(action=AccountsEvent.PASSWORD_SET, object_id=str(user.pk)).exists()
    # the link works once only
    again = client.get(path, follow=True)
    assert "ungültig" in again.content.decode()
    # the new password signs in
    assert client.post("/konto/anmelden/", {"username": "erika", "password": NEW_PASSWORD}).status_code == 302


def test_reset_does_not_reveal_whether_an_address_exists(client, db, django_capture_on_commit_callbacks):
    f.UserFactory(username="erika", email="erika@example.de")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/konto/passwort/vergessen/", {"email": "erika@example.de"}, follow=True)
        unknown = client.post("/konto/passwort/vergessen/", {"email": "niemand@example.de"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert len(mail.outbox) == 1


@override_settings(KRISENWISSEN_PASSWORD_RESET_LIMIT=2)
def test_reset_requests_are_rate_limited_per_address(client, db, django_capture_on_commit_callbacks):
    f.UserFactory(username="erika", email="erika@example.de")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            response = client.post("/konto/passwort/vergessen/", {"email": "erika@example.de"})
            assert response.status_code == 302
    assert len(mail.outbox) == 2


@override_settings(KRISENWISSEN_BASE_URL="https://krisen.example.de")
def test_invitation_for_person_created_by_administration(client, db, django_capture_on_commit_callbacks):
    city = f.MunicipalityFactory(name="Essen", ags="05113")
    admin = f.MembershipFactory(municipality=city, role=Role.ADMINISTRATION, user__username="admin-essen").user
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/konto/verwaltung/kommune/{city.ags}/", {
            "neu-username": "neu", "neu-first_name": "Nora", "neu-last_name": "Neu", "neu-email": "nora@example.de",
            "neu-role": Role.MITWIRKENDE})
    assert response.status_code == 302
    person = User.objects.get(username="neu")
    assert not person.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nora@example.de"]
    assert AuditEntry.objects.filter(action=AccountsEvent.INVITATION_SENT, object_id=str(person.pk), actor=admin).exists()
    path = _link(mail.outbox[0]).removeprefix("https://krisen.example.de")
    assert path.startswith("/konto/einladung/")
    client.logout()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and 'autocomplete="new-password"' in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    assert client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action=AccountsEvent.PASSWORD_SET, object_id=str(person.pk)).exists()
    assert client.post("/konto/anmelden/", {"username": "neu", "password": NEW_PASSWORD}).status_code == 302
    # the invitation link is spent
    assert "ungültig" in client.get(path, follow=True).content.decode()


def test_administration_resends_invitation_and_old_link_dies(client, db, django_capture_on_commit_callbacks):
    city = f.MunicipalityFactory(name="Essen", ags="05113")
    admin = f.MembershipFactory(municipality=city, role=Role.ADMINISTRATION, user__username="admin-essen").user
    with django_capture_on_commit_callbacks(execute=True):
        person = actions.do_create_user(username="neu", first_name="Nora", last_name="Neu", email="nora@example.de",
                                        municipality=city, role=Role.LESER, acting_user=admin)
    first_path = "/" + _link(mail.outbox[0]).split("/", 3)[3]
    membership = person.memberships.get()
    client.force_login(admin)
    assert "Einladung erneut senden" in client.get(f"/konto/verwaltung/kommune/{city.ags}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/konto/verwaltung/mitgliedschaft/{membership.pk}/einladung/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    client.logout()
    assert "ungültig" in client.get(first_path, follow=True).content.decode()
    assert AuditEntry.objects.filter(action=AccountsEvent.INVITATION_SENT, object_id=str(person.pk)).count() == 2


def test_other_city_cannot_resend_invitation(client, db):
    city = f.MunicipalityFactory(name="Essen", ags="05113")
    other = f.MunicipalityFactory(name="Bochum", ags="05911")
    person = f.MembershipFactory(municipality=city, role=Role.LESER, user__username="neu").user
    person.set_unusable_password()
    person.save()
    stranger = f.MembershipFactory(municipality=other, role=Role.ADMINISTRATION, user__username="admin-bochum").user
    client.force_login(stranger)
    response = client.post(f"/konto/verwaltung/mitgliedschaft/{person.memberships.get().pk}/einladung/")
    assert response.status_code == 404
    assert len(mail.outbox) == 0


@pytest.mark.parametrize("path", ["/konto/einladung/MQ/abc-def/", "/konto/passwort/neu/MQ/abc-def/"])
def test_forged_links_are_refused(client, db, path):
    user = f.UserFactory(username="erika")
    assert user.pk
    response = client.get(path, follow=True)
    assert response.status_code == 200 and "ungültig" in response.content.decode()
