"""Sessions end after idleness and after a maximum age; private responses are not cached (defect 12)."""

from django.test import override_settings

from krisenwissen.accounts.events import AccountsEvent
from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry

from .. import factories as f


def admin_of(city):
    return f.MembershipFactory(municipality=city, role=Role.ADMINISTRATION, user__username="admin-a").user


def test_permissions_policy_on_every_response(client, db):
    response = client.get("/")
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_authenticated_pages_and_downloads_are_not_stored(client, city_a):
    client.force_login(admin_of(city_a))
    assert "no-store" in client.get("/").get("Cache-Control", "")
    download = client.get("/konto/verwaltung/protokoll/", {"format": "csv"})
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    assert "no-store" in client.get("/api/v1/krisen/").get("Cache-Control", "")


def test_anonymous_public_page_stays_cacheable(client, db):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def _age_session(client, key, seconds):
    session = client.session
    session[key] = session[key] - seconds
    session.save()


@override_settings(SESSION_IDLE_TIMEOUT=30 * 60)
def test_idle_session_ends(client, city_a):
    client.force_login(admin_of(city_a))
    assert client.get("/konto/verwaltung/").status_code == 200
    _age_session(client, "krisenwissen_last_seen", 31 * 60)
    response = client.get("/konto/verwaltung/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/anmelden/")
    row = AuditEntry.objects.get(action=AccountsEvent.LOGGED_OUT)
    assert row.details["expired"] is True and row.actor.username == "admin-a"


@override_settings(SESSION_IDLE_TIMEOUT=30 * 60, SESSION_ABSOLUTE_TIMEOUT=10 * 3600)
def test_session_ends_after_its_maximum_age_even_when_busy(client, city_a):
    client.force_login(admin_of(city_a))
    assert client.get("/konto/verwaltung/").status_code == 200
    _age_session(client, "krisenwissen_login_at", 10 * 3600 + 1)
    response = client.get("/konto/verwaltung/")
    assert response.status_code == 302


def test_session_settings_are_bounded():
    from django.conf import settings
    assert settings.SESSION_IDLE_TIMEOUT <= 60 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT <= 12 * 3600
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
