"""Security events: audit rows with the client address, JSON lines for the operator (defect 13)."""

import json
import logging

from django.test import Client

from krisenwissen.accounts.events import AccountsEvent
from krisenwissen.accounts.models import Role
from krisenwissen.core.events import CoreEvent
from krisenwissen.core.models import AuditEntry

from .. import factories as f

RIGHT = "geheim-passwort-123"


def member(city, role=Role.LESER, username="erika"):
    return f.MembershipFactory(municipality=city, role=role, user__username=username).user


def test_login_and_logout_are_audited_with_address_and_municipality(client, city_a):
    erika = member(city_a)
    assert client.post("/konto/anmelden/", {"username": "erika", "password": RIGHT}, REMOTE_ADDR="198.51.100.7").status_code == 302
    row = AuditEntry.objects.get(action=AccountsEvent.LOGIN_SUCCEEDED)
    assert (row.actor, row.municipality, row.client_address) == (erika, city_a, "198.51.100.7")
    client.post("/konto/abmelden/", REMOTE_ADDR="198.51.100.7")
    row = AuditEntry.objects.get(action=AccountsEvent.LOGGED_OUT)
    assert (row.actor, row.municipality, row.client_address) == (erika, city_a, "198.51.100.7")


def test_failed_login_of_a_known_person_is_shown_to_their_administration(client, city_a, city_b):
    member(city_a)
    admin_a = member(city_a, Role.ADMINISTRATION, "admin-a")
    admin_b = member(city_b, Role.ADMINISTRATION, "admin-b")
    client.post("/konto/anmelden/", {"username": "erika", "password": "falsch"}, REMOTE_ADDR="203.0.113.66")
    row = AuditEntry.objects.get(action=AccountsEvent.LOGIN_FAILED)
    assert row.municipality == city_a and row.client_address == "203.0.113.66"
    client.force_login(admin_a)
    page = client.get("/konto/verwaltung/protokoll/").content.decode()
    assert "Anmeldung fehlgeschlagen" in page and "203.0.113.66" in page
    assert "203.0.113.66" in client.get("/konto/verwaltung/protokoll/", {"format": "csv"}).getvalue().decode()
    client.force_login(admin_b)
    assert "203.0.113.66" not in client.get("/konto/verwaltung/protokoll/").content.decode()


def test_security_events_are_json_lines_on_their_logger(client, city_a, caplog):
    member(city_a)
    with caplog.at_level(logging.INFO, logger="krisenwissen.security"):
        client.post("/konto/anmelden/", {"username": "erika", "password": "falsch"}, REMOTE_ADDR="203.0.113.66")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "krisenwissen.security"]
    assert len(lines) == 1
    event = lines[0]
    assert event["event"] == "accounts.login_failed" and event["client_address"] == "203.0.113.66"
    assert event["municipality"] == city_a.ags and event["username"] == "erika" and event["time"]


def test_download_of_non_public_data_is_logged(client, city_a, caplog):
    admin_a = member(city_a, Role.ADMINISTRATION, "admin-a")
    client.force_login(admin_a)
    with caplog.at_level(logging.INFO, logger="krisenwissen.security"):
        response = client.get("/konto/verwaltung/protokoll/", {"format": "csv"}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200
    row = AuditEntry.objects.get(action=CoreEvent.DATA_DOWNLOADED)
    assert row.actor == admin_a and row.client_address == "198.51.100.7"
    assert row.details["path"] == "/konto/verwaltung/protokoll/" and row.details["filename"].endswith(".csv")
    assert any('"core.data_downloaded"' in r.getMessage() for r in caplog.records)


def test_public_download_by_anonymous_is_not_logged(client, db):
    client.get("/wissen/", {"format": "csv"})
    assert not AuditEntry.objects.filter(action=CoreEvent.DATA_DOWNLOADED).exists()


def test_permission_denied_is_a_security_event(client, city_a, caplog):
    client.force_login(member(city_a))
    with caplog.at_level(logging.INFO, logger="krisenwissen.security"):
        assert client.get("/konto/verwaltung/protokoll/").status_code == 403
    assert any('"core.permission_denied"' in r.getMessage() for r in caplog.records)


def test_anonymous_refusals_are_log_lines_not_audit_rows(rf, db, caplog):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from krisenwissen.core.middleware import SecurityEventsMiddleware

    request = rf.get("/geheim/")
    request.user = AnonymousUser()
    with caplog.at_level(logging.INFO, logger="krisenwissen.security"):
        SecurityEventsMiddleware(lambda r: None).process_exception(request, PermissionDenied())
    assert not AuditEntry.objects.filter(action=CoreEvent.PERMISSION_DENIED).exists()
    assert any('"core.permission_denied"' in r.getMessage() and '"/geheim/"' in r.getMessage() for r in caplog.records)


def test_security_events_of_a_person_in_two_municipalities_show_in_both(client, city_a, city_b):
    erika = member(city_a)
    f.MembershipFactory(municipality=city_b, user=erika, role=Role.LESER)
    admin_b = member(city_b, Role.ADMINISTRATION, "admin-b")
    Client().post("/konto/anmelden/", {"username": "erika", "password": RIGHT}, REMOTE_ADDR="198.51.100.44")
    Client().post("/konto/anmelden/", {"username": "erika", "password": "falsch"}, REMOTE_ADDR="203.0.113.45")
    assert AuditEntry.objects.get(action=AccountsEvent.LOGIN_SUCCEEDED).municipality == city_a
    client.force_login(admin_b)
    page = client.get("/konto/verwaltung/protokoll/").content.decode()
    assert "198.51.100.44" in page and "203.0.113.45" in page
