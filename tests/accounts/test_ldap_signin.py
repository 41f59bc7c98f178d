"""Sign-in with LDAP against a real OpenLDAP server (slapd started by the fixture)."""

import pytest
from django.test import override_settings

from krisenwissen.accounts.events import AccountsEvent
from krisenwissen.accounts.models import AccountSource, Membership, MembershipSource, Role, User
from krisenwissen.core.models import AuditEntry

from .. import factories as f
from ..directoryservers import LDAP_PEOPLE, group_dn, slapd_server  # noqa: F401 (fixture)

BACKENDS = ["rules.permissions.ObjectPermissionBackend", "django.contrib.auth.backends.ModelBackend",
            "krisenwissen.accounts.directory.LDAPBackend"]
MAPPING = (f"{group_dn('ks-essen-redaktion')}=05113:redaktion;"
           f"{group_dn('ks-dortmund-leser')}=05913:leser")


@pytest.fixture
def ldap_settings(slapd_server):  # noqa: F811
    with override_settings(AUTHENTICATION_BACKENDS=BACKENDS,
                           **slapd_server.settings(KRISENWISSEN_LDAP_GROUP_ROLES=MAPPING)):
        yield slapd_server


@pytest.fixture
def cities(db):
    return {"essen": f.MunicipalityFactory(name="Essen", ags="05113"),
            "dortmund": f.MunicipalityFactory(name="Dortmund", ags="05913"),
            "duesseldorf": f.MunicipalityFactory(name="Düsseldorf", ags="05111")}


def login(client, username, password):
    return client.post("/konto/anmelden/", {"username": username, "password": password})


def roles_of(username):
    return {m.municipality.ags: (m.role, m.source) for m in Membership.objects.filter(user__username=username)}


def test_directory_password_signs_in_and_groups_become_roles(client, ldap_settings, cities):
    response = login(client, "anna.ahrens", LDAP_PEOPLE["anna.ahrens"][0])
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").context["user"].username == "anna.ahrens"
    user = User.objects.get(username="anna.ahrens")
    assert user.account_source == AccountSource.LDAP
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name, user.email) == ("Anna", "Ahrens", "anna.ahrens@essen.example")
    assert roles_of("anna.ahrens") == {"05113": (Role.REDAKTION, MembershipSource.DIRECTORY),
                                       "05913": (Role.LESER, MembershipSource.DIRECTORY)}
    assert AuditEntry.objects.filter(action=AccountsEvent.DIRECTORY_MEMBERSHIP_SET).count() == 2


def test_wrong_password_is_refused_and_creates_nobody(client, ldap_settings, cities):
    response = login(client, "anna.ahrens", "falsches-passwort")
    assert response.status_code == 200
    assert "Benutzername oder Passwort ist falsch" in response.content.decode()
    assert not User.objects.filter(username="anna.ahrens").exists()
    # An empty password would be an anonymous bind, which LDAP servers accept: refused too.
    assert login(client, "anna.ahrens", "").status_code == 200
    assert login(client, "niemand", "x").status_code == 200
    assert not User.objects.exists()


def test_filter_injection_in_the_username_finds_nobody(client, ldap_settings, cities):
    response = login(client, "*)(uid=*", LDAP_PEOPLE["anna.ahrens"][0])
    assert response.status_code == 200
    assert not User.objects.exists()


def test_leaving_a_group_removes_the_role_and_local_roles_stay(client, ldap_settings, cities):
    assert login(client, "anna.ahrens", LDAP_PEOPLE["anna.ahrens"][0]).status_code == 302
    anna = User.objects.get(username="anna.ahrens")
    # The administrator of Düsseldorf gives her a role there, locally.
    f.MembershipFactory(user=anna, municipality=cities["duesseldorf"], role=Role.MITWIRKENDE)
    ldap_settings.remove_member("ks-dortmund-leser", "anna.ahrens")
    try:
        client.logout()
        assert login(client, "anna.ahrens", LDAP_PEOPLE["anna.ahrens"][0]).status_code == 302
        assert roles_of("anna.ahrens") == {"05113": (Role.REDAKTION, MembershipSource.DIRECTORY),
                                           "05111": (Role.MITWIRKENDE, MembershipSource.LOCAL)}
        assert AuditEntry.objects.filter(action=AccountsEvent.DIRECTORY_MEMBERSHIP_REMOVED,
                                         municipality=cities["dortmund"]).exists()
    finally:
        ldap_settings.add_member("ks-dortmund-leser", "anna.ahrens")


