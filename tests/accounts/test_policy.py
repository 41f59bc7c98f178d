"""Accounts' named permissions and audit events; the administration area asks them."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied

from krisenwissen.accounts import actions
from krisenwissen.accounts.events import AccountsEvent
from krisenwissen.accounts.models import Membership, Role
from krisenwissen.core.models import AuditEntry
from krisenwissen.core.policy import SYSTEM, has_perm

from .. import factories as f


@pytest.fixture
def admin_a(city_a):
    return f.MembershipFactory(municipality=city_a, role=Role.ADMINISTRATION, user__username="admin-a").user


def test_memberships_are_managed_by_the_administration_of_that_municipality(city_a, city_b, admin_a, editor_b):
    assert has_perm(admin_a, "accounts.manage_memberships", city_a)
    assert not has_perm(admin_a, "accounts.manage_memberships", city_b)
    assert has_perm(admin_a, "accounts.view_administration") and has_perm(admin_a, "accounts.view_audit_log")
    assert not has_perm(editor_b, "accounts.view_administration")
    with pytest.raises(PermissionDenied, match="Nur die Administration dieser Kommune"):
        actions.do_set_membership(user=editor_b, municipality=city_b, role=Role.LESER, acting_user=admin_a)
    membership = actions.do_set_membership(user=editor_b, municipality=city_a, role=Role.LESER, acting_user=admin_a)
    assert AuditEntry.objects.filter(action=AccountsEvent.MEMBERSHIP_SET, actor=admin_a).exists()
    actions.do_remove_membership(membership, acting_user=admin_a)
    assert AuditEntry.objects.filter(action=AccountsEvent.MEMBERSHIP_REMOVED, actor=admin_a).exists()
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_directory_import_is_for_the_platform(db, admin_user, city_a):
    admin_a = f.MembershipFactory(municipality=city_a, role=Role.ADMINISTRATION).user
    assert not has_perm(admin_a, "accounts.import_municipalities")
    assert has_perm(admin_user, "accounts.import_municipalities") and has_perm(SYSTEM, "accounts.import_municipalities")
    with pytest.raises(PermissionDenied):
        actions.do_import_municipalities([], acting_user=None)
    actions.do_import_municipalities([], acting_user=SYSTEM)
    entry = AuditEntry.objects.get(action=AccountsEvent.MUNICIPALITIES_IMPORTED)
    assert entry.actor is None and entry.details["system"] is True


def test_admin_home_and_audit_log_show_event_labels(client, city_a, admin_a, admin_user):
    actions.do_create_user(username="neu", first_name="N", last_name="N", email="", municipality=city_a,
                           role=Role.LESER, acting_user=admin_a)
    client.force_login(admin_a)
    page = client.get("/konto/verwaltung/protokoll/").content.decode()
    assert "Person angelegt" in page and "accounts.person_created" in page
    assert "Technische Verwaltung" not in client.get("/konto/verwaltung/").content.decode()
    client.force_login(admin_user)
    assert "Technische Verwaltung" in client.get("/konto/verwaltung/").content.decode()


def test_migration_renames_old_keys_and_back(db):
    migration = importlib.import_module("krisenwissen.accounts.migrations.0002_audit_event_keys")
    AuditEntry.objects.create(action="person_angelegt")
    AuditEntry.objects.create(action="anmeldung_fehlgeschlagen")
    migration.Migration.operations[0].code(django_apps, None)
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == sorted(
        [AccountsEvent.PERSON_CREATED, AccountsEvent.LOGIN_FAILED])
    assert set(migration.RENAMED.values()) <= {str(e) for e in AccountsEvent}
    migration.Migration.operations[0].reverse_code(django_apps, None)
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == ["anmeldung_fehlgeschlagen", "person_angelegt"]
