"""Optional TOTP second factor; mandatory for administrators when configured."""

from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from krisenwissen.accounts.events import AccountsEvent
from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry

from .. import factories as f


def _code(device) -> str:
    """The current code, computed as the authenticator app does."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():0{device.digits}d}"


def _enrol(client):
    page = client.get("/konto/zwei-faktor/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "data:image/svg+xml" in body and 'autocomplete="one-time-code"' in body
    device = TOTPDevice.objects.get()
    assert not device.confirmed
    response = client.post("/konto/zwei-faktor/", {"token": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_enrol_totp_then_login_asks_for_the_code(client, db):
    user = f.UserFactory(username="erika")
    client.force_login(user)
    device = _enrol(client)
    assert AuditEntry.objects.filter(action=AccountsEvent.TOTP_ENROLLED, actor=user).exists()
    client.logout()

    response = client.post("/konto/anmelden/", {"username": "erika", "password": "geheim-passwort-123", "next": "/konto/passwort/aendern/"},
                           follow=True)
    # the password alone does not open any page: the second step asks for the code
    assert response.redirect_chain[-1][0].startswith("/konto/zwei-faktor/pruefen/")
    assert 'autocomplete="one-time-code"' in response.content.decode()
    blocked = client.get("/konto/passwort/aendern/")
    assert blocked.status_code == 302 and "/konto/zwei-faktor/pruefen/" in blocked["Location"]
    assert client.get("/api/v1/suche/?q=x").status_code == 302

    wrong = client.post("/konto/zwei-faktor/pruefen/", {"token": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "nicht gültig" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    device.last_t = -1
    device.save()
    ok = client.post("/konto/zwei-faktor/pruefen/?next=/konto/passwort/aendern/", {"token": _code(device)})
    assert ok.status_code == 302 and ok["Location"] == "/konto/passwort/aendern/"
    assert client.get("/konto/passwort/aendern/").status_code == 200


def test_person_without_totp_signs_in_with_password_only(client, db):
    f.UserFactory(username="erika")
    client.post("/konto/anmelden/", {"username": "erika", "password": "geheim-passwort-123"})
    assert client.get("/konto/passwort/aendern/").status_code == 200


@override_settings(KRISENWISSEN_MFA_REQUIRED_FOR_ADMINS=True)
def test_administrator_must_enrol_when_required(client, db):
    city = f.MunicipalityFactory(name="Essen", ags="05113")
    admin = f.MembershipFactory(municipality=city, role=Role.ADMINISTRATION, user__username="admin-essen").user
    client.post("/konto/anmelden/", {"username": "admin-essen", "password": "geheim-passwort-123"})
    response = client.get(f"/konto/verwaltung/kommune/{city.ags}/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/zwei-faktor/")
    _enrol(client)
    assert client.get(f"/konto/verwaltung/kommune/{city.ags}/").status_code == 200
    assert admin.totpdevice_set.filter(confirmed=True).exists()


@override_settings(KRISENWISSEN_MFA_REQUIRED_FOR_ADMINS=True)
def test_requirement_leaves_other_people_alone(client, db):
    city = f.MunicipalityFactory(name="Essen", ags="05113")
    f.MembershipFactory(municipality=city, role=Role.REDAKTION, user__username="redaktion")
    client.post("/konto/anmelden/", {"username": "redaktion", "password": "geheim-passwort-123"})
    assert client.get("/konto/passwort/aendern/").status_code == 200


def test_administration_resets_a_members_totp(client, db):
    city = f.MunicipalityFactory(name="Essen", ags="05113")
    admin = f.MembershipFactory(municipality=city, role=Role.ADMINISTRATION, user__username="admin-essen").user
    membership = f.MembershipFactory(municipality=city, role=Role.LESER, user__username="erika")
    TOTPDevice.objects.create(user=membership.user, name="App", confirmed=True)
    client.force_login(admin)
    response = client.post(f"/konto/verwaltung/mitgliedschaft/{membership.pk}/zwei-faktor-zuruecksetzen/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=membership.user).exists()
    assert AuditEntry.objects.filter(action=AccountsEvent.TOTP_RESET, actor=admin, object_id=str(membership.user.pk)).exists()


def test_password_alone_cannot_replace_the_authenticator(client, db):
    user = f.UserFactory(username="erika")
    client.force_login(user)
    _enrol(client)
    client.logout()
    client.post("/konto/anmelden/", {"username": "erika", "password": "geheim-passwort-123"})
    response = client.get("/konto/zwei-faktor/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/zwei-faktor/pruefen/")
    assert client.post("/konto/zwei-faktor/", {"token": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=user).count() == 1


@override_settings(KRISENWISSEN_MFA_REQUIRED_FOR_ADMINS=True)
def test_superuser_must_enrol_when_required(client, db):
    f.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.post("/konto/anmelden/", {"username": "root", "password": "geheim-passwort-123"})
    response = client.get("/verwaltung/django/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/zwei-faktor/")


def test_other_city_cannot_reset_a_members_totp(client, db):
    city = f.MunicipalityFactory(name="Essen", ags="05113")
    other = f.MunicipalityFactory(name="Bochum", ags="05911")
    membership = f.MembershipFactory(municipality=city, role=Role.LESER, user__username="erika")
    TOTPDevice.objects.create(user=membership.user, name="App", confirmed=True)
    stranger = f.MembershipFactory(municipality=other, role=Role.ADMINISTRATION, user__username="admin-bochum").user
    client.force_login(stranger)
    response = client.post(f"/konto/verwaltung/mitgliedschaft/{membership.pk}/zwei-faktor-zuruecksetzen/")
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=membership.user).exists()