def test_changed_mapping_changes_the_role(client, ldap_settings, cities):
    assert login(client, "bernd.bauer", LDAP_PEOPLE["bernd.bauer"][0]).status_code == 302
    assert roles_of("bernd.bauer") == {"05913": (Role.LESER, MembershipSource.DIRECTORY)}
    client.logout()
    with override_settings(KRISENWISSEN_LDAP_GROUP_ROLES=f"{group_dn('ks-dortmund-leser')}=05913:mitwirkende"):
        assert login(client, "bernd.bauer", LDAP_PEOPLE["bernd.bauer"][0]).status_code == 302
    assert roles_of("bernd.bauer") == {"05913": (Role.MITWIRKENDE, MembershipSource.DIRECTORY)}


def test_role_an_administrator_set_locally_is_not_overwritten(client, ldap_settings, cities):
    bernd = f.UserFactory(username="bernd.bauer", account_source=AccountSource.LDAP)
    bernd.set_unusable_password()
    bernd.save()
    f.MembershipFactory(user=bernd, municipality=cities["dortmund"], role=Role.ADMINISTRATION)
    assert login(client, "bernd.bauer", LDAP_PEOPLE["bernd.bauer"][0]).status_code == 302
    assert roles_of("bernd.bauer") == {"05913": (Role.ADMINISTRATION, MembershipSource.LOCAL)}


def test_local_accounts_keep_working_and_are_not_taken_over_by_the_directory(client, ldap_settings, cities):
    f.UserFactory(username="lokal.person")
    assert login(client, "lokal.person", "geheim-passwort-123").status_code == 302
    client.logout()
    # A local account with the name of a directory person: the directory password does not open it.
    f.UserFactory(username="anna.ahrens")
    assert login(client, "anna.ahrens", LDAP_PEOPLE["anna.ahrens"][0]).status_code == 200
    assert not Membership.objects.filter(user__username="anna.ahrens").exists()


def test_unreachable_server_refuses_sign_in_without_error(client, ldap_settings, cities):
    with override_settings(KRISENWISSEN_LDAP_SERVER_URI="ldap://127.0.0.1:1", KRISENWISSEN_LDAP_TIMEOUT=2):
        response = login(client, "anna.ahrens", LDAP_PEOPLE["anna.ahrens"][0])
    assert response.status_code == 200
    assert not User.objects.exists()


def test_broken_mapping_refuses_directory_sign_in(client, ldap_settings, cities):
    with override_settings(KRISENWISSEN_LDAP_GROUP_ROLES="kaputt=05113:chef"):
        assert login(client, "anna.ahrens", LDAP_PEOPLE["anna.ahrens"][0]).status_code == 200
    assert not User.objects.exists() and not Membership.objects.exists()


def test_start_tls_with_the_directory_ca_signs_in(client, ldap_settings, cities):
    with override_settings(KRISENWISSEN_LDAP_START_TLS=True, KRISENWISSEN_LDAP_CA_FILE=ldap_settings.ca_file):
        assert login(client, "anna.ahrens", LDAP_PEOPLE["anna.ahrens"][0]).status_code == 302


def test_start_tls_refuses_a_server_certificate_nobody_vouches_for(client, ldap_settings, cities):
    # Without the directory's CA the self-made certificate is not trusted: no sign-in, no account.
    with override_settings(KRISENWISSEN_LDAP_START_TLS=True, KRISENWISSEN_LDAP_CA_FILE=""):
        assert login(client, "anna.ahrens", LDAP_PEOPLE["anna.ahrens"][0]).status_code == 200
    assert not User.objects.exists()


def test_username_in_other_case_is_the_same_account(client, ldap_settings, cities):
    assert login(client, "anna.ahrens", LDAP_PEOPLE["anna.ahrens"][0]).status_code == 302
    client.logout()
    assert login(client, "ANNA.Ahrens", LDAP_PEOPLE["anna.ahrens"][0]).status_code == 302
    assert list(User.objects.values_list("username", flat=True)) == ["anna.ahrens"]
