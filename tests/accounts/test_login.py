"""Login in German, with throttling after repeated failures."""

from django.test import override_settings

from krisenwissen.accounts.events import AccountsEvent
from krisenwissen.core.models import AuditEntry

from .. import factories as f


def test_login_success_redirects_to_start(client, db):
    f.UserFactory(username="erika")
    response = client.post("/konto/anmelden/", {"username": "erika", "password": "geheim-passwort-123"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_wrong_password_shows_german_message(client, db):
    f.UserFactory(username="erika")
    response = client.post("/konto/anmelden/", {"username": "erika", "password": "falsch"})
    assert "Benutzername oder Passwort ist falsch" in response.content.decode()
    assert AuditEntry.objects.filter(action=AccountsEvent.LOGIN_FAILED).exists()


@override_settings(LOGIN_THROTTLE={"pair": {"free": 3, "first_delay": 30, "max_delay": 900}})
def test_throttled_after_repeated_failures_even_with_right_password(client, db):
    f.UserFactory(username="erika")
    for _ in range(3):
        client.post("/konto/anmelden/", {"username": "erika", "password": "falsch"})
    response = client.post("/konto/anmelden/", {"username": "erika", "password": "geheim-passwort-123"})
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
